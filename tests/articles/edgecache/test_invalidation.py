"""Invalidation by key: each change drops exactly the pages that show what changed."""

from datetime import timedelta

import feedparser
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from taggit.models import Tag

from articles.edgecache import versions
from articles.publishing.steps import AddCorrection
from tests import factories
from tests.articles.edgecache.conftest import cache_state

pytestmark = pytest.mark.django_db

FEED = "/feeds/rss/"


def titles(client, url=FEED):
    return [e.title for e in feedparser.parse(client.get(url).content).entries]


@pytest.fixture
def desk(editor, commit):
    """Story A (World, tagged ports, oldest), story B (Sport, tagged finals) and five newer
    Culture stories, so neither A nor B is in the other's related or latest boxes."""
    with commit():
        world, sport, culture = (factories.section(n) for n in ("World", "Sport", "Culture"))
        a = factories.article("Harbour strike ends", section=world)
        a.tags.add("Ports")
        a.publish(by=editor, at=timezone.now() - timedelta(hours=20))
        b = factories.article("Cup final tonight", section=sport)
        b.tags.add("Finals")
        b.publish(by=editor, at=timezone.now() - timedelta(hours=10))
        for n in range(5):
            factories.published(f"Gallery opens {n}", section=culture, hours_ago=5 - n, by=editor)
    a.refresh_from_db()
    b.refresh_from_db()
    return {"a": a, "b": b, "editor": editor}


def warm(client, *urls):
    for url in urls:
        client.get(url)
        assert cache_state(client.get(url)) == "hit", url


def test_a_correction_drops_only_the_pages_that_carry_the_storys_text(
    client, desk, commit, purged, monkeypatch
):
    a, b = desk["a"], desk["b"]
    unrelated = [
        b.get_absolute_url(),
        "/section/sport/",
        "/tag/finals/",
        "/feeds/section/sport/rss/",
        "/feeds/tag/finals/rss/",
    ]
    # These list A's headline, which a correction does not change.
    headline_only = ["/section/world/", "/tag/ports/", "/"]
    with_text = [a.get_absolute_url(), FEED, "/feeds/section/world/rss/", "/feeds/tag/ports/rss/"]
    warm(client, *unrelated, *headline_only, *with_text)
    purged.clear()

    def updated_in_feed():
        entries = feedparser.parse(client.get(FEED).content).entries
        return {e.title: e.updated for e in entries}["Harbour strike ends"]

    before = updated_in_feed()
    clock = Clock(monkeypatch)
    clock.move(minutes=5)
    with commit():
        AddCorrection(a, desk["editor"], note="The strike lasted six days, not five.").execute()

    # "changes": the API's partner feed logs every story event.
    assert purged == [{f"text-{a.pk}", "sitemaps", "changes"}]
    for url in unrelated + headline_only:
        assert cache_state(client.get(url)) == "hit", url
    for url in with_text:
        assert cache_state(client.get(url)) == "miss", url
    assert "six days, not five" in client.get(a.get_absolute_url()).content.decode()
    assert updated_in_feed() != before


def test_an_edit_to_a_live_story_drops_every_page_that_shows_it(client, desk, commit, purged):
    from articles.publishing import revisions

    a, b = desk["a"], desk["b"]
    warm(client, "/section/world/", "/", b.get_absolute_url())
    with commit():
        a.headline = "Harbour strike ends after six days"
        a.save()
        revisions.announce_if_live(a)
    assert {f"story-{a.pk}", "front", "section-world", "tag-ports"} <= purged[-1]
    page = client.get("/section/world/")
    assert cache_state(page) == "miss" and "after six days" in page.content.decode()
    assert cache_state(client.get(b.get_absolute_url())) == "hit"


def test_publishing_drops_the_lists_the_story_joins_and_nothing_else(client, desk, commit, purged):
    a, b = desk["a"], desk["b"]
    warm(client, a.get_absolute_url(), b.get_absolute_url(), "/section/sport/", "/", FEED)
    fresh = factories.article("Harbour pilots join the strike", section=a.section)
    fresh.tags.add("Ports", "Labour")
    purged.clear()
    with commit():
        fresh.publish(by=desk["editor"])

    person = fresh.bylines.get().person
    assert purged == [
        {
            f"story-{fresh.pk}",
            "front",
            "sitemaps",
            "search",
            "missing",
            "section-world",
            "tag-ports",
            "tag-labour",
            f"person-{person.slug}",
            "changes",
        }
    ]
    assert titles(client)[0] == "Harbour pilots join the strike"
    assert cache_state(client.get("/")) == "miss"
    assert cache_state(client.get("/section/world/")) == "miss"
    # Story pages are not lists of the new story: they stay cached.
    assert cache_state(client.get(a.get_absolute_url())) == "hit"
    assert cache_state(client.get(b.get_absolute_url())) == "hit"
    assert cache_state(client.get("/section/sport/")) == "hit"


