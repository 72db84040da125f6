"""The story admin: every write path obeys the roles (forged POSTs change nothing)."""

import json

import pytest
from django.urls import reverse

from articles.models import Article, Revision, Status
from tests import factories
from tests.desk_fixtures import body_json, change_url, form_data, open_and_post
from tests.support import query_count

pytestmark = pytest.mark.django_db


def test_editor_edits_a_story_and_a_revision_is_kept(client, editor):
    story = factories.article(headline="Old headline")
    client.force_login(editor)
    response = open_and_post(client, story, headline="New headline", body=body_json("New copy."))
    assert response.status_code == 302, response.context and response.context["errors"]
    story.refresh_from_db()
    assert story.headline == "New headline" and story.version == 2
    revision = story.revisions.get()
    assert revision.version == 2 and revision.snapshot["headline"] == "New headline"
    assert revision.snapshot["body"] == [{"type": "paragraph", "html": "New copy."}]


def test_change_form_renders_the_block_editor_and_the_desk_panel(client, editor):
    story = factories.article()
    client.force_login(editor)
    response = client.get(change_url(story))
    html = response.content.decode()
    assert "data-body-editor" in html and "desk/body-editor.js" in html
    assert 'type="importmap"' in html  # the prose editor's modules
    assert reverse("desk:preview", args=[story.pk]) in html
    assert 'value="publish"' in html


def test_paragraph_html_is_sanitised_on_save(client, editor):
    story = factories.article()
    client.force_login(editor)
    dirty = '<em>Fine</em><script>alert(1)</script><a href="javascript:x()">bad</a>'
    open_and_post(client, story, body=body_json(dirty))
    story.refresh_from_db()
    html = story.body[0]["html"]
    assert "<em>Fine</em>" in html and "script" not in html and "javascript" not in html


def test_malformed_body_is_a_form_error_not_a_500(client, editor):
    story = factories.article()
    client.force_login(editor)
    response = open_and_post(client, story, body=json.dumps([{"type": "video", "id": 1}]))
    assert response.status_code == 200
    assert "type must be one of" in response.content.decode()
    story.refresh_from_db()
    assert story.version == 1


def test_reporter_creates_a_draft_owned_by_them(client, reporter):
    client.force_login(reporter)
    add = reverse("admin:articles_article_add")
    data = form_data(client.get(add), headline="A reporter's draft", body=body_json("Copy."))
    assert client.post(add, data).status_code == 302
    story = Article.objects.get(headline="A reporter's draft")
    assert story.created_by == reporter and story.status == Status.DRAFT
    assert story.revisions.count() == 1


def test_reporter_forged_status_fields_in_the_change_form_are_ignored(client, reporter):
    story = factories.article(created_by=reporter)
    client.force_login(reporter)
    response = open_and_post(
        client,
        story,
        status="published",
        published_at="2020-01-01 00:00",
        version="99",
        headline="Still a draft",
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Status.DRAFT and story.published_at is None
    assert story.headline == "Still a draft" and story.version == 2


def test_reporter_cannot_post_to_anothers_story(client, reporter, editor):
    other = factories.article(headline="Someone else's")
    client.force_login(editor)
    data = form_data(client.get(change_url(other)), headline="Hijacked")
    client.force_login(reporter)
    assert client.post(change_url(other), data).status_code == 403
    other.refresh_from_db()
    assert other.headline == "Someone else's" and not other.revisions.exists()


def test_reporter_cannot_edit_own_story_once_submitted(client, reporter, editor):
    story = factories.article(created_by=reporter)
    client.force_login(reporter)
    response = client.get(change_url(story))
    data = form_data(response, headline="Late change")
    story.submit_for_edit(by=reporter)
    assert client.post(change_url(story), data).status_code == 403
    story.refresh_from_db()
    assert story.headline != "Late change"


def test_reporter_forged_workflow_post_to_publish_is_refused(client, reporter):
    story = factories.article(created_by=reporter)
    client.force_login(reporter)
    url = reverse("admin:articles_article_transition", args=[story.pk])
    response = client.post(url, {"action": "publish"}, follow=True)
    assert "may not publish" in response.content.decode()
    story.refresh_from_db()
    assert story.status == Status.DRAFT and not story.history.exists() and story.version == 1


def test_reporter_forged_bulk_publish_is_refused(client, reporter):
    story = factories.article(created_by=reporter)
    client.force_login(reporter)
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [story.pk]},
    )
    story.refresh_from_db()
    assert story.status == Status.DRAFT and not story.history.exists()


