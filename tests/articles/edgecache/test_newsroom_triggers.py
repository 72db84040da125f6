"""Changes that reach readers outside a story's own edit: the front, photo files, old
addresses, and the API (its stories, lists and partner feed) all drop what shows them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import StoryRedirect
from articles.photos.renditions import ensure_renditions
from articles.publishing.front import ArrangeFront
from articles.publishing.steps import AddCorrection
from tests import factories
from tests.articles.edgecache.conftest import cache_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(editor, commit):
    with commit():
        older = factories.published("Harbour strike ends", by=editor, hours_ago=5)
        newer = factories.published("Cup final tonight", by=editor, hours_ago=1)
    return older, newer


def warm(client, *urls):
    for url in urls:
        client.get(url)
        assert cache_state(client.get(url)) == "hit", url


def test_arranging_the_front_drops_the_front(client, editor, commit, purged, two):
    older, _ = two
    warm(client, "/")
    purged.clear()
    with commit():
        ArrangeFront([older.pk], editor).execute()
    assert any({"front", f"story-{older.pk}"} <= keys for keys in purged)
    front = client.get("/")
    assert cache_state(front) == "miss"
    lead = front.content.decode().index("Harbour strike ends")
    assert lead < front.content.decode().index("Cup final tonight")


def test_renditions_made_after_publishing_drop_the_pages_that_show_the_photo(
    client, editor, commit, purged
):
    photo = factories.photo()  # the worker has not made its renditions yet
    with commit():
        story = factories.published("Boats at dawn", by=editor, lead_photo=photo)
    url = story.get_absolute_url()
    warm(client, url)
    assert f"photo-{photo.pk}" in client.get(url)["Surrogate-Key"].split()
    purged.clear()
    with commit():
        ensure_renditions(photo)  # released at once: a public story uses the photo
    assert {f"photo-{photo.pk}", "feeds"} in purged
    assert cache_state(client.get(url)) == "miss"


def test_an_old_address_kept_by_hand_drops_the_cached_answer_there(client, commit, purged, two):
    older, _ = two
    old_path = "/world/2020/01/01/harbour-strike/"
    assert "missing" in client.get(old_path)["Surrogate-Key"].split()
    purged.clear()
    with commit():
        StoryRedirect.objects.create(old_path=old_path, article=older)
    assert purged == [{"missing", f"story-{older.pk}"}]
    assert client.get(old_path).status_code == 301


def test_a_correction_drops_the_api_story_but_not_the_api_lists(client, editor, commit, two):
    older, _ = two
    story_url = f"/api/v1/stories/{older.pk}/"
    warm(client, story_url, "/api/v1/sections/")
    with commit():
        AddCorrection(older, editor, note="The strike lasted six days.").execute()
    answer = client.get(story_url)
    assert cache_state(answer) == "miss" and "six days" in answer.content.decode()
    assert cache_state(client.get("/api/v1/sections/")) == "hit"


def test_a_copy_made_without_fields_is_never_served_to_a_request_with_them(client, two):
    story_url = f"/api/v1/stories/{two[0].pk}/"
    warm(client, story_url)
    narrow = client.get(f"{story_url}?fields=headline")
    assert cache_state(narrow) == "miss" and set(narrow.json()) == {"headline"}
    assert cache_state(client.get(f"{story_url}?fields=headline")) == "miss"  # never stored
    assert cache_state(client.get(story_url)) == "hit"


def test_a_new_story_empties_the_api_list_of_stories(client, editor, commit, two):
    listing = "/api/v1/stories/?page_size=5"  # a page size makes its own (bounded) entry
    warm(client, listing)
    first = client.get(listing)
    with commit():
        factories.published("Harbour pilots join the strike", by=editor, hours_ago=0)
    again = client.get(listing, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and cache_state(again) == "miss"
    assert "Harbour pilots" in again.content.decode()


def test_the_partner_feed_changes_again_once_an_entry_has_settled(
    client, editor, commit, monkeypatch
):
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    with commit():
        factories.published("Just in", by=editor)
    first = client.get("/api/v1/partner-feed/")
    assert first.json()["items"] == []  # logged, but not settled yet
    later = now + timedelta(seconds=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    again = client.get("/api/v1/partner-feed/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and len(again.json()["items"]) == 1
