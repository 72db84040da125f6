"""The story endpoints: what a story object carries, visibility, filters, cursors, queries."""

import datetime
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Correction, Status
from articles.publishing.steps import AddCorrection
from tests import factories
from tests.reader_fixtures import HOSTILE, rich_story

pytestmark = pytest.mark.django_db


def get(client, url, **params):
    response = client.get(url, params)
    assert response["Content-Type"] == "application/json", response.content[:300]
    return response


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


@pytest.fixture
def hidden(editor):
    """One story in every state readers may not see, each tagged, bylined and quoted."""
    section = factories.section("World")
    writer = factories.person("Hidden Writer")
    source = factories.person("Hidden Source")
    stories = {}

    def make(name, **fields):
        story = factories.article(f"Secret {name} story", section=section, **fields)
        story.bylines.create(person=writer, position=5)
        factories.quote(story, speaker=source, text=f"Secret words {name}.")
        story.tags.add("secret-tag")
        stories[name] = story
        return story

    make("draft")
    ready = make("ready")
    ready.submit_for_edit(by=editor)
    make("scheduled").publish(by=editor, at=timezone.now() + timedelta(days=1))
    make("killed").publish(by=editor)
    stories["killed"].kill(by=editor, note="Legal.")
    make("unpublished").publish(by=editor)
    stories["unpublished"].unpublish(by=editor)
    expired = make("expired", unpublish_at=timezone.now() + timedelta(hours=1))
    expired.publish(by=editor, at=timezone.now() - timedelta(hours=3))
    Article.objects.filter(pk=expired.pk).update(unpublish_at=timezone.now() - timedelta(hours=1))
    deleted = make("deleted")
    deleted.publish(by=editor)
    stories["deleted_pk"] = deleted.pk
    deleted.delete()
    for story in stories.values():
        if isinstance(story, Article) and story.pk:
            story.refresh_from_db()
    return stories


def test_a_story_object_carries_what_the_page_shows(client):
    story = rich_story(2, headline=HOSTILE)
    Correction.objects.create(article=story, kind="update", note="Adds the minister's reply.")
    data = get(client, f"/api/v1/stories/{story.pk}/").json()

    assert data["id"] == story.pk and data["slug"] == story.slug
    assert data["headline"] == HOSTILE  # JSON carries the text as typed; escaping is the reader's
    assert data["url"] == f"http://127.0.0.1:8000{story.get_absolute_url()}"
    assert data["api_url"] == f"http://127.0.0.1:8000/api/v1/stories/{story.pk}/"
    assert data["dek"] == "The dek sums the story up in a sentence."
    assert data["section"]["slug"] == "world"
    assert sorted(t["slug"] for t in data["tags"]) == ["topic-0", "topic-1"]
    assert [b["role"] for b in data["bylines"]] == ["author", "author"]
    assert data["bylines"][0]["person"]["url"].startswith("http://127.0.0.1:8000/people/")
    assert data["dateline"] == {
        "place": "geneva",
        "date": "2026-11-27",
        "agency": "UPI",
        "text": "GENEVA, Nov. 27 (UPI) --",
    }
    assert data["first_published_at"] and data["published_at"] and data["updated_at"]
    lead = data["lead_photo"]
    assert lead["alt"] and lead["credit_line"].startswith("File Photo by")
    assert lead["license_url"] == "https://example.com/lic"
    assert {(r["spec"], r["format"]) for r in lead["renditions"]} >= {("w800", "jpeg")}
    kinds = [block["type"] for block in data["body"]]
    assert kinds[0] == "paragraph" and kinds.count("related") == 2 and "photo" in kinds
    assert kinds.count("quote") == 2
    related = next(b for b in data["body"] if b["type"] == "related")
    assert related["url"].startswith("http://127.0.0.1:8000/") and related["story_id"]
    photo = next(b for b in data["body"] if b["type"] == "photo")
    assert photo["photo"]["caption"] == "Inline photo." and photo["photo"]["renditions"]
    assert len(data["related"]) >= 2  # the related box: linked stories, then suggestions
    assert [q["text"] for q in data["quotes"]] == [
        "Quoted words number 0.",
        "Quoted words number 1.",
    ]
    assert {c["kind"] for c in data["corrections"]} == {"correction", "update"}


