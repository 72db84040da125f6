"""HTTP caching a CDN can trust, and a page cache that answers before the rest of the stack.

:class:`PublicCacheMiddleware` goes first in ``MIDDLEWARE`` (after the request monitoring, which
times and logs hits too). For an anonymous ``GET``/``HEAD`` it looks the page up
(``pagecache.py``) and checks the versions of the keys the page shows (``versions.py``) in one
more cache round trip; a current entry is answered at once, with the headers the rest of the
stack set when it was stored (security headers, CSP, ETag, Surrogate-Key), so sessions, CSRF,
auth, messages and URL resolving never run for a hit.

On a miss the stack runs, and on the way out the middleware labels the response: ``ETag`` and
``Last-Modified`` from the versions of its keys, ``Cache-Control`` capped at the keys' next
scheduled transition, ``Surrogate-Key``/``Cache-Tag`` for the CDN; then it stores it.

A request with a session cookie, a ``messages`` cookie or an ``Authorization`` header, the admin
and the desk are never served from or stored in the cache, and their responses are
``private, no-store``; so is any response that set a cookie, used the CSRF token or a CSP nonce,
or touched the session.

Each lookup is counted in ``newsroom_page_cache_total`` (``/-/metrics``): ``hit``, ``miss``, or
``bypass`` for the requests that may not use the cache (private, not a GET/HEAD, a malformed
page number). Static files and media are not pages and are not counted.
"""

import hashlib

from django.utils.cache import patch_vary_headers
from django.utils.http import http_date

from articles.edgecache import hits, pagecache, versions
from articles.edgecache import keys as K
from articles.edgecache.config import config
from articles.edgecache.hits import cache_control
from articles.edgecache.keys import context_keys
from articles.edgecache.versions import current_version

__all__ = ["PublicCacheMiddleware", "cache_control", "context_keys", "current_version"]

PRIVATE = "private, no-store"
# Vary values a stored copy may carry: the cache never serves a request with a session.
HARMLESS_VARY = frozenset({"cookie", "accept-encoding"})


class PublicCacheMiddleware:
    """Validators, 304s, cache headers and a whole-page cache for anonymous readers."""

    cached_statuses = (200,)
    missing_statuses = (301, 308, 404, 410)

    def __init__(self, get_response):
        self.get_response = get_response
        # This process's copies of pages and versions, shared with the WSGI front (front.py).
        self.pages = hits.stored_pages()

    def __call__(self, request):
        refusal, where = hits.page_address(request)
        if refusal == hits.Refusal.PASSED:
            return self.get_response(request)
        if refusal == hits.Refusal.PRIVATE:
            self.pages.bypasses.inc()
            return self.make_private(self.get_response(request))
        if refusal == hits.Refusal.UNSAFE:
            self.pages.bypasses.inc()
            return self.get_response(request)

        recorder = None
        if where is None:
            self.pages.bypasses.inc()
        else:
            # The front (front.py) asked already when it says so: a miss is looked up once.
            if not request.META.get(hits.FRONT_MISSED):
                hit = self.pages.serve(request, where)
                if hit is not None:
                    return hit
            self.pages.misses.inc()
            recorder = pagecache.record_reads(request)
        started, seen = versions.now_seconds(), versions.generation()
        response = self.get_response(request)
        if self.is_personal_response(request, response):
            return self.make_private(response)
        if response.status_code in self.cached_statuses:
            return self.label_and_store(request, response, where, started, seen, recorder)
        if response.status_code in self.missing_statuses:
            # Short-lived, and dropped whenever a story appears (it may be this address).
            record = versions.current([K.MISSING])[K.MISSING]
            response["Cache-Control"] = cache_control(versions.now_seconds(), record[versions.NEXT])
            self.add_keys(response, {K.MISSING})
        elif not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-cache"
        return response

    # -- a miss --------------------------------------------------------------------------------

    def label_and_store(self, request, response, where, started, seen, recorder):
        found = context_keys(response, request)
        if not found:
            # A view that does not say what it shows cannot be invalidated when that changes:
            # not cached until it declares its keys (``response.surrogate_keys``).
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = "no-cache"
            return response
        found.add(K.ALL)
        records = versions.current(found)
        now = versions.now_seconds()
        if versions.changed_since(records.values(), seen, started):
            # The page may hold what the database said before a change that landed while it
            # rendered: serve it, but let no cache keep or validate it.
            response["Cache-Control"] = "no-cache"
            self.add_keys(response, found)
            response["X-Newsroom-Cache"] = "miss"
            return response
        ordered = sorted(found)
        record_keys = tuple(versions.record_key(k) for k in ordered)
        tokens = tuple(records[k][versions.TOKEN] for k in ordered)
        etag = self.etag(where, request, tokens)
        last_modified = max(r[versions.CHANGED] for r in records.values())
        next_at = min(
            (r[versions.NEXT] for r in records.values() if r[versions.NEXT] is not None),
            default=None,
        )
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        response["Cache-Control"] = cache_control(now, next_at)
        self.add_keys(response, found)

        storable, strict = (
            pagecache.storable_reads(recorder, where) if where is not None else (False, False)
        )
        if storable and request.method == "GET" and self.may_store(response):
            seconds = config().shared_seconds
            if next_at is not None:
                seconds = min(seconds, int(next_at - now))
            if "Content-Length" not in response:
                response["Content-Length"] = str(len(response.content))
            headers = tuple(
                (name.lower(), (name, value))
                for name, value in response.headers.items()
                if name.lower() not in pagecache.UNSTORED_HEADERS
            )
            entry = pagecache.Entry(
                response.status_code,
                headers,
                response.content,
                record_keys,
                tokens,
                etag,
                last_modified,
                strict,
            )
            pagecache.save(where.key, entry, self.pages.local, seconds)
        response["X-Newsroom-Cache"] = "miss"
        return hits.conditional(request, response, etag, last_modified)

    @staticmethod
    def etag(where, request, tokens) -> str:
        salt = config().salt
        page = where.key if where is not None else f"{request.get_host()}|{request.get_full_path()}"
        raw = "|".join((salt, page, *tokens))
        digest = hashlib.blake2b(raw.encode("utf-8", "surrogatepass"), digest_size=12)
        return f'"{digest.hexdigest()}"'

    @staticmethod
    def may_store(response) -> bool:
        if response.streaming:
            return False
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        return vary <= HARMLESS_VARY

    # -- decisions ---------------------------------------------------------------------------

    # The same rule the front applies, kept in one place (hits.py).
    is_private_request = staticmethod(hits.is_private_request)

    def is_personal_response(self, request, response) -> bool:
        """Anything set up for this one reader: cookies, a CSRF token, a CSP nonce, a session."""
        if response.cookies:
            return True
        # A CSRF token or a CSP nonce in the page is this reader's; a cached copy would leak it.
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or getattr(request, "_csp_nonce", None):
            return True
        session = getattr(request, "session", None)
        if session is not None and (session.accessed or session.modified):
            return True
        control = response.get("Cache-Control", "")
        return "private" in control or "no-store" in control

    # -- headers -------------------------------------------------------------------------------

    @staticmethod
    def make_private(response):
        response["Cache-Control"] = PRIVATE
        for header in ("ETag", "Last-Modified", "Surrogate-Key", "Cache-Tag"):
            if header in response:
                del response[header]
        patch_vary_headers(response, ("Cookie",))
        return response

    @staticmethod
    def add_keys(response, found):
        value = K.header_value(found)
        response["Surrogate-Key"] = value
        response["Cache-Tag"] = value.replace(" ", ",")
