"""Sections, tags, people and photos: only what hangs off a public story, in constant queries."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.reader_fixtures import photo_with_renditions

pytestmark = pytest.mark.django_db


def all_pages(client, url) -> list[dict]:
    items = []
    while url:
        page = client.get(url).json()
        items += page["results"]
        url = page["next"]
    return items


def test_people_are_public_only_through_a_public_story(client, editor):
    public = factories.published("Public story")
    writer = public.bylines.first().person
    writer.contact_notes = "Private mobile number 555-0100"
    writer.save()
    source = factories.person(
        "Quoted Source", description="a harbour pilot", bio="Pilot since 1990."
    )
    factories.quote(public, speaker=source, text="We sail at dawn.", confirmed=True)
    unconfirmed = factories.person("Unconfirmed Source")
    factories.quote(public, speaker=unconfirmed, confirmed=False)
    draft = factories.article("Secret draft")
    draft_writer = draft.bylines.first().person

    slugs = {p["slug"] for p in all_pages(client, "/api/v1/people/?page_size=1")}
    assert slugs == {writer.slug, source.slug}
    for hidden in (draft_writer, unconfirmed):
        assert client.get(f"/api/v1/people/{hidden.slug}/").status_code == 404

    data = client.get(f"/api/v1/people/{source.slug}/").json()
    assert data["description"] == "a harbour pilot" and data["bio"] == "Pilot since 1990."
    assert data["stories"] == []
    assert [q["text"] for q in data["quotes"]] == ["We sail at dawn."]
    assert data["quotes"][0]["story"]["id"] == public.pk
    mine = client.get(f"/api/v1/people/{writer.slug}/")
    assert [s["id"] for s in mine.json()["stories"]] == [public.pk]
    assert "555-0100" not in mine.content.decode() and "contact" not in mine.content.decode()
    assert mine.json()["stories_api_url"].endswith(f"/api/v1/stories/?author={writer.slug}")


def test_a_person_page_lists_only_public_stories_and_quotes(client, editor):
    person = factories.person("Both Ways")
    public = factories.published("Public one")
    public.bylines.create(person=person, position=3)
    draft = factories.article("Secret one")
    draft.bylines.create(person=person, position=3)
    factories.quote(draft, speaker=person, text="Secret words.", confirmed=True)
    data = client.get(f"/api/v1/people/{person.slug}/").content.decode()
    assert "Public one" in data and "Secret" not in data


def test_tags_only_on_public_stories(client):
    public = factories.published()
    public.tags.add("harbours", "Zürich")
    factories.article().tags.add("secret-topic")
    slugs = {t["slug"] for t in all_pages(client, "/api/v1/tags/")}
    assert slugs == {"harbours", "zurich"} or slugs == {"harbours", "zürich"}
    assert client.get("/api/v1/tags/secret-topic/").status_code == 404
    assert client.get("/api/v1/tags/harbours/").json()["url"].endswith("/tag/harbours/")


def test_sections(client):
    factories.section("World")
    factories.section("Sport")
    data = client.get("/api/v1/sections/").json()
    assert {s["slug"] for s in data} == {"world", "sport"}
    assert client.get("/api/v1/sections/sport/").json()["name"] == "Sport"
    assert client.get("/api/v1/sections/nope/").status_code == 404


def test_photos_only_lead_public_stories(client):
    shown = photo_with_renditions(caption="Shown photo")
    factories.published(lead_photo=shown)
    unused = photo_with_renditions(caption="Secret unused photo")
    on_draft = photo_with_renditions(caption="Secret draft photo")
    factories.article(lead_photo=on_draft)
    listed = all_pages(client, "/api/v1/photos/")
    assert [p["id"] for p in listed] == [shown.pk]
    # An absolute address readers can open: the site's /media/ or the bucket's public copy.
    public = listed[0]["url"]
    assert listed[0]["renditions"] and public.startswith("http")
    assert "/public/" in public if settings.NEWSROOM_S3_BUCKET else "/media/" in public
    for photo in (unused, on_draft):
        assert client.get(f"/api/v1/photos/{photo.pk}/").status_code == 404


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_lists_cost_the_same_for_one_or_many(client):
    def grow():
        story = factories.published(lead_photo=photo_with_renditions())
        story.tags.add(f"tag-{story.pk}")
        factories.quote(story, confirmed=True)
        return story

    first = grow()
    person = first.bylines.first().person
    urls = ["/api/v1/tags/", "/api/v1/people/", "/api/v1/photos/", "/api/v1/sections/"]
    for url in urls:
        client.get(url)
    before = {url: _count(client, url) for url in urls}
    detail_before = _count(client, f"/api/v1/people/{person.slug}/")
    for _ in range(4):
        story = grow()
        story.bylines.create(person=person, position=9)
        factories.quote(story, speaker=person, confirmed=True)
    assert {url: _count(client, url) for url in urls} == before
    assert _count(client, f"/api/v1/people/{person.slug}/") == detail_before


def test_the_fast_photo_builder_says_what_the_serializer_says():
    from articles.syndication.api.serializers import PhotoSerializer, photo_data

    photo = photo_with_renditions(caption="Same either way", license_url="https://example.com/l")
    assert photo_data(photo) == PhotoSerializer(photo).data