def test_paragraph_html_is_sanitised(client, editor):
    story = factories.article(paragraphs=())
    Article.objects.filter(pk=story.pk).update(
        body=[
            {
                "type": "paragraph",
                "html": 'Hi <script>alert(1)</script><a href="javascript:x">l</a>',
            }
        ]
    )
    story.refresh_from_db()
    story.publish(by=editor)
    html = get(client, f"/api/v1/stories/{story.pk}/").json()["body"][0]["html"]
    assert "<script" not in html and "javascript:" not in html


def test_detail_by_slug_and_fields(client):
    story = factories.published("Harbour cranes return")
    by_slug = get(client, f"/api/v1/stories/by-slug/{story.slug}/").json()
    assert by_slug["id"] == story.pk
    trimmed = get(client, f"/api/v1/stories/{story.pk}/", fields="id,headline").json()
    assert trimmed == {"id": story.pk, "headline": "Harbour cranes return"}
    listed = get(client, "/api/v1/stories/", fields="id,url").json()["results"]
    assert listed == [{"id": story.pk, "url": f"http://127.0.0.1:8000{story.get_absolute_url()}"}]
    bad = get(client, "/api/v1/stories/", fields="id,contact_notes")
    assert bad.status_code == 400 and "contact_notes" in bad.json()["fields"]


def test_no_hidden_story_through_any_story_endpoint_or_filter(client, hidden):
    visible = factories.published("A public story", section=factories.section("World"))
    visible.tags.add("secret-tag")
    writer_slug = hidden["draft"].bylines.get(position=5).person.slug
    source_slug = hidden["draft"].quotes.get().speaker.slug
    secret_ids = {s.pk for s in hidden.values() if isinstance(s, Article)} | {hidden["deleted_pk"]}

    queries = [
        {},
        {"section": "world"},
        {"tag": "secret-tag"},
        {"author": writer_slug},
        {"source": source_slug},
        {"q": "Secret"},
        {"published_since": "2000-01-01T00:00:00Z"},
        {"updated_since": "2000-01-01T00:00:00Z"},
        {"page_size": "1"},
    ]
    for params in queries:
        seen = set()
        response = get(client, "/api/v1/stories/", **params)
        while True:
            assert response.status_code == 200, (params, response.content)
            seen |= set(ids(response))
            assert "Secret" not in response.content.decode()
            if not response.json()["next"]:
                break
            response = client.get(response.json()["next"])
        assert not seen & secret_ids, params
    assert (
        get(client, "/api/v1/stories/", tag="secret-tag").json()["results"][0]["id"] == visible.pk
    )

    for pk in secret_ids:
        for url in (f"/api/v1/stories/{pk}/", f"/api/v1/stories/{pk}/ninjs"):
            response = client.get(url)
            assert response.status_code == 404, url
            assert "Secret" not in response.content.decode()
    for name, story in hidden.items():
        if isinstance(story, Article) and story.pk:
            assert client.get(f"/api/v1/stories/by-slug/{story.slug}/").status_code == 404, name


