"""Revisions: kept on every save, compared side by side, restored as a new version."""

import pytest
from django.urls import reverse

from articles.models import Article, Revision
from articles.publishing import revisions
from tests import factories
from tests.desk_fixtures import body_json, open_and_post

pytestmark = pytest.mark.django_db


def revisions_url(story):
    return reverse("admin:articles_article_revisions", args=[story.pk])


def restore_url(story, revision):
    return reverse("admin:articles_article_restore", args=[story.pk, revision.pk])


@pytest.fixture
def edited_story(client, editor):
    """A story saved twice through the admin: v2 then v3, with different words and tags."""
    target = factories.published(headline="Earlier flood story", by=editor)
    story = factories.article(headline="River rises")
    related = factories.related(story, target=target)
    photo = factories.photo()
    story.tags.add("floods")
    client.force_login(editor)
    open_and_post(
        client,
        story,
        headline="River rises fast",
        body=(
            f'[{{"type": "paragraph", "html": "The river rose <em>two</em> metres."}},'
            f' {{"type": "related", "id": {related.pk}}}, {{"type": "photo", "id": {photo.pk}}}]'
        ),
    )
    story.refresh_from_db()
    open_and_post(client, story, headline="River crest passes", body=body_json("It fell."))
    story.refresh_from_db()
    story.related_headlines.all().delete()
    story.tags.set(["weather"])
    return story


def test_every_save_keeps_a_full_snapshot(edited_story):
    first, second = edited_story.revisions.order_by("version")
    assert (first.version, second.version) == (2, 3)
    snap = first.snapshot
    assert snap["headline"] == "River rises fast" and snap["tags"] == ["floods"]
    assert len(snap["bylines"]) == 1 and snap["related"][0][3] == "Earlier flood story"
    assert (
        len(snap["photos"]) == 1
        and snap["body"][0]["html"] == "The river rose <em>two</em> metres."
    )


def test_compare_shows_both_versions_side_by_side(client, edited_story):
    first, second = edited_story.revisions.order_by("version")
    response = client.get(revisions_url(edited_story) + f"?a={first.pk}&b={second.pk}")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<del>rises fast</del>" in page and "<ins>crest passes</ins>" in page
    assert "The river rose two metres." in page and "It fell." in page


def test_compare_escapes_editor_text(client, editor):
    story = factories.article()
    client.force_login(editor)
    open_and_post(client, story, headline="<b>bold</b> claim")
    story.refresh_from_db()
    open_and_post(client, story, headline="<script>x</script>")
    page = client.get(revisions_url(story)).content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page


def test_restore_brings_back_words_tags_and_related(client, edited_story):
    first = edited_story.revisions.get(version=2)
    response = client.post(restore_url(edited_story, first), {"version": 3})
    assert response.status_code == 302
    story = Article.objects.get(pk=edited_story.pk)
    assert story.headline == "River rises fast" and story.version == 4
    assert list(story.tags.names()) == ["floods"]
    related = story.related_headlines.get()
    assert related.target.headline == "Earlier flood story"
    # The body's related block points at the recreated row, not the deleted one.
    assert {"type": "related", "id": related.pk} in story.body
    latest = story.revisions.first()
    assert latest.kind == Revision.Kind.RESTORED and latest.version == 4


def test_restore_from_a_stale_page_is_refused(client, edited_story):
    first = edited_story.revisions.get(version=2)
    response = client.post(restore_url(edited_story, first), {"version": 2}, follow=True)
    assert "changed since you opened" in response.content.decode()
    assert Article.objects.get(pk=edited_story.pk).headline == "River crest passes"


def test_reporter_cannot_restore_anothers_story(client, reporter, edited_story):
    first = edited_story.revisions.get(version=2)
    client.force_login(reporter)
    assert client.post(restore_url(edited_story, first), {"version": 3}).status_code == 403
    assert Article.objects.get(pk=edited_story.pk).version == 3


def test_history_page_query_count_does_not_grow(client, editor, django_assert_max_num_queries):
    story = factories.article()
    client.force_login(editor)
    for n in range(6):
        open_and_post(client, story, headline=f"Take {n}")
        story.refresh_from_db()
    with django_assert_max_num_queries(10):
        client.get(revisions_url(story))


def test_changed_fields_names_what_differs():
    old = {"headline": "a", "body": [], "tags": ["x"]}
    new = {"headline": "b", "body": [], "tags": ["x", "y"]}
    assert revisions.changed_fields(old, new) == ["Headline", "Tags"]
