"""The partner feed: every change after a cursor, as ninjs items or tombstones, nothing else."""

import json
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, FeedEntry
from articles.publishing.steps import AddCorrection, Unschedule
from articles.syndication import change_log
from tests import factories
from tests.reader_fixtures import rich_story

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    (
        Path(__file__).resolve().parents[4] / "articles/syndication/schemas/ninjs-schema_2.2.json"
    ).read_text()
)


@pytest.fixture
def feed(client, monkeypatch):
    """Read the feed from a cursor; the settling delay is off so tests need not wait."""
    monkeypatch.setattr(change_log, "SETTLE_SECONDS", 0)

    def read(cursor=None):
        items, url = [], "/api/v1/partner-feed/" + (f"?cursor={cursor}" if cursor else "")
        while True:
            page = client.get(url).json()
            for item in page["items"]:
                jsonschema.validate(item, SCHEMA)
            items += page["items"]
            cursor = page["cursor"]
            if not page["next"]:
                return items, cursor
            url = page["next"]

    return read


def story_ids(items) -> list[str]:
    return [next(a["value"] for a in i["altids"] if a["role"] == "newsroom-id") for i in items]


def test_a_partner_mirrors_publishes_updates_kills_and_deletions(
    feed, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kept = factories.published("Kept story")
        killed = factories.published("Killed story")
        gone = factories.published("Deleted story")
        factories.article("Secret draft").submit_for_edit(by=editor)
    items, cursor = feed()
    assert sorted(story_ids(items)) == sorted(str(s.pk) for s in (kept, killed, gone))
    assert {i["pubstatus"] for i in items} == {"usable"}
    assert "Secret" not in json.dumps(items)

    with django_capture_on_commit_callbacks(execute=True):
        AddCorrection(kept, editor, note="Fixed a name.").execute()
        killed.kill(by=editor, note="Legal.")
        gone_pk, gone_url = gone.pk, gone.get_absolute_url()
        gone.delete()
    items, cursor = feed(cursor)
    by_id = dict(zip(story_ids(items), items, strict=True))
    assert (
        by_id[str(kept.pk)]["pubstatus"] == "usable"
        and "Fixed a name" in by_id[str(kept.pk)]["ednote"]
    )
    assert by_id[str(killed.pk)]["pubstatus"] == "canceled"
    assert "headlines" not in by_id[str(killed.pk)]  # a tombstone carries no content
    assert by_id[str(gone_pk)]["pubstatus"] == "canceled"
    assert by_id[str(gone_pk)]["altids"][1]["value"].endswith(gone_url)

    assert feed(cursor) == ([], cursor)  # caught up: same cursor back, nothing new


def test_never_public_stories_leave_no_trace(feed, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft = factories.article("Secret draft")
        draft.delete()
        scheduled = factories.article("Secret scheduled")
        scheduled.publish(by=editor, at=timezone.now() + timedelta(hours=2))
        Unschedule(scheduled, editor).execute()
    items, _ = feed()
    assert items == []


def test_a_scheduled_story_arrives_when_its_time_comes(
    feed, editor, django_capture_on_commit_callbacks
):
    due = timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        story = factories.article("Embargoed until the hour")
        story.publish(by=editor, at=due)
    assert FeedEntry.objects.filter(story_id=story.pk, at=due).exists()
    items, cursor = feed()
    assert items == []  # logged for its moment, not before
    # The clock passes the moment (the row is as the scheduler left it; no save happens).
    Article.objects.filter(pk=story.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    FeedEntry.objects.filter(story_id=story.pk, at=due).update(at=timezone.now())
    items, _ = feed(cursor)
    assert story_ids(items) == [str(story.pk)] and items[0]["pubstatus"] == "usable"


def test_an_expiring_story_is_withheld_when_it_expires(
    feed, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = factories.article("Short-lived", unpublish_at=timezone.now() + timedelta(hours=1))
        story.publish(by=editor)
    items, cursor = feed()
    assert items[0]["pubstatus"] == "usable" and "expires" in items[0]
    Article.objects.filter(pk=story.pk).update(unpublish_at=timezone.now() - timedelta(seconds=1))
    FeedEntry.objects.filter(story_id=story.pk, event="unpublished").update(at=timezone.now())
    items, _ = feed(cursor)
    assert [i["pubstatus"] for i in items] == ["withheld"]


def test_changes_settle_before_they_are_served(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        factories.published("Just now")
    assert client.get("/api/v1/partner-feed/").json()["items"] == []


def test_feed_pages_cost_the_same_for_one_or_many(feed, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rich_story(1, headline="First")
    feed()

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/partner-feed/?page_size=100").status_code == 200
        return len(captured)

    one = count()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            rich_story(2, headline=f"More {n}")
    assert FeedEntry.objects.count() > 10
    assert count() == one
