"""Answering from the page cache: one home for what a hit is, used by both ways in.

``PublicCacheMiddleware`` (middleware.py) looks pages up for requests that reach Django; the
WSGI front (front.py) looks them up before Django builds its request machinery at all. Both
ask :meth:`StoredPages.serve`, and both share this process's copies of entries and versions
(:func:`stored_pages`), so a page stored by one is a hit for the other.
"""

import threading
from typing import NamedTuple

from django.http import HttpResponse
from django.utils.cache import get_conditional_response

from articles.edgecache import pagecache, versions
from articles.edgecache.config import config
from newsroom.monitoring import metrics

SAFE_METHODS = ("GET", "HEAD")
CONDITIONAL_HEADERS = frozenset(
    {"HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE"}
)
# Set in the WSGI environ by the front when it looked the page up and found nothing current, so
# the middleware counts the miss without asking the caches again. A client cannot send it:
# request headers arrive as HTTP_* keys.
FRONT_MISSED = "newsroom.page_cache.front_missed"


class Refusal:
    """Why a request may not be answered from (or stored in) the page cache."""

    PASSED = "passed"  # the cache is off, or static files and media: not pages, not counted
    PRIVATE = "private"  # the admin, the desk, anyone who may be signed in: private, no-store
    UNSAFE = "unsafe"  # not a GET or HEAD
    UNADDRESSED = "unaddressed"  # no page-cache key (a malformed page number, a bad host)


def page_address(request, setup=None) -> tuple[str | None, pagecache.Address | None]:
    """``(None, address)`` for a request the page cache may answer, else ``(refusal, None)``.

    The one decision both ways in (the middleware and the WSGI front) make before a lookup.
    """
    setup = setup or config()
    if not setup.enabled or request.path.startswith(setup.passed_paths):
        return Refusal.PASSED, None
    if is_private_request(request, setup):
        return Refusal.PRIVATE, None
    if request.method not in SAFE_METHODS:
        return Refusal.UNSAFE, None
    where = pagecache.address(request)
    return (Refusal.UNADDRESSED, None) if where is None else (None, where)


def is_private_request(request, setup=None) -> bool:
    """The admin and desk, and anyone who may be signed in or has a message waiting."""
    setup = setup or config()
    if request.path.startswith(setup.private_paths):
        return True
    if "HTTP_COOKIE" not in request.META:
        return "HTTP_AUTHORIZATION" in request.META
    cookies = request.COOKIES
    return (
        setup.session_cookie in cookies
        or "messages" in cookies
        or "HTTP_AUTHORIZATION" in request.META
    )


def cache_control(now: float, next_at: float | None, shared_seconds: int | None = None) -> str:
    """``public, max-age, s-maxage, stale-while-revalidate``, never past the next transition."""
    setup = config()
    shared = setup.shared_seconds if shared_seconds is None else shared_seconds
    browser = min(setup.browser_seconds, shared)
    stale = setup.stale_seconds
    if next_at is not None:
        until = max(0, int(next_at - now))
        shared, browser, stale = min(shared, until), min(browser, until), min(stale, until)
    return f"public, max-age={browser}, s-maxage={shared}, stale-while-revalidate={stale}"


class StoredPages:
    """This process's copies of page entries and key versions, and the hit decision."""

    def __init__(self):
        self.local = pagecache.LocalPages(config().local_entries)
        self.local_versions = versions.LocalVersions()
        # newsroom_page_cache_total{outcome}: the labelled counters looked up once, not per hit.
        self.hits, self.misses, self.bypasses = (
            metrics.PAGE_CACHE.labels(outcome=outcome) for outcome in ("hit", "miss", "bypass")
        )

    def find(self, request, where: pagecache.Address) -> "Hit | None":
        """The stored page if every key it shows is unchanged (counted as a hit); None
        otherwise (the caller counts the miss, once)."""
        entry = pagecache.load(where.key, self.local)
        if entry is None or (entry.strict and where.dropped):
            return None
        now = versions.now_seconds()
        records, from_copy = self.local_versions.lookup(entry.record_keys, now)
        current, next_at = is_current(entry, records, now)
        if not current:
            if not from_copy:
                return None
            # This process's copy of a record may be older than a record made again after it
            # was lost: ask the shared cache once before calling it a miss.
            fresh = self.local_versions.refresh(entry.record_keys)
            current, next_at = is_current(entry, fresh, now)
            if not current:
                return None
        self.hits.inc()
        # The headers were checked by Django when the page was first answered: they go out as
        # they were, with this moment's lifetime.
        headers = [
            *(pair for _, pair in entry.headers),
            ("Cache-Control", cache_control(now, next_at)),
            ("X-Newsroom-Cache", "hit"),
        ]
        return Hit(entry, headers)

    def serve(self, request, where: pagecache.Address):
        """:meth:`find`'s hit as a response (a 304 when the reader's copy is current)."""
        found = self.find(request, where)
        if found is None:
            return None
        # A HEAD reply carries the headers of the page but never its body.
        body = b"" if request.method == "HEAD" else found.entry.content
        response = HttpResponse(body, status=found.entry.status)
        # ResponseHeaders keeps {lower-case name: (name, value)}.
        response.headers._store.update((name.lower(), (name, v)) for name, v in found.headers)
        return conditional(request, response, found.entry.etag, found.entry.last_modified)


class Hit(NamedTuple):
    entry: pagecache.Entry
    headers: list[tuple[str, str]]  # the stored ones, Cache-Control and X-Newsroom-Cache


def is_current(entry, records, now: float) -> tuple[bool, float | None]:
    """(whether every key of ``entry`` still has its token, the soonest next transition)."""
    next_at = None
    for record_key, token in zip(entry.record_keys, entry.tokens, strict=True):
        record = records.get(record_key)
        if record is None or record[versions.TOKEN] != token:
            return False, None
        upcoming = record[versions.NEXT]
        if upcoming is not None:
            if upcoming <= now:
                return False, None
            if next_at is None or upcoming < next_at:
                next_at = upcoming
    return True, next_at


def conditional(request, response, etag: str, last_modified: float):
    """A 304 (with the page's cache headers) when the reader's copy is current."""
    if not CONDITIONAL_HEADERS.intersection(request.META):
        return response
    answer = get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )
    if answer is not response:
        for header in ("Surrogate-Key", "Cache-Tag", "X-Newsroom-Cache"):
            if header in response:
                answer[header] = response[header]
    return answer


_stored_pages: StoredPages | None = None
_lock = threading.Lock()


def stored_pages() -> StoredPages:
    """This process's one :class:`StoredPages` (made on first use)."""
    global _stored_pages
    if _stored_pages is None:
        with _lock:
            if _stored_pages is None:
                _stored_pages = StoredPages()
    return _stored_pages
