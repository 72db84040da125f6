"""The partner feed's log: when what partners may show of each story changed.

``record()`` runs after commit for every ``story_changed`` event (connected in
``ArticlesConfig.ready()``): one entry now, plus one at the moment a scheduled story appears
and one at the moment it expires, since the clock changes those without any save. ``page()``
reads entries up to ``SETTLE_SECONDS`` ago (a change committing a moment late is still read in
order), keeps the newest per story, and describes each story as it is when read: the full
ninjs item while it is public, a tombstone once it is not, nothing if it never was.
"""

from datetime import datetime, timedelta

from django.db.models import Min
from django.utils import timezone

from articles.models import Article, FeedEntry
from articles.signals import StoryEvent
from articles.syndication import ninjs
from articles.syndication.feed_items import inline_photos, site_url, story_guid

SETTLE_SECONDS = 2
# Workflow moves readers never see.
SILENT_EVENTS = {StoryEvent.SUBMITTED, StoryEvent.RETURNED}


def was_ever_public(article: Article, now: datetime | None = None) -> bool:
    """A story partners may have seen: it went live at some moment (drafts never did)."""
    first = article.first_published_at
    return first is not None and first <= (now or timezone.now())


def record(article: Article, event: str, now: datetime | None = None) -> list[FeedEntry]:
    """Log ``event`` for ``article`` (and the clock's coming changes to it)."""
    now = now or timezone.now()
    if event in SILENT_EVENTS:
        return []
    if event == StoryEvent.DELETED:
        if not was_ever_public(article, now):
            return []
        grave = ninjs.tombstone(
            article.pk,
            story_guid(article),
            site_url(article.get_absolute_url()),
            "canceled",
            now,
            article.slug,
        )
        return [FeedEntry.objects.create(story_id=article.pk, event=event, at=now, tombstone=grave)]
    moments = [(event, now), *article.coming_moments(now)]
    return FeedEntry.objects.bulk_create(
        FeedEntry(story_id=article.pk, event=str(kind), at=at) for kind, at in moments
    )


def readable_entries(now: datetime | None = None):
    """Entries old enough to read, in feed order."""
    now = now or timezone.now()
    return FeedEntry.objects.filter(at__lte=now - timedelta(seconds=SETTLE_SECONDS))


def next_readable(now: datetime | None = None) -> datetime | None:
    """When the feed next shows an entry it does not show at ``now`` (one query): the page
    caches roll its key then (``articles/edgecache/versions.py``)."""
    now = now or timezone.now()
    settle = timedelta(seconds=SETTLE_SECONDS)
    first = FeedEntry.objects.filter(at__gt=now - settle).aggregate(at=Min("at"))["at"]
    return None if first is None else first + settle


def items_for(entries: list[FeedEntry], now: datetime | None = None) -> list[dict]:
    """The ninjs items (or tombstones) for a page of entries, newest state of each story once,
    in the order of each story's last entry on the page. A fixed number of queries."""
    now = now or timezone.now()
    last = {}
    for entry in entries:
        last.pop(entry.story_id, None)
        last[entry.story_id] = entry
    stories = Article.objects.filter(pk__in=list(last)).with_page_relations().in_bulk()
    live = [s for s in stories.values() if s.is_live]
    photos = inline_photos(live)
    items = []
    for story_id, entry in last.items():
        story = stories.get(story_id)
        if story is None:
            # Deleted: the tombstone was kept on the deletion's entry (or a later page has it).
            if entry.tombstone:
                items.append(entry.tombstone)
        elif story.is_live:
            items.append(ninjs.story_item(story, photos))
        elif was_ever_public(story, now):
            items.append(ninjs.tombstone_of(story, entry.at))
    return items
