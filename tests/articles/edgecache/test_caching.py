"""HTTP caching: validators and 304s, Cache-Control, private responses, purge backends."""

import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse

from articles.edgecache import middleware as edge_middleware
from articles.edgecache.purge import HttpBanPurge, NoPurge, purge
from tests import factories

pytestmark = pytest.mark.django_db

FEED = "/feeds/rss/"


@pytest.fixture
def story(editor, commit):
    with commit():
        story = factories.published("Cached story", by=editor)
        story.tags.add("Ports")
    return story


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


def test_story_page_names_its_story_but_not_its_sections_lists(client, story):
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    keys = response["Surrogate-Key"].split()
    assert f"story-{story.pk}" in keys and f"section-{story.section.slug}" not in keys
    assert f"section-{story.section.slug}" in client.get("/section/world/")["Surrogate-Key"]


def test_lists_and_feeds_name_every_story_they_show(client, story):
    for url in (
        "/",
        FEED,
        f"/section/{story.section.slug}/",
        "/tag/ports/",
        "/feeds/tag/ports/rss/",
    ):
        assert f"story-{story.pk}" in client.get(url)["Surrogate-Key"].split(), url


def test_conditional_requests_get_304_without_touching_the_database(
    client, story, django_assert_num_queries
):
    first = client.get(FEED)
    with django_assert_num_queries(0):
        again = client.get(FEED, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]
    assert again["Surrogate-Key"] == first["Surrogate-Key"]
    since = client.get(FEED, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    stale = client.get(FEED, HTTP_IF_NONE_MATCH='"something-else"')
    assert stale.status_code == 200 and stale.content == first.content


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
    for header in ("Content-Type", "ETag", "Last-Modified", "Surrogate-Key", "Cache-Control"):
        assert second[header] == first[header], header


def test_a_hit_keeps_the_headers_the_stack_set(client, story):
    """Security headers and the CSP are stored with the page: a hit skips the middleware."""
    first = client.get(story.get_absolute_url())
    second = client.get(story.get_absolute_url())
    assert second["X-Newsroom-Cache"] == "hit"
    for header in (
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "X-Frame-Options",
        "Content-Length",
    ):
        assert header in first, header
        assert second[header] == first[header], header


def test_logged_in_readers_admin_and_desk_are_private(client, story, editor):
    for url in ("/admin/", "/desk/preview/1/", "/admin/articles/article/"):
        response = client.get(url)
        assert response["Cache-Control"] == "private, no-store", url
        assert "Surrogate-Key" not in response
    client.get(FEED)  # an anonymous copy is now in the cache
    client.force_login(editor)
    for url in (FEED, "/", story.get_absolute_url()):
        response = client.get(url)
        assert response["Cache-Control"] == "private, no-store", url
        assert "ETag" not in response and "X-Newsroom-Cache" not in response


@pytest.mark.parametrize(
    "credential",
    [{"HTTP_COOKIE": "messages=x"}, {"HTTP_AUTHORIZATION": "Bearer abc"}],
    ids=["messages-cookie", "authorization"],
)
def test_messages_and_credentials_are_never_served_from_the_cache(client, story, credential):
    assert client.get(FEED)["X-Newsroom-Cache"] == "miss"
    assert client.get(FEED)["X-Newsroom-Cache"] == "hit"
    response = client.get(FEED, **credential)
    assert response["Cache-Control"] == "private, no-store"
    assert "X-Newsroom-Cache" not in response and "ETag" not in response


def test_missing_pages_are_short_lived_and_purgeable(client, db):
    response = client.get("/feeds/section/nowhere/rss/")
    assert response.status_code == 404
    assert "missing" in response["Surrogate-Key"].split()
    assert "s-maxage=120" in response["Cache-Control"]
    assert "X-Newsroom-Cache" not in response  # never stored


def test_purge_backends(settings):
    settings.NEWSROOM_PURGE_URL = ""
    assert NoPurge().purge({"a"}) is None
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
        HttpBanPurge().purge({"story-1"})  # no URL: nothing is sent
        assert received == []
        settings.NEWSROOM_PURGE_BACKEND = "articles.edgecache.purge.HttpBanPurge"
        settings.NEWSROOM_PURGE_URL = f"http://127.0.0.1:{server.server_port}/purge"
        purge({"story-7", "front"})
    finally:
        server.shutdown()
        server.server_close()
    assert received == [("BAN", "/purge", "front story-7")]


def test_a_dead_purge_endpoint_never_fails_a_publish(settings, caplog):
    settings.NEWSROOM_PURGE_BACKEND = "articles.edgecache.purge.HttpBanPurge"
    settings.NEWSROOM_PURGE_URL = "http://127.0.0.1:9/purge"
    with caplog.at_level(logging.WARNING, logger="articles.edgecache.purge"):
        assert purge({"story-1"}) is None  # returns, does not raise
    assert any("story-1" in r.getMessage() and "failed" in r.getMessage() for r in caplog.records)


def call(middleware, rf, method="get", path="/cached-front/", **extra):
    request = getattr(rf, method)(path, **extra)
    request.user = AnonymousUser()
    return middleware(request)


def test_a_page_that_used_a_csp_nonce_is_private(rf, db):
    """A nonce is per response: a shared copy would carry one that no longer matches."""

    def view(request):
        request._csp_nonce = "abc"
        return HttpResponse("<script nonce='abc'></script>")

    response = call(edge_middleware.PublicCacheMiddleware(view), rf, path=FEED)
    assert response["Cache-Control"] == "private, no-store"


def keyed(content: bytes, *keys: str) -> HttpResponse:
    response = HttpResponse(content)
    response.surrogate_keys = set(keys)
    return response


def test_head_request_served_from_the_page_cache_has_no_body(rf, story):
    middleware = edge_middleware.PublicCacheMiddleware(lambda r: keyed(b"<p>front</p>", "front"))
    assert call(middleware, rf)["X-Newsroom-Cache"] == "miss"
    head = call(middleware, rf, "head")
    assert head["X-Newsroom-Cache"] == "hit"
    assert head.content == b""
    assert head["Content-Length"] == str(len(b"<p>front</p>"))
    assert call(middleware, rf).content == b"<p>front</p>"


def test_a_head_miss_is_not_stored_without_its_body(rf, db):
    middleware = edge_middleware.PublicCacheMiddleware(lambda r: keyed(b"", "front"))
    assert call(middleware, rf, "head")["X-Newsroom-Cache"] == "miss"
    assert call(middleware, rf, "head")["X-Newsroom-Cache"] == "miss"


def test_a_view_that_names_nothing_it_shows_is_not_cached(rf, db):
    """It could never be dropped when what it shows changes (a new API, say): not until it
    declares its keys."""
    middleware = edge_middleware.PublicCacheMiddleware(lambda r: HttpResponse(b"[1, 2]"))
    for _ in range(2):
        response = call(middleware, rf, path="/api/stories/")
        assert response["Cache-Control"] == "no-cache"
        assert "ETag" not in response and "X-Newsroom-Cache" not in response
