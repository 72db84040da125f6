"""HTTP caching a CDN can trust: one site-wide content version, validators, whole-page caching.

* The **content version** is a small record in the shared cache (a token, when it changed, and
  the next scheduled publish/unpublish time). Every change readers could see replaces the token
  after commit (``story_changed``, corrections, edits to sections, people and tags), and so does
  the clock passing a scheduled transition: visibility is a query, so no save happens then.
* :class:`PublicCacheMiddleware` derives ``ETag`` and ``Last-Modified`` from that version,
  answers conditional requests with 304 before the view runs, serves anonymous GETs from a
  whole-page cache keyed on the version, and labels responses with ``Cache-Control``,
  ``Surrogate-Key`` and ``Cache-Tag``. Personalised responses, previews and the admin are
  ``private, no-store``.
* On ``story_changed`` the keys that can show the story go to the purge hook (articles/purge.py).
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page
from django.db import transaction
from django.db.models import Max, Min, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from taggit.models import Tag

from people.models import Person

from .models import Article, Correction, Photo, Section, Status
from .purge import purge
from .signals import story_changed

logger = logging.getLogger(__name__)

VERSION_KEY = "newsroom:content-version"
PAGE_KEY_PREFIX = "newsroom:page"
PRIVATE = "private, no-store"


def _setting(name: str, default):
    return getattr(settings, name, default)


# -- the content version -----------------------------------------------------------------


@dataclass(frozen=True)
class ContentVersion:
    token: str
    changed_at: datetime
    next_transition: datetime | None = None

    def seconds_to_transition(self, now: datetime) -> int | None:
        if self.next_transition is None:
            return None
        return max(0, int((self.next_transition - now).total_seconds()))


def next_transition(now: datetime) -> datetime | None:
    """The next moment a published story appears or expires by the clock alone."""
    times = Article.objects.filter(status=Status.PUBLISHED).aggregate(
        appears=Min("published_at", filter=Q(published_at__gt=now)),
        expires=Min("unpublish_at", filter=Q(unpublish_at__gt=now)),
    )
    return min((t for t in times.values() if t), default=None)


def _newest_change(now: datetime) -> datetime:
    """When what readers see last changed, read from the database (used when the cache is cold)."""
    times = Article.objects.aggregate(
        edited=Max("updated_at"),
        appeared=Max("published_at", filter=Q(published_at__lte=now)),
        expired=Max("unpublish_at", filter=Q(unpublish_at__lte=now)),
    )
    times["corrected"] = Correction.objects.aggregate(at=Max("created_at"))["at"]
    return max((t for t in times.values() if t), default=now).replace(microsecond=0)


def current_version(now: datetime | None = None) -> ContentVersion:
    """The content version now; replaced first if a scheduled transition has come due."""
    now = now or timezone.now()
    version = cache.get(VERSION_KEY)
    if version is None:
        changed_at = _newest_change(now)
        # Deterministic, so processes that each start cold agree on validators.
        fresh = ContentVersion(f"t{int(changed_at.timestamp())}", changed_at, next_transition(now))
        cache.add(VERSION_KEY, fresh, timeout=None)
        version = cache.get(VERSION_KEY) or fresh
    if version.next_transition is not None and now >= version.next_transition:
        version = bump_content_version(changed_at=version.next_transition, now=now)
    return version


def bump_content_version(changed_at: datetime | None = None, now=None) -> ContentVersion:
    """Start a new content version: every validator and whole-page cache entry goes stale."""
    now = now or timezone.now()
    # A random token, so two processes bumping at once can never land on the same version.
    version = ContentVersion(
        secrets.token_hex(6), (changed_at or now).replace(microsecond=0), next_transition(now)
    )
    cache.set(VERSION_KEY, version, timeout=None)
    return version


# -- invalidation ------------------------------------------------------------------------


def story_keys(article: Article) -> set[str]:
    """Surrogate keys of every response that can show ``article``."""
    keys = {f"story-{article.pk}", "front", "feeds", "sitemaps", "missing"}
    story = (
        Article.objects.filter(pk=article.pk)
        .select_related("section")
        .prefetch_related("tags", "bylines__person", "quotes__speaker")
        .first()
    )
    if story is None:
        return keys
    if story.section_id:
        keys.add(f"section-{story.section.slug}")
    keys.update(f"tag-{tag.slug}" for tag in story.tags.all())
    keys.update(f"person-{byline.person.slug}" for byline in story.bylines.all())
    keys.update(f"person-{quote.speaker.slug}" for quote in story.quotes.all())
    return keys


@receiver(story_changed, dispatch_uid="articles.caching.story_changed")
def invalidate_story(sender, article, **kwargs):
    """A story readers see (or saw) changed: new content version, then purge the CDN."""
    bump_content_version()
    try:
        keys = story_keys(article)
    except Exception:
        logger.exception("Could not work out surrogate keys for story %s", article.pk)
        keys = {"all"}
    purge(keys)


def _after_commit(function):
    transaction.on_commit(function)


@receiver(post_save, sender=Correction, dispatch_uid="articles.caching.correction_saved")
@receiver(post_delete, sender=Correction, dispatch_uid="articles.caching.correction_deleted")
def correction_changed(sender, instance, **kwargs):
    """A correction on a live story changes its page and its feeds' ``updated``."""
    article_id = instance.article_id

    def send():
        # Looked up after commit, so saving a correction costs no extra query in the request.
        article = Article.objects.filter(pk=article_id).first()
        if article is not None and article.is_live:
            story_changed.send(sender=Article, article=article)

    _after_commit(send)


@receiver(post_save, sender=Photo, dispatch_uid="articles.caching.photo_saved")
def photo_changed(sender, instance, created, **kwargs):
    """A new caption, credit, alt text or crop shows on every live story led by the photo."""
    if created:
        return
    photo_id = instance.pk

    def run():
        stories = Article.objects.published().filter(lead_photo_id=photo_id)
        keys = {f"story-{pk}" for pk in stories.values_list("pk", flat=True)}
        bump_content_version()
        if keys:
            purge(keys | {"front", "feeds"})

    _after_commit(run)


def _keys_changed(keys: set[str]):
    def run():
        bump_content_version()
        purge(keys)

    _after_commit(run)


@receiver(post_save, sender=Section, dispatch_uid="articles.caching.section_saved")
def section_changed(sender, instance, created, **kwargs):
    _keys_changed({f"section-{instance.slug}", "front", "feeds", "sitemaps"})


@receiver(post_save, sender=Person, dispatch_uid="articles.caching.person_saved")
def person_changed(sender, instance, created, **kwargs):
    # A new person has no page readers could have cached; the wire importer makes many.
    if not created:
        _keys_changed({f"person-{instance.slug}"})


@receiver(post_save, sender=Tag, dispatch_uid="articles.caching.tag_saved")
def tag_changed(sender, instance, created, **kwargs):
    if not created:
        _keys_changed({f"tag-{instance.slug}"})


# -- the middleware ----------------------------------------------------------------------


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
        prefixes = _setting("NEWSROOM_PRIVATE_PATHS", ("/admin/", "/desk/"))
        if request.path.startswith(tuple(prefixes)):
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