def test_unpublishing_and_killing_remove_the_story_at_once(client, desk, commit, purged):
    a, b = desk["a"], desk["b"]
    warm(client, FEED, a.get_absolute_url(), b.get_absolute_url(), "/tag/ports/")
    assert {"Harbour strike ends", "Cup final tonight"} <= set(titles(client))
    with commit():
        a.unpublish(by=desk["editor"])
    assert client.get(a.get_absolute_url()).status_code == 404
    assert client.get("/tag/ports/").status_code == 404  # no public story carries the tag now
    with commit():
        b.kill(by=desk["editor"], note="Legal")
    assert client.get(b.get_absolute_url()).status_code == 410
    assert not {"Harbour strike ends", "Cup final tonight"} & set(titles(client))
    assert {f"story-{a.pk}", "tag-ports", "section-world", "front"} <= purged[-2]
    assert {f"story-{b.pk}", "tag-finals", "section-sport", "front"} <= purged[-1]


def test_a_deleted_story_leaves_every_cache_feed_and_purge(
    client, admin_client, desk, commit, purged
):
    """Issue 11, defect 2: deleting a live story used to leave it cached, 304'd and in feeds."""
    a = desk["a"]
    person = a.bylines.get().person
    first = client.get(a.get_absolute_url())
    assert cache_state(client.get(a.get_absolute_url())) == "hit"
    assert "Harbour strike ends" in titles(client)
    purged.clear()

    with commit():
        answer = admin_client.post(f"/admin/articles/article/{a.pk}/delete/", {"post": "yes"})
    assert answer.status_code == 302

    page = client.get(a.get_absolute_url())
    assert page.status_code == 404
    assert client.get(a.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 404
    assert "Harbour strike ends" not in titles(client)
    assert "Harbour strike ends" not in client.get("/section/world/").content.decode()
    # The purge names its lists even though its tags and bylines were gone by then.
    assert (
        purged
        and {
            f"story-{a.pk}",
            "front",
            "sitemaps",
            "missing",
            "section-world",
            "tag-ports",
            f"person-{person.slug}",
        }
        <= purged[-1]
    )


def test_a_deleted_story_with_nothing_remembered_still_leaves_its_pages(
    client, desk, commit, purged
):
    """When the cache lost what lists the story was in, its own key still drops every page
    that showed it, and its section and the site-wide lists are purged."""
    from django.core.cache import cache

    from articles.edgecache.signal_handlers import LISTS_PREFIX

    a = desk["a"]
    pk, url = a.pk, a.get_absolute_url()
    warm(client, url, "/tag/ports/", FEED)
    with commit():
        a.delete()
        cache.delete(f"{LISTS_PREFIX}{pk}")  # as if the cache had been flushed meanwhile
    assert client.get(url).status_code == 404
    assert cache_state(client.get("/tag/ports/")) != "hit"
    assert "Harbour strike ends" not in titles(client)
    assert {f"story-{pk}", "front", "section-world", "sitemaps"} <= purged[-1]


def test_renaming_a_tag_drops_only_the_pages_that_show_it(client, desk, commit, purged):
    a, b = desk["a"], desk["b"]
    warm(client, a.get_absolute_url(), b.get_absolute_url(), "/tag/ports/", "/section/sport/")
    purged.clear()
    with commit():
        tag = Tag.objects.get(slug="ports")
        tag.name = "Seaports"
        tag.save()
    assert purged == [{"tag-ports", f"story-{a.pk}"}]
    assert "Seaports" in client.get(a.get_absolute_url()).content.decode()
    assert cache_state(client.get("/tag/ports/")) == "miss"
    assert cache_state(client.get(b.get_absolute_url())) == "hit"
    assert cache_state(client.get("/section/sport/")) == "hit"


def test_editing_a_person_drops_their_stories_and_pages_only(client, desk, commit, purged):
    a, b = desk["a"], desk["b"]
    writer = a.bylines.get().person
    warm(client, a.get_absolute_url(), b.get_absolute_url(), writer.get_absolute_url())
    purged.clear()
    with commit():
        writer.name = "Ana Tide"
        writer.save()
    assert purged == [{f"person-{writer.slug}", f"story-{a.pk}"}]
    assert "Ana Tide" in client.get(a.get_absolute_url()).content.decode()
    assert cache_state(client.get(writer.get_absolute_url())) == "miss"
    assert cache_state(client.get(b.get_absolute_url())) == "hit"


def test_a_section_description_drops_its_pages_and_a_new_name_every_page(
    client, desk, commit, purged
):
    a, b = desk["a"], desk["b"]
    warm(client, "/section/world/", "/section/sport/", b.get_absolute_url())
    purged.clear()
    with commit():
        world = a.section
        world.description = "News from everywhere."
        world.save()
    assert purged == [{"section-world"}]
    assert cache_state(client.get("/section/world/")) == "miss"
    assert cache_state(client.get("/section/sport/")) == "hit"
    assert cache_state(client.get(b.get_absolute_url())) == "hit"

    with commit():
        world.name = "International"
        world.save()
    assert purged[-1] == {"section-world", "all"}
    page = client.get(b.get_absolute_url())  # the navigation on every page names it
    assert cache_state(page) == "miss" and "International" in page.content.decode()


def test_editing_a_photo_drops_the_pages_that_show_it(client, editor, commit, purged):
    photo = factories.photo(caption="Boats at the quay before dawn.")
    with commit():
        led = factories.published("A story with a photo", by=editor, lead_photo=photo)
        other = factories.published("A story without one", by=editor, hours_ago=30)
    warm(client, led.get_absolute_url(), other.get_absolute_url())
    purged.clear()
    photo.caption = "Fishing boats at the north quay before dawn."
    with commit():
        photo.save()
    assert purged == [{f"photo-{photo.pk}", "feeds"}]
    page = client.get(led.get_absolute_url())
    assert cache_state(page) == "miss"
    assert "Fishing boats at the north quay" in page.content.decode()
    assert cache_state(client.get(other.get_absolute_url())) == "hit"


def test_a_correction_on_a_draft_is_refused_and_purges_nothing(commit, purged):
    draft = factories.article("Draft")
    with commit(), pytest.raises(ValidationError):
        AddCorrection(draft, factories.user("Editor"), note="Not live yet.").execute()
    assert purged == [] and not draft.corrections.exists()


class Clock:
    def __init__(self, monkeypatch):
        self.at = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.at)

    def move(self, **delta):
        self.at += timedelta(**delta)


