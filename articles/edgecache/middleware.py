"""HTTP caching a CDN can trust: validators, 304s, cache headers and a whole-page cache.

:class:`PublicCacheMiddleware` derives ``ETag`` and ``Last-Modified`` from the content version
(``versions.py``), answers conditional requests with 304 before the view runs, serves anonymous
GETs from a whole-page cache keyed on the version, and labels responses with ``Cache-Control``,
``Surrogate-Key`` and ``Cache-Tag``. Personalised responses, previews and the admin are
``private, no-store``.
"""

import hashlib
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from articles.edgecache.versions import ContentVersion, current_version
from articles.models import Article

PAGE_KEY_PREFIX = "newsroom:page"
PRIVATE = "private, no-store"


def _setting(name: str, default):
    return getattr(settings, name, default)


def cache_control(now: datetime, version: ContentVersion, shared_seconds=None) -> str:
    """``public, max-age, s-maxage, stale-while-revalidate``, never past the next transition."""
    shared = _setting("NEWSROOM_CACHE_SECONDS", 300) if shared_seconds is None else shared_seconds
    browser = min(_setting("NEWSROOM_BROWSER_CACHE_SECONDS", 60), shared)
    stale = _setting("NEWSROOM_STALE_SECONDS", 30)
    until = version.seconds_to_transition(now)
    if until is not None:
        shared, browser, stale = min(shared, until), min(browser, until), min(stale, until)
    return f"public, max-age={browser}, s-maxage={shared}, stale-while-revalidate={stale}"


def context_keys(response, request) -> set[str]:
    """Surrogate keys for what a response shows, read from its view's context (no queries).

    Every story anywhere in the context (the article, lists, rails, pages) adds ``story-<pk>``,
    so purging one story drops every page that shows it. Only the page's own section, tag or
    person adds theirs: the section navigation on every page must not.
    """
    keys = set(getattr(response, "surrogate_keys", ()))
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name == "articles:home":
        keys.add("front")
    context = getattr(response, "context_data", None) or {}
    for value in context.values():
        keys.update(f"story-{story.pk}" for story in _stories_in(value))
    article = context.get("article")
    if isinstance(article, Article) and article.pk:
        keys.update(f"story-{pk}" for pk in article.suggested_related or [])
        section = article._state.fields_cache.get("section")
        if section is not None:
            keys.add(f"section-{section.slug}")
        for link in getattr(article, "_prefetched_objects_cache", {}).get("related_headlines", ()):
            if link.target_id:
                keys.add(f"story-{link.target_id}")
    for name, prefix in (("section", "section"), ("tag", "tag"), ("person", "person")):
        slug = getattr(context.get(name), "slug", None)
        if slug:
            keys.add(f"{prefix}-{slug}")
    return keys


def _stories_in(value, depth: int = 0) -> list[Article]:
    """Articles in a value, a list, an evaluated queryset or a page; never runs a query."""
    if isinstance(value, Article):
        return [value] if value.pk else []
    if depth > 2:
        return []
    if isinstance(value, list | tuple):
        return [story for item in value for story in _stories_in(item, depth + 1)]
    if isinstance(value, QuerySet):
        return [v for v in value._result_cache or () if isinstance(v, Article)]
    if isinstance(value, Page):
        return _stories_in(value.object_list, depth + 1)
    return []


class PublicCacheMiddleware:
    """Validators, 304s, cache headers and a whole-page cache for anonymous readers.

    Goes last in MIDDLEWARE so that it sees ``request.user`` and the view's TemplateResponse.
    """

    cached_statuses = (200,)
    missing_statuses = (301, 308, 404, 410)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _setting("NEWSROOM_HTTP_CACHE", True):
            return self.get_response(request)
        if self.is_private_request(request):
            return self.make_private(self.get_response(request))
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)

        now = timezone.now()
        version = current_version(now)
        page = self.page_id(request)
        etag = f'"{version.token}-{page[:12]}"'
        last_modified = version.changed_at.timestamp()

        key = f"{PAGE_KEY_PREFIX}:{_setting('NEWSROOM_CACHE_SALT', '')}:{version.token}:{page}"
        stored = cache.get(key)

        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            keys = stored["keys"] if stored else ()
            return self.label(not_modified, now, version, etag, keys)

        if stored is not None:
            # A HEAD reply carries the headers of the page but never its body.
            body = b"" if request.method == "HEAD" else stored["content"]
            response = HttpResponse(body, status=stored["status"])
            for header, value in stored["headers"].items():
                response.headers[header] = value
            response["Content-Length"] = str(len(stored["content"]))
            response["X-Newsroom-Cache"] = "hit"
            return self.label(response, now, version, etag, stored["keys"])

        response = self.get_response(request)
        if self.is_personal_response(request, response):
            return self.make_private(response)
        if response.status_code in self.cached_statuses:
            keys = context_keys(response, request)
            self.label(response, now, version, etag, keys)
            if request.method == "GET" and not response.streaming:
                self.store(key, response, keys)
            response["X-Newsroom-Cache"] = "miss"
        elif response.status_code in self.missing_statuses:
            # Short-lived, and dropped whenever any story is purged (it may be this one).
            response["Cache-Control"] = cache_control(now, version)
            self.add_keys(response, {"missing"})
        elif not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-cache"
        return response

    # -- decisions ------------------------------------------------------------------------

    @staticmethod
    def is_private_request(request) -> bool:
        prefixes = settings.NEWSROOM_PRIVATE_PATHS
        if request.path.startswith(tuple(prefixes)):
            return True
        # An API key (or any credentials) makes the request the client's own: no shared copy.
        if "HTTP_AUTHORIZATION" in request.META:
            return True
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated) or "messages" in request.COOKIES

    def is_personal_response(self, request, response) -> bool:
        """Anything set up for this one reader: cookies, a CSRF token, a CSP nonce, a login."""
        if self.is_private_request(request) or response.cookies:
            return True
        # A CSRF token or a CSP nonce in the page is this reader's; a cached copy would leak it.
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or getattr(request, "_csp_nonce", None):
            return True
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return True
        control = response.get("Cache-Control", "")
        return "private" in control or "no-store" in control

    # -- headers --------------------------------------------------------------------------

    @staticmethod
    def make_private(response):
        response["Cache-Control"] = PRIVATE
        for header in ("ETag", "Last-Modified", "Surrogate-Key", "Cache-Tag"):
            if header in response:
                del response[header]
        patch_vary_headers(response, ("Cookie",))
        return response

    def label(self, response, now, version, etag, keys):
        response["ETag"] = etag
        response["Last-Modified"] = http_date(version.changed_at.timestamp())
        response["Cache-Control"] = cache_control(now, version)
        self.add_keys(response, keys)
        return response

    @staticmethod
    def add_keys(response, keys):
        keys = sorted({*keys, "all"})
        response["Surrogate-Key"] = " ".join(keys)
        response["Cache-Tag"] = ",".join(keys)

    # -- the whole-page cache -------------------------------------------------------------

    @staticmethod
    def page_id(request) -> str:
        raw = f"{request.get_host()}|{request.get_full_path()}"
        return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()

    @staticmethod
    def store(key, response, keys):
        headers = {
            name: value
            for name, value in response.headers.items()
            if name.lower() not in {"set-cookie", "date", "x-newsroom-cache"}
        }
        stored = {
            "content": response.content,
            "status": response.status_code,
            "headers": headers,
            "keys": sorted(keys),
        }
        cache.set(key, stored, timeout=_setting("NEWSROOM_CACHE_SECONDS", 300))
