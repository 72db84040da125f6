"""Receivers that tell the edge cache what changed; connected in ``ArticlesConfig.ready()``.

Each change bumps the versions of exactly the keys that name what it changed (``versions.py``),
then sends the same keys to the purge hook for the CDN (``purge.py``):

* a story's own key drops every page that shows it (its page, every list, feed and rail it is
  in, since those name ``story-<pk>``); a correction only the pages with its text
  (``text-<pk>``: its page and the feeds that carry it);
* its lists (front, section, tags, people, sitemaps, search, missing) are bumped only when the
  story enters or leaves them: published, updated, unpublished, killed, deleted;
* people, tags and photos drop the pages that show them; a section's name or order drops every
  page (the navigation shows it), its description only its own pages;
* a photo's renditions released or withdrawn drop what shows the photo; an old address kept or
  dropped in the admin drops the cached answers at missing addresses;
* every story event also moves ``changes``, the API's partner feed (see ``partner_log_changed``).

Arranging the front announces ``updated`` for each story that moved, so the front and the
story's lists are dropped like any edit's.
"""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.test.signals import setting_changed
from django.utils import timezone
from taggit.models import Tag

from articles.edgecache import config, versions
from articles.edgecache import keys as K
from articles.edgecache.purge import purge
from articles.models import Article, Photo, Section, StoryRedirect
from articles.signals import StoryEvent, photo_released, story_changed
from articles.syndication import change_log
from people.models import Person

logger = logging.getLogger(__name__)

LISTS_PREFIX = "newsroom:story-lists:"
# Long enough to outlive a story's time on the site's lists; a lost record only widens a purge.
LISTS_SECONDS = 90 * 24 * 60 * 60

# Events after which a story may have entered or left lists; the others only change its page.
LIST_EVENTS = {
    StoryEvent.PUBLISHED,
    StoryEvent.UPDATED,
    StoryEvent.UNPUBLISHED,
    StoryEvent.KILLED,
    StoryEvent.DELETED,
    StoryEvent.UNSCHEDULED,
}
# Drafts moving about the desk: nothing a reader can see.
QUIET_EVENTS = {StoryEvent.SUBMITTED, StoryEvent.RETURNED}


def invalidate(found: Iterable[str], transitions: Iterable[datetime | None] = ()) -> set[str]:
    """Bump the versions of ``found`` (merging in future ``transitions``), then purge them."""
    found = set(found)
    if not found or not config.config().enabled:
        return found
    versions.bump(found, transitions)
    purge(found)
    return found


# -- stories -------------------------------------------------------------------------------


def remember_lists(pk: int, lists: set[str]) -> None:
    """Keep the lists a story is in, for when its rows are gone (deletion)."""
    if lists:
        cache.set(f"{LISTS_PREFIX}{pk}", sorted(lists), LISTS_SECONDS)


def remembered_lists(pk: int) -> set[str]:
    return set(cache.get(f"{LISTS_PREFIX}{pk}") or ())


def story_event_keys(article: Article, event: StoryEvent) -> set[str]:
    """The keys ``event`` on ``article`` changes (see the module docstring)."""
    if event == StoryEvent.CORRECTED:
        # A correction shows on the story's page and in full-text feeds (and moves its
        # sitemap ``lastmod``); lists and boxes show its headline, which did not change.
        return {K.text(article.pk), K.SITEMAPS}
    found = {K.story(article.pk), K.SITEMAPS}
    if event not in LIST_EVENTS:
        return found
    now_in = K.story_lists(article)
    was_in = remembered_lists(article.pk)
    remember_lists(article.pk, now_in)
    found |= now_in | was_in | set(K.EVERY_STORY_LIST)
    if not now_in and not was_in:
        # The rows are gone and nothing was remembered: every page that showed the story names
        # it, so its own key already drops them; add the lists it is sure to have been in.
        section = Section.objects.filter(pk=article.section_id).only("slug").first()
        if section is not None:
            found.add(K.section(section.slug))
    return found


def story_changed_handler(sender, article, event=None, **kwargs):
    """A story readers see, saw or will see changed: bump its keys, then purge the CDN."""
    event = StoryEvent(event or StoryEvent.UPDATED)
    if event in QUIET_EVENTS or not config.config().enabled:
        return
    moments = [article.published_at, article.unpublish_at]
    try:
        if event == StoryEvent.SCHEDULED and not _still_ahead(article.published_at):
            event = StoryEvent.PUBLISHED  # its time came before this receiver ran
        if event == StoryEvent.SCHEDULED:
            # Nothing changes until the story's time: its lists learn when, their pages stay.
            found = K.story_lists(article) | {K.story(article.pk)}
            remember_lists(article.pk, found - {K.story(article.pk)})
            versions.bump(found, moments, changed=False)
            purge(found | partner_log_changed())  # a CDN's copies learn the lifetime
            return
        found = story_event_keys(article, event)
    except Exception:
        logger.exception("Could not work out the keys of story %s", article.pk)
        found = {K.ALL}
    versions.bump(found, moments)
    purge(found | partner_log_changed())


def partner_log_changed() -> set[str]:
    """Every story event adds to the partner feed's log (``articles.syndication.change_log``,
    whose receiver runs first), which shows each entry once it has settled: its key changes now
    and again then."""
    versions.bump({K.CHANGES}, [change_log.next_readable()])
    return {K.CHANGES}