def test_a_scheduled_story_appears_on_time_with_no_cron(client, desk, commit, monkeypatch):
    a, b = desk["a"], desk["b"]
    embargoed = factories.article("Embargoed story", section=a.section)
    clock = Clock(monkeypatch)
    at = clock.at + timedelta(seconds=90)
    warm(client, FEED, "/section/world/", b.get_absolute_url())
    with commit():
        embargoed.publish(by=desk["editor"], at=at)

    # Nothing shows it yet, and no page that may show it outlives its time.
    first = client.get(FEED)
    assert cache_state(first) == "hit"
    assert "Embargoed story" not in titles(client)
    s_maxage = int(first["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 80 <= s_maxage <= 90
    assert "s-maxage=120" in client.get(b.get_absolute_url())["Cache-Control"]

    clock.move(seconds=91)
    response = client.get(FEED, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200 and cache_state(response) == "miss"
    assert "s-maxage=120" in response["Cache-Control"]
    assert titles(client)[0] == "Embargoed story"
    assert cache_state(client.get("/section/world/")) == "miss"
    assert client.get(embargoed.get_absolute_url()).status_code == 200
    # An unrelated story's page did not change at that moment, and stays cached.
    assert cache_state(client.get(b.get_absolute_url())) == "hit"


def test_an_expiring_story_leaves_every_page_on_time(client, desk, commit, monkeypatch):
    a, b = desk["a"], desk["b"]
    clock = Clock(monkeypatch)
    warm(client, a.get_absolute_url())  # before the story exists: its latest box lacks it
    with commit():
        expiring = factories.article("Story with an end", section=b.section)
        expiring.unpublish_at = clock.at + timedelta(minutes=1)
        expiring.save()
        expiring.publish(by=desk["editor"])
    warm(client, FEED, expiring.get_absolute_url(), "/section/sport/", b.get_absolute_url())
    assert f"story-{expiring.pk}" in client.get(b.get_absolute_url())["Surrogate-Key"].split()
    clock.move(minutes=2)
    assert client.get(expiring.get_absolute_url()).status_code == 404
    assert "Story with an end" not in titles(client)
    assert "Story with an end" not in client.get("/section/sport/").content.decode()
    assert "Story with an end" not in client.get(b.get_absolute_url()).content.decode()
    assert cache_state(client.get(a.get_absolute_url())) == "hit"


def test_a_flushed_cache_never_lets_an_old_etag_match(client, desk):
    from django.core.cache import cache

    url = desk["a"].get_absolute_url()
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    cache.clear()  # Redis restarted: every record and the generation are gone
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]


def test_a_lost_record_then_a_change_never_lets_an_old_etag_match(client, desk, commit):
    from django.core.cache import cache

    a = desk["a"]
    first = client.get(a.get_absolute_url())
    assert client.get(a.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    cache.delete(versions.record_key(f"story-{a.pk}"))  # evicted: nothing changed yet
    client.get(a.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])  # a 304 or a 200: both true
    with commit():
        AddCorrection(a, desk["editor"], note="A name was misspelt.").execute()
    again = client.get(a.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and "A name was misspelt." in again.content.decode()


def test_sitemaps_lastmod_follows_the_sitemaps_key(client, desk, commit):
    before = versions.current_version()
    with commit():
        AddCorrection(desk["a"], desk["editor"], note="A corrected figure.").execute()
    after = versions.current_version()
    assert after.token != before.token and after.changed_at > before.changed_at


def test_a_schedule_whose_time_came_before_commit_counts_as_a_publish(
    client, desk, commit, monkeypatch
):
    a = desk["a"]
    warm(client, FEED, "/section/world/")
    story = factories.article("Just in time", section=a.section)
    clock = Clock(monkeypatch)
    with commit():
        story.publish(by=desk["editor"], at=clock.at + timedelta(seconds=1))
        clock.move(seconds=2)  # the commit and its receivers ran after the moment
    assert titles(client)[0] == "Just in time"
    assert "Just in time" in client.get("/section/world/").content.decode()