def test_a_scheduled_story_appears_when_its_time_comes(client, editor):
    story = factories.article("Due at noon")
    story.publish(by=editor, at=timezone.now() + timedelta(minutes=5))
    assert client.get(f"/api/v1/stories/{story.pk}/").status_code == 404
    Article.objects.filter(pk=story.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/api/v1/stories/{story.pk}/").status_code == 200


def test_filters(client):
    world, sport = factories.section("World"), factories.section("Sport")
    old = factories.published("Old world story", section=world, hours_ago=72)
    new = factories.published("Fresh sport story about ferries", section=sport, hours_ago=1)
    new.tags.add("ferries")
    author = old.bylines.first().person
    source = factories.person("Mara Quoted")
    factories.quote(new, speaker=source, confirmed=True)
    factories.quote(old, speaker=source, confirmed=False)  # unconfirmed: not a source yet

    assert ids(get(client, "/api/v1/stories/", section="sport")) == [new.pk]
    assert ids(get(client, "/api/v1/stories/", tag="ferries")) == [new.pk]
    assert ids(get(client, "/api/v1/stories/", author=author.slug)) == [old.pk]
    assert ids(get(client, "/api/v1/stories/", source=source.slug)) == [new.pk]
    assert ids(get(client, "/api/v1/stories/", q="ferries")) == [new.pk]
    since = (timezone.now() - timedelta(hours=24)).isoformat()
    assert ids(get(client, "/api/v1/stories/", published_since=since)) == [new.pk]
    AddCorrection(old, factories.user("Editor"), note="A late fix.").execute()
    assert set(ids(get(client, "/api/v1/stories/", updated_since=since))) == {old.pk, new.pk}
    assert ids(get(client, "/api/v1/stories/")) == [new.pk, old.pk]  # newest first

    bad = get(client, "/api/v1/stories/", published_since="yesterday")
    assert bad.status_code == 400 and "published_since" in bad.json()


def test_cursor_pages_are_stable_while_stories_are_published(client):
    stories = [factories.published(f"Story {n}", hours_ago=n + 1) for n in range(5)]
    first = get(client, "/api/v1/stories/", page_size=2).json()
    assert [s["id"] for s in first["results"]] == [stories[0].pk, stories[1].pk]
    assert "page_size=2" in first["next"] and first["next"].startswith("http://127.0.0.1:8000/")

    factories.published("Breaking meanwhile", hours_ago=0)  # lands at the head, shifts nothing
    second = client.get(first["next"]).json()
    assert [s["id"] for s in second["results"]] == [stories[2].pk, stories[3].pk]
    third = client.get(second["next"]).json()
    assert [s["id"] for s in third["results"]] == [stories[4].pk] and third["next"] is None


def test_stories_published_in_the_same_instant_page_by_id(client, editor):
    moment = timezone.now() - timedelta(hours=1)
    stories = [factories.article(f"Same instant {n}") for n in range(3)]
    for story in stories:
        story.publish(by=editor, at=moment)
    seen, url = [], "/api/v1/stories/?page_size=1"
    while url:
        page = client.get(url).json()
        seen += [s["id"] for s in page["results"]]
        url = page["next"]
    assert seen == sorted((s.pk for s in stories), reverse=True)


def test_bad_cursor_and_page_size_are_clear_400s(client):
    assert client.get("/api/v1/stories/?cursor=nonsense").json() == {
        "cursor": "Not a cursor this API gave out."
    }
    assert client.get("/api/v1/stories/?page_size=1000").status_code == 400
    assert client.get("/api/v1/tags/?cursor=%00").status_code == 400


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(captured)


def test_story_list_queries_do_not_grow_with_stories(client):
    rich_story(1, section=factories.section("World"), headline="One")
    client.get("/api/v1/stories/")  # warm Django's per-process caches (content types)
    one = _count(client, "/api/v1/stories/?section=world&page_size=100")
    for n in range(2, 5):
        rich_story(n, section=factories.section("World"), headline=f"Story {n}")
    many = _count(client, "/api/v1/stories/?section=world&page_size=100")
    assert Article.objects.published().count() > 20
    assert one == many


def test_story_detail_queries_do_not_grow_with_its_parts(client):
    small = rich_story(1, headline="Small")
    big = rich_story(5, headline="Big")
    client.get(f"/api/v1/stories/{small.pk}/")
    assert _count(client, f"/api/v1/stories/{small.pk}/") == _count(
        client, f"/api/v1/stories/{big.pk}/"
    )
    assert _count(client, f"/api/v1/stories/{small.pk}/ninjs") == _count(
        client, f"/api/v1/stories/{big.pk}/ninjs"
    )


def test_surrogate_keys_name_what_a_response_shows(client, settings):
    settings.NEWSROOM_HTTP_CACHE = True
    story = rich_story(1)
    keys = client.get(f"/api/v1/stories/{story.pk}/")["Surrogate-Key"].split()
    person = story.bylines.first().person
    assert {f"story-{story.pk}", "section-world", "tag-topic-0", f"person-{person.slug}"} <= set(
        keys
    )
    related = story.related_headlines.first().target_id
    assert f"story-{related}" in keys
    listing = client.get("/api/v1/stories/?tag=topic-0")["Surrogate-Key"].split()
    assert {"front", "tag-topic-0", f"story-{story.pk}", f"text-{story.pk}"} <= set(listing)


def test_dates_are_iso_8601_with_a_zone(client):
    story = factories.published()
    data = client.get(f"/api/v1/stories/{story.pk}/").json()
    for name in ("first_published_at", "published_at", "updated_at"):
        assert datetime.datetime.fromisoformat(data[name].replace("Z", "+00:00")).tzinfo


def test_the_draft_status_never_leaks_through_a_relation(client, editor):
    story = factories.published("Public with a draft link")
    draft = factories.article("Secret linked draft")
    link = factories.related(story, target=draft)
    Article.objects.filter(pk=story.pk).update(
        body=[*story.body, {"type": "related", "id": link.pk}], suggested_related=[draft.pk]
    )
    data = client.get(f"/api/v1/stories/{story.pk}/").content.decode()
    assert "Secret linked draft" not in data and draft.slug not in data
    assert Article.objects.get(pk=draft.pk).status == Status.DRAFT
