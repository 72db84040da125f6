"""Keep story pages: serve the stored parts while they match the story, rebuild them when not.

A page's ``source`` names what it was built from: the builder's ``FORMAT``, the site settings
its fragments print (addresses, names, time zone) and the story row's ``version`` and
``updated_at``. Every save of the story row moves ``updated_at``, so an edit made by any path
makes the stored page unusable at once; changes to rows the page shows without saving the
story (a person, photo, tag, section) mark pages stale through ``signal_handlers.py``.
"""

import hashlib
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.safestring import mark_safe

from articles.models import Article, Status, StoryPage
from articles.readmodel.build import FRAGMENTS, build_parts, shown_photo_ids
from articles.syndication.feed_items import inline_photos
from newsroom.site import site_url

# Bump when build.py or templates/articles/story/ change what a page holds: every stored page
# then no longer matches and is rebuilt (on its next read, or by ``rebuild_story_pages``).
FORMAT = 3
BATCH = 200

logger = logging.getLogger(__name__)


def _settings_digest() -> str:
    printed = (
        settings.NEWSROOM_SITE_NAME,
        site_url(),  # the setting, or (unset, in development) the request's own address
        settings.MEDIA_URL,
        settings.TIME_ZONE,
        settings.LANGUAGE_CODE,
        settings.STORAGES["default"]["BACKEND"],
    )
    return hashlib.blake2b(repr(printed).encode(), digest_size=6).hexdigest()


def source_of(article: Article) -> str:
    """What a page of ``article`` built now is built from (see the module docstring)."""
    changed = article.updated_at.isoformat() if article.updated_at else ""
    return f"{FORMAT}.{_settings_digest()}.{article.version}.{changed}"


def page_parts(article: Article, preview: bool = False) -> dict:
    """The story's own parts: the stored ones while they match, else built now.

    A published story's rebuilt parts are stored for the next reader; a preview's (the desk's,
    with signed photo addresses) never are.
    """
    if not preview:
        page = _stored(article)
        if page is not None and page.source == source_of(article):
            return page.parts
    full = _with_relations(article)
    parts = build_parts(full, preview=preview)
    if full.status == Status.PUBLISHED and not preview:
        _store(full, parts)
    return parts


def parts_for(articles: list[Article]) -> dict[int, dict]:
    """The parts of many stories (a feed's): the stored ones that match, the others built
    together in a fixed number of queries and not stored (a read of many never writes).

    A story whose parts cannot be built is left out (and logged): one bad story must not
    take a whole feed down.
    """
    found, stale = {}, []
    for article in articles:
        page = _stored(article)
        if page is not None and page.source == source_of(article):
            found[article.pk] = page.parts
        else:
            stale.append(article.pk)
    if stale:
        stories = list(Article.objects.with_page_relations().filter(pk__in=stale))
        photos = inline_photos(stories)
        for story in stories:
            try:
                found[story.pk] = build_parts(story, photos)
            except Exception:
                logger.exception("Could not build the parts of story %s", story.pk)
    return found


def fragments(parts: dict) -> dict:
    """The parts' HTML, marked safe for the page template (they were escaped when built)."""
    return {
        **parts,
        **{name: mark_safe(parts[name]) for name in FRAGMENTS},  # noqa: S308 - built escaped
    }


def rebuild(article_ids: Iterable[int]) -> int:
    """Build and store the pages of these stories (published ones only); returns how many."""
    ids, done = list(article_ids), 0
    for start in range(0, len(ids), BATCH):
        stories = list(
            Article.objects.with_page_relations().filter(
                pk__in=ids[start : start + BATCH], status=Status.PUBLISHED
            )
        )
        photos = inline_photos(stories)
        for story in stories:
            try:
                _store(story, build_parts(story, photos))
            except Exception:
                # Left stale: its next read tries again (and shows the error to the logs).
                logger.exception("Could not build the page of story %s", story.pk)
                continue
            done += 1
    return done


def stale_story_ids(everything: bool = False) -> list[int]:
    """Published stories whose stored page is missing or no longer matches (all with
    ``everything``), read in batches of plain rows."""
    stories = Article.objects.filter(status=Status.PUBLISHED).order_by("pk")
    rows = stories.values_list("pk", "version", "updated_at", "page__source")
    ids = []
    for pk, version, updated_at, stored in rows.iterator(chunk_size=2000):
        probe = Article(pk=pk, version=version, updated_at=updated_at)
        if everything or stored != source_of(probe):
            ids.append(pk)
    return ids


def _stored(article: Article) -> StoryPage | None:
    try:
        return article.page
    except StoryPage.DoesNotExist:
        return None


def _with_relations(article: Article) -> Article:
    """``article`` with every relation a build reads; a preview's in-memory story as it is."""
    if "bylines" in getattr(article, "_prefetched_objects_cache", {}):
        return article
    return Article.objects.with_page_relations().get(pk=article.pk)


def _store(article: Article, parts: dict) -> None:
    # The source is the loaded row's: if the story changed meanwhile, the page is stale at once.
    source = source_of(article)
    try:
        with transaction.atomic():
            page, _ = StoryPage.objects.update_or_create(
                article_id=article.pk, defaults={"source": source, "parts": parts}
            )
            page.photos.set(shown_photo_ids(article))
    except IntegrityError:
        pass  # another request stored the same page a moment earlier
