"""HTTP caching: validators and 304s, Cache-Control, whole-page cache, invalidation, purges."""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.edgecache import middleware as edge_middleware
from articles.edgecache import versions
from articles.edgecache.purge import HttpBanPurge, NoPurge, purge
from articles.publishing.steps import AddCorrection
from tests import factories

pytestmark = pytest.mark.django_db

PURGED: list[set[str]] = []


class RecordingPurge:
    """A purge backend that remembers what it was asked to drop."""

    def purge(self, keys):
        PURGED.append(set(keys))


@pytest.fixture(autouse=True)
def http_cache(settings):
    settings.NEWSROOM_HTTP_CACHE = True
    settings.NEWSROOM_CACHE_SECONDS = 120
    settings.NEWSROOM_BROWSER_CACHE_SECONDS = 30
    settings.NEWSROOM_STALE_SECONDS = 15
    settings.NEWSROOM_PURGE_BACKEND = "tests.articles.edgecache.test_caching.RecordingPurge"
    PURGED.clear()


@pytest.fixture
def story(editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        story = factories.published("Cached story", by=editor)
        story.tags.add("Ports")
    return story


FEED = "/feeds/rss/"


def titles(client, url=FEED):
    import feedparser

    return [e.title for e in feedparser.parse(client.get(url).content).entries]


def test_public_responses_carry_validators_and_shared_cache_headers(client, story):
    for url in (FEED, "/feeds/atom/", "/sitemap.xml", "/sitemap-news.xml", "/robots.txt", "/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["ETag"].startswith('"') and response["Last-Modified"], url
        assert response["Cache-Control"] == (
            "public, max-age=30, s-maxage=120, stale-while-revalidate=15"
        ), url
        assert "all" in response["Surrogate-Key"].split()
        assert response["Cache-Tag"] == ",".join(response["Surrogate-Key"].split())
    assert "feeds" in client.get(FEED)["Surrogate-Key"].split()
    assert "sitemaps" in client.get("/sitemap.xml")["Surrogate-Key"].split()
    assert "front" in client.get("/")["Surrogate-Key"].split()


def test_story_page_names_its_story_and_section(client, story):
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    keys = response["Surrogate-Key"].split()
    assert f"story-{story.pk}" in keys and f"section-{story.section.slug}" in keys


def test_list_pages_name_every_story_they_show(client, story):
    keys = client.get("/")["Surrogate-Key"].split()
    assert f"story-{story.pk}" in keys


def test_conditional_requests_get_304_without_touching_the_database(
    client, story, django_assert_num_queries
):
    first = client.get(FEED)
    with django_assert_num_queries(0):
        again = client.get(FEED, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]
    since = client.get(FEED, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    stale = client.get(FEED, HTTP_IF_NONE_MATCH='"something-else"')
    assert stale.status_code == 200


def test_etag_differs_per_address(client, story):
    assert client.get(FEED)["ETag"] != client.get("/feeds/atom/")["ETag"]


def test_second_anonymous_request_is_served_whole_from_the_cache(
    client, story, django_assert_num_queries
):
    first = client.get(FEED)
    assert first["X-Newsroom-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(FEED)
    assert second["X-Newsroom-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_logged_in_readers_admin_and_desk_are_private(client, story, editor):
    for url in ("/admin/", "/desk/preview/1/", "/admin/articles/article/"):
        response = client.get(url)
        assert response["Cache-Control"] == "private, no-store", url
        assert "Surrogate-Key" not in response
    client.force_login(editor)
    for url in (FEED, "/", story.get_absolute_url()):
        response = client.get(url)
        assert response["Cache-Control"] == "private, no-store", url
        assert "ETag" not in response and "X-Newsroom-Cache" not in response


def test_a_page_that_sets_a_cookie_is_private(client, story):
    client.cookies["messages"] = "x"
    assert client.get(FEED)["Cache-Control"] == "private, no-store"


def test_missing_pages_are_short_lived_and_purgeable(client, db):
    response = client.get("/feeds/section/nowhere/rss/")
    assert response.status_code == 404
    assert "missing" in response["Surrogate-Key"].split()
    assert "s-maxage=120" in response["Cache-Control"]


def publish(story, editor, capture, **kwargs):
    with capture(execute=True):
        story.publish(by=editor, **kwargs)


def test_publishing_invalidates_and_purges(
    client, story, editor, django_capture_on_commit_callbacks
):
    first = client.get(FEED)
    assert titles(client) == ["Cached story"]
    fresh = factories.article("Fresh story", section=factories.section("Sport"))
    fresh.tags.add("Finals")
    PURGED.clear()
    publish(fresh, editor, django_capture_on_commit_callbacks)
    response = client.get(FEED, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200 and response["ETag"] != first["ETag"]
    assert response["X-Newsroom-Cache"] == "miss"
    assert titles(client) == ["Fresh story", "Cached story"]
    person = fresh.bylines.first().person
    assert [
        {
            f"story-{fresh.pk}",
            "front",
            "feeds",
            "sitemaps",
            "missing",
            "section-sport",
            "tag-finals",
            f"person-{person.slug}",
        }
    ] == PURGED


def test_unpublishing_and_killing_remove_the_story_at_once(
    client, story, editor, django_capture_on_commit_callbacks
):
    other = factories.published("Other story", by=editor, hours_ago=3)
    assert titles(client) == ["Cached story", "Other story"]
    with django_capture_on_commit_callbacks(execute=True):
        story.unpublish(by=editor)
    assert titles(client) == ["Other story"]
    with django_capture_on_commit_callbacks(execute=True):
        other.kill(by=editor, note="Legal")
    assert titles(client) == []
    assert {f"story-{story.pk}", "feeds"} <= PURGED[-2]
    assert {f"story-{other.pk}", "feeds"} <= PURGED[-1]


def test_a_correction_invalidates_and_purges(client, story, django_capture_on_commit_callbacks):
    first = client.get(story.get_absolute_url())
    PURGED.clear()
    editor = factories.user("Editor")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        AddCorrection(story, editor, note="An earlier version got the date wrong.").execute()
    assert callbacks, "the correction must schedule story_changed after commit"
    assert f"story-{story.pk}" in PURGED[0]
    again = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["X-Newsroom-Cache"] == "miss"


def test_a_correction_on_a_draft_is_refused_and_purges_nothing(django_capture_on_commit_callbacks):
    draft = factories.article("Draft")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        AddCorrection(draft, factories.user("Editor"), note="Not live yet.").execute()
    assert PURGED == [] and not draft.corrections.exists()


def test_edits_to_sections_and_people_start_a_new_version(
    story, django_capture_on_commit_callbacks
):
    before = versions.current_version()
    with django_capture_on_commit_callbacks(execute=True):
        story.section.description = "New description"
        story.section.save()
    assert versions.current_version().token != before.token
    assert {"section-world", "front"} <= PURGED[-1]


def test_scheduled_story_caps_cache_lifetime_and_appears_on_time(
    client, story, editor, monkeypatch, django_capture_on_commit_callbacks
):
    embargoed = factories.article("Embargoed story")
    at = timezone.now() + timedelta(seconds=90)
    publish(embargoed, editor, django_capture_on_commit_callbacks, at=at)
    first = client.get(FEED)
    control = first["Cache-Control"]
    assert "s-maxage=120" not in control
    s_maxage = int(control.split("s-maxage=")[1].split(",")[0])
    assert 80 <= s_maxage <= 90
    assert "Embargoed story" not in titles(client)

    later = at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = client.get(FEED, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200 and response["X-Newsroom-Cache"] == "miss"
    assert "s-maxage=120" in response["Cache-Control"]
    assert titles(client)[0] == "Embargoed story"


def test_cold_cache_version_is_the_same_in_every_process(story):
    from django.core.cache import cache

    cache.delete(versions.VERSION_KEY)
    first = versions.current_version()
    cache.delete(versions.VERSION_KEY)
    assert versions.current_version().token == first.token
    assert versions.bump_content_version().token != first.token


def test_purge_backends(settings):
    settings.NEWSROOM_PURGE_URL = ""
    NoPurge().purge({"a"})
    HttpBanPurge().purge({"story-1"})  # no URL: nothing to do, no error

    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_BAN(self):
            received.append((self.command, self.path, self.headers["Surrogate-Key"]))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        settings.NEWSROOM_PURGE_BACKEND = "articles.edgecache.purge.HttpBanPurge"
        settings.NEWSROOM_PURGE_URL = f"http://127.0.0.1:{server.server_port}/purge"
        purge({"story-7", "front"})
    finally:
        server.shutdown()
        server.server_close()
    assert received == [("BAN", "/purge", "front story-7")]


def test_a_dead_purge_endpoint_never_fails_a_publish(settings):
    settings.NEWSROOM_PURGE_BACKEND = "articles.edgecache.purge.HttpBanPurge"
    settings.NEWSROOM_PURGE_URL = "http://127.0.0.1:9/purge"
    purge({"story-1"})  # logged, not raised


def test_a_page_that_used_a_csp_nonce_is_private(rf, db):
    """A nonce is per response: a shared copy would carry one that no longer matches."""
    from django.http import HttpResponse

    def view(request):
        request._csp_nonce = "abc"
        return HttpResponse("<script nonce='abc'></script>")

    request = rf.get("/feeds/rss/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = edge_middleware.PublicCacheMiddleware(view)(request)
    assert response["Cache-Control"] == "private, no-store"


def test_head_request_served_from_the_page_cache_has_no_body(rf, story):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    def page(request):
        return HttpResponse(b"<p>front page</p>")

    middleware = edge_middleware.PublicCacheMiddleware(page)

    def call(method):
        request = getattr(rf, method)("/cached-front/")
        request.user = AnonymousUser()
        return middleware(request)

    assert call("get")["X-Newsroom-Cache"] == "miss"
    head = call("head")
    assert head["X-Newsroom-Cache"] == "hit"
    assert head.content == b""
    assert head["Content-Length"] == str(len(b"<p>front page</p>"))
    assert call("get").content == b"<p>front page</p>"


def test_editing_a_lead_photo_refreshes_the_story_it_leads(
    client, editor, django_capture_on_commit_callbacks
):
    photo = factories.photo(caption="Boats at the quay before dawn.")
    with django_capture_on_commit_callbacks(execute=True):
        led = factories.published("A story with a photo", by=editor, lead_photo=photo)
    assert "Boats at the quay before dawn." in client.get(led.get_absolute_url()).content.decode()
    PURGED.clear()

    photo.caption = "Fishing boats at the north quay before dawn."
    with django_capture_on_commit_callbacks(execute=True):
        photo.save()

    page = client.get(led.get_absolute_url())
    assert page["X-Newsroom-Cache"] == "miss"
    assert "Fishing boats at the north quay" in page.content.decode()
    assert any(f"story-{led.pk}" in keys for keys in PURGED)
