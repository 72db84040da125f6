"""Revisions: kept on every save, compared side by side, restored as a new version."""

import pytest
from django.urls import reverse

from articles.models import Article, Revision
from articles.publishing import revisions
from tests import factories
from tests.desk_fixtures import body_json, open_and_post
from tests.support import query_count

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


def test_history_page_query_count_does_not_grow(client, editor):
    story = factories.article()
    client.force_login(editor)
    counts = []
    for n in range(8):
        open_and_post(client, story, headline=f"Take {n}")
        story.refresh_from_db()
        if n in (1, 7):  # two revisions, then eight
            counts.append(query_count(lambda: client.get(revisions_url(story))))
    assert counts[0] == counts[1]


def test_changed_fields_names_what_differs():
    old = {"headline": "a", "body": [], "tags": ["x"]}
    new = {"headline": "b", "body": [], "tags": ["x", "y"]}
    assert revisions.changed_fields(old, new) == ["Headline", "Tags"]


def test_restoring_a_refused_save_with_a_raw_body_never_stores_it(client, editor):
    """Issue 11, defect 7: a stale save's body is kept only if it validates; restore checks."""
    story = factories.published("Checked body", by=editor)
    second = factories.user("Editor")
    from django.test import Client

    from tests.desk_fixtures import change_url, form_data

    a, b = Client(), Client()
    a.force_login(editor)
    b.force_login(second)
    form_a = form_data(a.get(change_url(story)), headline="First wins")
    raw = '[{"type": "photo", "id": "1 OR 1=1"}]'
    form_b = form_data(b.get(change_url(story)), headline="Second refused", body=raw)
    assert a.post(change_url(story), form_a).status_code == 302
    assert b.post(change_url(story), form_b).status_code == 200
    unsaved = story.revisions.get(kind=Revision.Kind.UNSAVED)
    assert all(isinstance(block.get("id", 0), int) for block in unsaved.snapshot["body"])

    # Even a snapshot that holds raw blocks (an older row) is refused by restore, not stored.
    unsaved.snapshot = {**unsaved.snapshot, "body": [{"type": "photo", "id": "1 OR 1=1"}]}
    unsaved.save()
    version = Article.objects.get(pk=story.pk).version
    client.force_login(editor)
    response = client.post(restore_url(story, unsaved), {"version": version}, follow=True)
    assert "Not restored" in response.content.decode()
    story.refresh_from_db()
    assert story.headline == "First wins"
    client.logout()
    assert client.get(story.get_absolute_url()).status_code == 200


def test_restore_refuses_to_leave_a_live_story_unpublishable(client, editor):
    story = factories.published("Has a body", by=editor)
    empty = revisions.record(story, editor, data={**revisions.snapshot(story), "body": []})
    client.force_login(editor)
    version = Article.objects.get(pk=story.pk).version
    response = client.post(restore_url(story, empty), {"version": version}, follow=True)
    assert "needs a body" in response.content.decode()
    story.refresh_from_db()
    assert story.body_text


def test_compare_work_is_bounded_whatever_the_snapshots_hold():
    """Issue 11, defect 8: a 30,000-word paragraph edited by one word costs a bounded diff."""
    words = [f"word{n % 997}" for n in range(30_000)]
    old = {"body": [{"type": "paragraph", "html": " ".join(words)}], "headline": "a"}
    changed = list(words)
    changed[15_000] = "CHANGED"
    new = {"body": [{"type": "paragraph", "html": " ".join(changed)}], "headline": "a"}
    rows = revisions.compare(old, new)
    body = [row for row in rows if row.label.startswith("Body")]
    # Over the budget, the block is shown whole: struck out and inserted, no word diff run.
    assert body and body[0].old.startswith("<del>") and body[0].new.startswith("<ins>")
    small = revisions.compare(
        {"body": [{"type": "paragraph", "html": "one two three"}]},
        {"body": [{"type": "paragraph", "html": "one TWO three"}]},
    )
    assert "<del>two</del>" in [r for r in small if r.label.startswith("Body")][0].old


def test_compare_survives_snapshots_that_are_not_blocks():
    rows = revisions.compare({"body": "not a list"}, {"body": [["x"], {"type": "quote", "id": 3}]})
    assert any("cannot be read" in row.new for row in rows)


def test_a_reporter_cannot_open_the_history_of_anothers_story(client, reporter, edited_story):
    client.force_login(reporter)
    assert client.get(revisions_url(edited_story)).status_code == 403
    own = factories.article(created_by=reporter)
    assert client.get(revisions_url(own)).status_code == 200
