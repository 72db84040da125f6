"""The page cache: hits answered before the stack runs, and a bounded number of entries."""

import re
import secrets

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpResponse

from articles.edgecache import middleware as edge_middleware
from articles.edgecache import pagecache, versions
from tests import factories
from tests.articles.edgecache.conftest import cache_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(editor, commit):
    """25 published stories in one section (two list pages), one of them tagged."""
    with commit():
        made = [
            factories.published(f"Story number {n}", by=editor, hours_ago=n + 1) for n in range(25)
        ]
        made[0].tags.add("Ports")
    return made


def page_entries() -> int:
    """Page-cache entries in the test cache (local memory, or Redis under make test-postgres)."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        client = backend._cache.get_client()
        return sum(1 for _ in client.scan_iter(match=f"*{pagecache.PAGE_PREFIX}*"))
    return sum(1 for key in backend._cache if pagecache.PAGE_PREFIX in key)


PUBLIC_PAGES = ["/", "/section/world/", "/tag/ports/", "/feeds/rss/", "/sitemap.xml"]


def test_a_hit_runs_no_session_auth_or_query(client, stories, django_assert_num_queries):
    urls = [
        *PUBLIC_PAGES,
        stories[0].get_absolute_url(),
        stories[0].bylines.get().person.get_absolute_url(),
    ]
    for url in urls:
        assert cache_state(client.get(url)) == "miss", url
        with django_assert_num_queries(0):
            hit = client.get(url)
        assert cache_state(hit) == "hit", url
        request = hit.wsgi_request
        # Answered before SessionMiddleware, AuthenticationMiddleware and the URL resolver.
        assert not hasattr(request, "session") and not hasattr(request, "user"), url
        assert request.resolver_match is None, url


def test_anonymous_pages_never_touch_the_session(client, stories):
    urls = [*PUBLIC_PAGES, stories[0].get_absolute_url(), "/search/?q=story"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        session = response.wsgi_request.session
        assert not session.accessed and not session.modified, url
        assert "Cookie" not in response.get("Vary", ""), url
        assert not response.cookies, url


def test_random_query_strings_add_no_entries(client, stories):
    story_url = stories[0].get_absolute_url()
    # The empty search form is a page like any other (it reads ``q``, which it was not sent).
    for url in [*PUBLIC_PAGES, story_url, "/search/"]:
        client.get(url)
    before = page_entries()
    for n in range(200):
        junk = secrets.token_hex(4)
        if n % 4 == 0:
            client.get(f"/?page={secrets.randbelow(10**6)}")  # the front has no pages
        elif n % 4 == 1:
            client.get(f"/search/?q={junk}")
        else:
            url = secrets.choice([*PUBLIC_PAGES, story_url, "/search/"])
            client.get(f"{url}?{junk}={junk}&utm_source={junk}")
    assert page_entries() == before
    # Junk parameters are left out of the address: the stored story page answers them.
    assert cache_state(client.get(f"{story_url}?utm_source=mail&fbclid=x")) == "hit"


def older_cursor(response) -> str:
    """The ``?before=`` cursor of a list page's "Older" link."""
    return re.search(r'href="\?before=(\d+)"', response.content.decode()).group(1)


def test_a_list_page_is_its_own_entry(client, stories):
    first = client.get("/section/world/")
    cursor = older_cursor(first)
    second = client.get(f"/section/world/?before={cursor}")
    assert "Story number 24" in second.content.decode()
    assert "Story number 24" not in first.content.decode()
    assert first["ETag"] != second["ETag"]
    assert cache_state(client.get(f"/section/world/?before=0{cursor}")) == "hit"
    assert client.get(f"/section/world/?before=0{cursor}").content == second.content
    assert cache_state(client.get("/section/world/?before=999999")) == ""  # a 404, never stored


def test_junk_parameters_share_a_list_pages_entry(client, stories):
    """A list's links carry only its cursor (never the query string it was asked with), so
    ``?ref=`` and the like are served the stored page and add no entry."""
    cursor = older_cursor(client.get("/section/world/"))
    clean = client.get(f"/section/world/?before={cursor}")
    with_junk = client.get(f"/section/world/?before={cursor}&ref=mail")
    assert cache_state(with_junk) == "hit"
    assert with_junk.content == clean.content and "ref=mail" not in clean.content.decode()


def test_search_answers_are_never_stored(client, stories):
    for _ in range(2):
        response = client.get("/search/?q=story")
        assert response.status_code == 200 and cache_state(response) == "miss"
    assert "search" in response["Surrogate-Key"].split()


def test_a_change_landing_during_a_render_is_not_stored(rf, db):
    """A page rendered from what the database said before a change must not outlive it."""
    key = "story-424242"

    def view(request):
        versions.current([key])  # the record exists before the change
        versions.bump({key})  # a publish commits while this page renders
        response = HttpResponse(b"<p>before the change</p>")
        response.surrogate_keys = {key}
        return response

    middleware = edge_middleware.PublicCacheMiddleware(view)
    response = middleware(rf.get("/a-page/"))
    assert cache_state(response) == "miss"
    assert response["Cache-Control"] == "no-cache" and "ETag" not in response
    assert cache_state(middleware(rf.get("/a-page/"))) == "miss"  # nothing was stored

    def quiet(request):
        response = HttpResponse(b"<p>after</p>")
        response.surrogate_keys = {key}
        return response

    middleware = edge_middleware.PublicCacheMiddleware(quiet)
    assert cache_state(middleware(rf.get("/a-page/"))) == "miss"
    assert cache_state(middleware(rf.get("/a-page/"))) == "hit"


def test_the_cache_is_off_when_switched_off(client, stories, settings):
    settings.NEWSROOM_HTTP_CACHE = False
    for _ in range(2):
        response = client.get("/")
        assert "X-Newsroom-Cache" not in response and "Surrogate-Key" not in response