def test_bulk_publish_reports_unpublishable_stories_without_a_500(client, editor):
    good, bad = factories.article(), factories.article(authors=0)
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [good.pk, bad.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "needs at least one byline" in response.content.decode()
    good.refresh_from_db(), bad.refresh_from_db()
    assert good.status == Status.PUBLISHED and bad.status == Status.DRAFT


def test_reporter_cannot_move_a_quote_onto_anothers_story(client, reporter):
    own = factories.article(created_by=reporter)
    other = factories.article()
    quote = factories.quote(own, confirmed=False)
    client.force_login(reporter)
    url = reverse("admin:articles_quote_change", args=[quote.pk])
    response = client.post(
        url,
        {
            "article": other.pk,
            "speaker": quote.speaker_id,
            "text": "Moved",
            "position": 0,
            "speaker_description": "",
        },
    )
    assert response.status_code == 200  # the form refuses the choice
    quote.refresh_from_db()
    assert quote.article == own and quote.text != "Moved"


def test_reporter_cannot_confirm_quotes_on_anothers_story(client, reporter):
    other = factories.article()
    quote = factories.quote(other, confirmed=False)
    client.force_login(reporter)
    client.post(
        reverse("admin:articles_quote_changelist"),
        {"action": "confirm", "_selected_action": [quote.pk]},
    )
    quote.refresh_from_db()
    assert not quote.confirmed


def test_editing_a_live_story_announces_the_change(
    client, editor, django_capture_on_commit_callbacks
):
    from articles.signals import story_changed

    story = factories.published(by=editor)
    seen = []

    def listener(sender, article, **kwargs):
        seen.append(article.pk)

    story_changed.connect(listener)
    try:
        client.force_login(editor)
        with django_capture_on_commit_callbacks(execute=True):
            open_and_post(client, story, headline="Corrected headline")
    finally:
        story_changed.disconnect(listener)
    assert story.pk in seen


def test_photo_upload_makes_renditions_once(client, editor):
    client.force_login(editor)
    add = reverse("admin:articles_photo_add")
    response = client.post(
        add,
        {
            "image": factories.image_file(),
            "caption": "Cranes at dusk",
            "alt_text": "Three cranes against an orange sky",
            "credit": "Desk Agency",
            "license_url": "",
            "rights": "",
            "focal_x": "0.3",
            "focal_y": "0.4",
        },
    )
    assert response.status_code == 302
    from articles.models import Photo

    photo = Photo.objects.get(caption="Cranes at dusk")
    assert photo.renditions.filter(spec="social", width=1200, height=630).exists()
    listing = client.get(reverse("admin:articles_photo_changelist") + "?credit=Desk+Agency")
    assert b"Cranes at dusk" in listing.content


def test_photo_list_query_count_does_not_grow(client, editor):
    client.force_login(editor)
    url = reverse("admin:articles_photo_changelist")
    factories.photo()
    client.get(url)
    one = query_count(lambda: client.get(url))
    for _ in range(7):
        factories.photo()
    assert query_count(lambda: client.get(url)) == one


def test_revision_kinds_are_labelled():
    assert Revision.Kind.UNSAVED.label.startswith("Not saved")


def test_editing_a_stored_photo_keeps_its_file_and_moves_the_crop(client, editor):
    from articles.models import Photo

    photo = factories.photo(caption="Before")
    client.force_login(editor)
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    response = client.post(
        url,
        {
            "caption": "After",
            "alt_text": photo.alt_text,
            "credit": photo.credit,
            "license_url": "",
            "rights": "",
            "focal_x": "0.2",
            "focal_y": "0.8",
        },
    )
    assert response.status_code == 302
    photo = Photo.objects.get(pk=photo.pk)
    assert photo.caption == "After" and photo.image and photo.focal_x == 0.2
    assert photo.renditions.filter(spec="social").exists()


def test_a_live_story_cannot_be_saved_empty(client, editor):
    """Issue 11, defect 6: publishability holds on every save of a published story."""
    story = factories.published("Live and complete", by=editor)
    client.force_login(editor)
    response = open_and_post(client, story, body="[]", headline="Emptied by mistake")
    assert response.status_code == 200
    page = response.content.decode()
    assert "it needs a body" in page
    assert "Emptied by mistake" in page  # the editor's text is still in the form
    story.refresh_from_db()
    assert story.headline == "Live and complete" and story.body_text


def test_a_live_story_cannot_lose_its_last_byline(client, editor):
    story = factories.published("One byline", by=editor)
    client.force_login(editor)
    response = open_and_post(client, story, **{"bylines-0-DELETE": "on"})
    assert response.status_code == 200 and "at least one byline" in response.content.decode()
    assert story.bylines.count() == 1


def test_a_lone_surrogate_in_the_body_is_a_form_error_not_a_500(client, editor):
    story = factories.article()
    client.force_login(editor)
    body = '[{"type": "paragraph", "html": "bad \\ud800 text"}]'
    response = open_and_post(client, story, body=body)
    assert response.status_code == 200 and "invalid character" in response.content.decode()


@pytest.mark.parametrize(
    "body",
    [
        '[{"type": "photo", "id": "1 OR 1=1"}]',
        '[{"type": "photo", "id": 99999999999999999999999}]',
        '[["not", "a", "block"]]',
        '{"type": "paragraph"}',
    ],
)
def test_malformed_bodies_are_form_errors(client, editor, body):
    story = factories.article()
    client.force_login(editor)
    response = open_and_post(client, story, body=body)
    assert response.status_code == 200 and "errornote" in response.content.decode()
