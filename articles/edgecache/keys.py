"""Surrogate keys: the names of what a response shows.

One vocabulary serves three readers: the ``Surrogate-Key`` header a CDN purges by, the page
cache (an entry is valid while the versions of its keys are unchanged, see ``versions.py``) and
the ETag (built from the same versions). A key is a story (``story-<pk>`` wherever it shows,
``text-<pk>`` where its whole text and corrections show), a list a story appears in
(``front``, ``section-``, ``tag-``, ``person-<slug>``, ``sitemaps``, ``search``), a photo
(``photo-<pk>``), ``feeds``, ``changes`` (the API's partner feed: a log every story event adds
to), ``missing`` (404/410/301 answers) or ``all`` (every page, e.g. the section navigation).
"""

import hashlib
import re
from collections.abc import Iterable

from django.core.paginator import Page
from django.db.models import QuerySet

from articles.models import Article

FRONT = "front"
FEEDS = "feeds"
SITEMAPS = "sitemaps"
SEARCH = "search"
MISSING = "missing"
CHANGES = "changes"
ALL = "all"

# The lists every public story is in, whatever its section, tags or people.
EVERY_STORY_LIST = (FRONT, SITEMAPS, SEARCH, MISSING)

# What a key may contain: deploy/varnish.vcl strips anything else from a BAN.
_KEY_SAFE = re.compile(r"[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*")


def _named(prefix: str, slug: str) -> str:
    """``prefix-slug``; a slug with other characters ("zürich") becomes a short hash."""
    if _KEY_SAFE.fullmatch(slug):
        return f"{prefix}-{slug}"
    digest = hashlib.sha256(slug.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{prefix}--{digest}"


def story(pk: int) -> str:
    """Anything that shows the story: its page, and every list or box with its headline."""
    return f"story-{pk}"


def text(pk: int) -> str:
    """What shows the story's whole text and corrections: its page and full-text feeds."""
    return f"text-{pk}"


def section(slug: str) -> str:
    return _named("section", slug)


def tag(slug: str) -> str:
    return _named("tag", slug)


def person(slug: str) -> str:
    return _named("person", slug)


def photo(pk: int) -> str:
    return f"photo-{pk}"


def parse(key: str) -> tuple[str, str | None]:
    """(kind, what): ``("story", "12")``, ``("tag", "ports")``; a hashed slug gives no what."""
    kind, _, rest = key.partition("-")
    if rest.startswith("-") or not rest:
        return kind, None
    return kind, rest


# -- the keys of a response ----------------------------------------------------------------


def context_keys(response, request) -> set[str]:
    """Keys for what a response shows: those its view declared, and every story in its context.

    Views declare keys with ``response.surrogate_keys = {...}``. Every story anywhere in the
    template context (the article, lists, rails, pages) adds ``story-<pk>`` (and its lead photo's
    key where the photo was loaded to be shown), so changing one story drops exactly the pages
    that show it. Only the page's own section,
    tag or person adds theirs: the section navigation on every page must not. No queries.
    """
    found = set(getattr(response, "surrogate_keys", ()))
    match = getattr(request, "resolver_match", None)
    view_name = getattr(match, "view_name", "")
    if view_name == "articles:home":
        found.add(FRONT)
    elif view_name == "articles:search":
        found.add(SEARCH)
    context = getattr(response, "context_data", None) or {}
    for value in context.values():
        for shown in _stories_in(value):
            found.add(story(shown.pk))
            # Its photo shows only where it was loaded with the story (lists with thumbnails).
            if shown.lead_photo_id and "lead_photo" in shown._state.fields_cache:
                found.add(photo(shown.lead_photo_id))
    article = context.get("article")
    if isinstance(article, Article) and article.pk:
        found.add(text(article.pk))
        found.update(_article_keys(article))
    for name, named in (("section", section), ("tag", tag), ("person", person)):
        slug = getattr(context.get(name), "slug", None)
        if slug:
            found.add(named(slug))
    return found


def _article_keys(article: Article) -> set[str]:
    """What an article page shows beyond the article: the stories it links to, its photos.

    Not its section's key: that names the section's lists, which every publish there changes.
    (The section's name is in every page's navigation, under ``all``.)
    """
    found = {story(pk) for pk in article.suggested_related or () if isinstance(pk, int)}
    for link in getattr(article, "_prefetched_objects_cache", {}).get("related_headlines", ()):
        if link.target_id:
            found.add(story(link.target_id))
    for block in article.body or ():
        is_photo = isinstance(block, dict) and block.get("type") == "photo"
        if is_photo and isinstance(block.get("id"), int):
            found.add(photo(block["id"]))
    return found


def _stories_in(value, depth: int = 0) -> list[Article]:
    """Articles in a value, a list, an evaluated queryset or a page; never runs a query."""
    if isinstance(value, Article):
        return [value] if value.pk else []
    if depth > 2:
        return []
    if isinstance(value, list | tuple):
        return [found for item in value for found in _stories_in(item, depth + 1)]
    if isinstance(value, QuerySet):
        return [v for v in value._result_cache or () if isinstance(v, Article)]
    if isinstance(value, Page):
        return _stories_in(value.object_list, depth + 1)
    return []


# -- the keys of a story, for invalidation -------------------------------------------------


def story_lists(article: Article) -> set[str]:
    """The lists ``article`` is in now, read from the database (empty once the row is gone)."""
    row = (
        Article.objects.filter(pk=article.pk)
        .select_related("section")
        .prefetch_related("tags", "bylines__person", "quotes__speaker")
        .first()
    )
    if row is None:
        return set()
    found = set(EVERY_STORY_LIST)
    if row.section_id:
        found.add(section(row.section.slug))
    found.update(tag(t.slug) for t in row.tags.all())
    found.update(person(b.person.slug) for b in row.bylines.all())
    found.update(person(q.speaker.slug) for q in row.quotes.all() if q.speaker_id)
    return found


def header_value(found: Iterable[str]) -> str:
    """The keys as one ``Surrogate-Key`` header value (sorted, space separated, with ``all``)."""
    return " ".join(sorted({*found, ALL}))
