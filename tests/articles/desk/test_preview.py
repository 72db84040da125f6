"""Previews of unpublished stories, for staff and through share links."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import ShareLink
from tests import factories
from tests.support import query_count

pytestmark = pytest.mark.django_db


def assert_private_and_noindex(response):
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex' in response.content.decode()


def test_staff_preview_shows_a_draft_as_readers_will_see_it(client, editor):
    story = factories.article(headline="Night ferry to resume", paragraphs=["Copy <b>here</b>."])
    client.force_login(editor)
    response = client.get(reverse("desk:preview", args=[story.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Night ferry to resume" in page and "preview-banner" in page
    assert 'class="story-body"' in page  # the reader's own template
    assert_private_and_noindex(response)


def test_preview_needs_a_login(client):
    story = factories.article()
    response = client.get(reverse("desk:preview", args=[story.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_preview_refuses_staff_without_view_permission(client):
    story = factories.article()
    client.force_login(factories.user(None))
    assert client.get(reverse("desk:preview", args=[story.pk])).status_code == 403


def test_share_link_shows_that_one_draft_to_anyone(client, editor):
    story = factories.article(headline="Council budget draft")
    other = factories.article(headline="Another secret draft")
    link = ShareLink.create_for(story, editor)
    response = client.get(link.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Council budget draft" in page and "Another secret draft" not in page
    assert "Draft shared for review" in page
    assert_private_and_noindex(response)
    assert other.headline not in page


def test_share_link_expires(client, editor):
    link = ShareLink.create_for(factories.article(), editor)
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(link.get_absolute_url())
    assert response.status_code == 404 and "does not work" in response.content.decode()
    assert_private_and_noindex(response)


def test_share_link_can_be_revoked(client, editor):
    story = factories.article()
    link = ShareLink.create_for(story, editor)
    client.force_login(editor)
    url = reverse("admin:articles_article_share", args=[story.pk])
    client.post(url, {"revoke": link.pk})
    client.logout()
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert client.get(link.get_absolute_url()).status_code == 404


def test_forged_or_tampered_tokens_show_nothing(client, editor):
    link = ShareLink.create_for(factories.article(), editor)
    assert client.get(reverse("desk:share", args=[link.token])).status_code == 404  # unsigned
    signed = link.url_token
    tampered = signed[:-1] + ("A" if signed[-1] != "A" else "B")
    assert client.get(reverse("desk:share", args=[tampered])).status_code == 404


def test_editor_makes_a_share_link_from_the_story_page(client, editor):
    story = factories.article()
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_share", args=[story.pk]), {"days": "3"}, follow=True
    )
    link = story.share_links.get()
    assert link.get_absolute_url() in response.content.decode()
    assert timedelta(days=2, hours=23) < link.expires_at - timezone.now() <= timedelta(days=3)


def test_reporter_cannot_share_anothers_story(client, reporter):
    story = factories.article()
    client.force_login(reporter)
    response = client.post(reverse("admin:articles_article_share", args=[story.pk]))
    assert response.status_code == 403 and not story.share_links.exists()


def test_preview_query_count_does_not_grow_with_the_body(client, editor):
    def count(blocks: int) -> int:
        story = factories.article(paragraphs=[f"Paragraph {n}." for n in range(blocks)])
        photos = [factories.photo() for _ in range(blocks)]
        story.body += [{"type": "photo", "id": photo.pk} for photo in photos]
        story.save()
        url = reverse("desk:preview", args=[story.pk])
        client.get(url)
        return query_count(lambda: client.get(url))

    client.force_login(editor)
    assert count(1) == count(30)


def test_share_link_dies_with_a_kill(client, editor):
    """Issue 11, defect 5: a link made on a draft must not show the story once it is killed."""
    story = factories.published("Shared then killed", by=editor)
    link = ShareLink.create_for(story, editor, days=30)
    assert client.get(link.get_absolute_url()).status_code == 200
    story.kill(by=editor, note="Legal.")
    response = client.get(link.get_absolute_url())
    assert response.status_code == 404 and "Shared then killed" not in response.content.decode()
    assert not ShareLink.objects.usable().exists()


def test_share_link_dies_with_the_story(client, editor):
    story = factories.article("Shared then deleted")
    link = ShareLink.create_for(story, editor)
    url = link.get_absolute_url()
    story.delete()
    assert client.get(url).status_code == 404