def _still_ahead(moment) -> bool:
    return moment is not None and moment > timezone.now()


def story_deleting(sender, instance, **kwargs):
    """Note the lists a story is in while its rows still exist: after commit they are gone."""
    if instance.pk and config.config().enabled:
        remember_lists(instance.pk, remembered_lists(instance.pk) | K.story_lists(instance))


# -- what stories hang off ----------------------------------------------------------------


def _after_commit(found: set[str], stories=None):
    """Invalidate ``found`` plus the keys of ``stories`` (a queryset read after commit)."""
    if not config.config().enabled:
        return

    def run():
        keys = set(found)
        if stories is not None:
            keys.update(K.story(pk) for pk in stories.values_list("pk", flat=True).distinct())
        invalidate(keys)

    transaction.on_commit(run)


def _old_value(sender, instance, field: str):
    if instance.pk is None:
        return None
    return sender.objects.filter(pk=instance.pk).values_list(field, flat=True).first()


def remember_old_slug(sender, instance, **kwargs):
    """A renamed section, tag or person keeps the pages cached under its old slug: drop them."""
    if config.config().enabled:
        instance._edgecache_old_slug = _old_value(sender, instance, "slug")


def _slugs(instance) -> set[str]:
    return {s for s in (instance.slug, getattr(instance, "_edgecache_old_slug", None)) if s}


def photo_changed(sender, instance, created=False, **kwargs):
    """A new caption, credit, alt text or crop shows wherever the photo does, feeds included."""
    if not created:
        _after_commit({K.photo(instance.pk), K.FEEDS})


def section_changed(sender, instance, created=False, **kwargs):
    """A section's name and order show in every page's navigation; the rest on its own pages."""
    old = getattr(instance, "_edgecache_old", None)
    shown = (instance.name, instance.slug, instance.position)
    found = {K.section(slug) for slug in _slugs(instance)}
    if created or old != shown or kwargs.get("signal") is post_delete:
        found.add(K.ALL)
    _after_commit(found)


def remember_old_section(sender, instance, **kwargs):
    remember_old_slug(sender, instance)
    if instance.pk is not None:
        instance._edgecache_old = (
            sender.objects.filter(pk=instance.pk).values_list("name", "slug", "position").first()
        )


def person_changed(sender, instance, created, **kwargs):
    # A new person has no page readers could have cached; the wire importer makes many.
    if created:
        return
    stories = Article.objects.filter(Q(bylines__person=instance) | Q(quotes__speaker=instance))
    _after_commit({K.person(slug) for slug in _slugs(instance)}, stories)


def tag_changed(sender, instance, created=False, **kwargs):
    if created:
        return
    stories = Article.objects.filter(tags__slug=instance.slug)
    if kwargs.get("signal") is pre_delete:
        # Read now: once the tag is gone, so is the link to its stories.
        pks = list(stories.values_list("pk", flat=True))
        _after_commit({K.tag(instance.slug), *(K.story(pk) for pk in pks)})
        return
    _after_commit({K.tag(slug) for slug in _slugs(instance)}, stories)


def redirect_changed(sender, instance, **kwargs):
    """An old address added or removed in the admin: its cached 301 or 404 must go."""
    _after_commit({K.MISSING, K.story(instance.article_id)})


def photo_files_changed(sender, photo_id, **kwargs):
    """A photo's renditions became public or were withdrawn (``articles/photos/release.py``):
    every page, feed and API answer showing it must point at the new files, or at none."""
    invalidate({K.photo(photo_id), K.FEEDS})


def connect() -> None:
    """Connect every receiver once (dispatch uids make a second call harmless)."""
    uid = "articles.edgecache."
    setting_changed.connect(config.forget, dispatch_uid=uid + "setting_changed")
    story_changed.connect(story_changed_handler, dispatch_uid=uid + "story_changed")
    pre_delete.connect(story_deleting, sender=Article, dispatch_uid=uid + "story_deleting")
    post_save.connect(photo_changed, sender=Photo, dispatch_uid=uid + "photo_saved")
    post_delete.connect(photo_changed, sender=Photo, dispatch_uid=uid + "photo_gone")
    pre_save.connect(remember_old_section, sender=Section, dispatch_uid=uid + "section_saving")
    post_save.connect(section_changed, sender=Section, dispatch_uid=uid + "section_saved")
    post_delete.connect(section_changed, sender=Section, dispatch_uid=uid + "section_gone")
    pre_save.connect(remember_old_slug, sender=Person, dispatch_uid=uid + "person_saving")
    post_save.connect(person_changed, sender=Person, dispatch_uid=uid + "person_saved")
    pre_save.connect(remember_old_slug, sender=Tag, dispatch_uid=uid + "tag_saving")
    post_save.connect(tag_changed, sender=Tag, dispatch_uid=uid + "tag_saved")
    pre_delete.connect(tag_changed, sender=Tag, dispatch_uid=uid + "tag_deleting")
    post_save.connect(redirect_changed, sender=StoryRedirect, dispatch_uid=uid + "redirect_saved")
    post_delete.connect(redirect_changed, sender=StoryRedirect, dispatch_uid=uid + "redirect_gone")
    photo_released.connect(photo_files_changed, dispatch_uid=uid + "photo_released")
