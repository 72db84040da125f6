"""Which changes make which story pages stale: the one place that says so.

Connected in ``ArticlesConfig.ready()``. Edits that save the story row need nothing here: its
``updated_at`` is part of every page's source (``store.py``). What remains are the rows a page
shows without being the story: its bylines, quotes, related headlines, corrections, old
addresses and tags, and the people, photos (and their renditions), tags and sections shared
between stories. Each receiver marks the affected pages stale inside the writer's transaction
(a stale page is never served: the next read builds it). ``story_changed`` rebuilds the story's
own page; a change to a row many stories share (person, photo, tag, section) queues their
rebuild; a photo's public copies coming or going (``photo_released``) rebuilds its pages
at once, since they print the copies' addresses. Links to other stories are never stored, so a
story going live, expiring or being killed needs nothing here.
"""

import logging

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from taggit.models import Tag, TaggedItem

from articles.models import (
    Article,
    Byline,
    Correction,
    Photo,
    Quote,
    RelatedHeadline,
    Rendition,
    Section,
    StoryPage,
    StoryRedirect,
)
from articles.readmodel.store import rebuild
from articles.readmodel.tasks import rebuild_pages
from articles.signals import StoryEvent, photo_released, story_changed
from people.models import Person

logger = logging.getLogger(__name__)


def story_part_changed(sender, instance, **kwargs):
    """A byline, quote, related headline, correction or old address of one story."""
    StoryPage.objects.filter(article_id=instance.article_id).mark_stale()


def story_tags_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Article):
        StoryPage.objects.filter(article_id=instance.pk).mark_stale()


def person_changed(sender, instance, created=False, **kwargs):
    if not created:
        _stale_then_rebuilt(
            StoryPage.objects.filter(
                Q(article__bylines__person=instance) | Q(article__quotes__speaker=instance)
            )
        )


def photo_changed(sender, instance, created=False, **kwargs):
    # pre_delete for deletions: the page's link to the photo goes with it.
    if not created:
        _stale_then_rebuilt(StoryPage.objects.filter(photos=instance))


def rendition_changed(sender, instance, **kwargs):
    StoryPage.objects.filter(photos=instance.photo_id).mark_stale()


def tag_changed(sender, instance, created=False, **kwargs):
    if not created:
        _stale_then_rebuilt(StoryPage.objects.filter(article__tags=instance))


def section_changed(sender, instance, created=False, **kwargs):
    if not created:
        _stale_then_rebuilt(StoryPage.objects.filter(article__section=instance))


def _stale_then_rebuilt(pages) -> None:
    """Stale now, inside the writer's transaction; built again by the task worker after commit
    (a row shown by thousands of stories must not hold up the editor who changed it)."""
    ids = list(pages.values_list("article_id", flat=True).distinct())
    if not ids:
        return
    StoryPage.objects.filter(article_id__in=ids).mark_stale()
    transaction.on_commit(lambda: _enqueue_rebuild(ids))


def _enqueue_rebuild(ids: list[int]) -> None:
    try:
        rebuild_pages.enqueue(ids)
    except Exception:
        # Stale pages are never served: the next read builds them if the queue is down.
        logger.exception("Could not enqueue the rebuild of %s story pages", len(ids))


def public_copies_moved(sender, photo_id, **kwargs):
    """Released or withdrawn: build the pages that show the photo with its addresses now."""
    pages = StoryPage.objects.filter(photos=photo_id)
    ids = list(pages.values_list("article_id", flat=True))
    pages.mark_stale()
    rebuild(ids)


def story_event(sender, article, event, **kwargs):
    """After a story's own change commits, write its page now rather than on the next read."""
    if event != StoryEvent.DELETED:
        rebuild([article.pk])


def connect() -> None:
    uid = "articles.readmodel."
    for model in (Byline, Quote, RelatedHeadline, Correction, StoryRedirect):
        name = model.__name__.lower()
        post_save.connect(story_part_changed, sender=model, dispatch_uid=f"{uid}{name}_saved")
        post_delete.connect(story_part_changed, sender=model, dispatch_uid=f"{uid}{name}_gone")
    m2m_changed.connect(story_tags_changed, sender=TaggedItem, dispatch_uid=uid + "tags")
    for model, receiver in (
        (Person, person_changed),
        (Photo, photo_changed),
        (Tag, tag_changed),
        (Section, section_changed),
    ):
        name = model.__name__.lower()
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}{name}_saved")
        pre_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}{name}_gone")
    post_save.connect(rendition_changed, sender=Rendition, dispatch_uid=uid + "rendition_saved")
    post_delete.connect(rendition_changed, sender=Rendition, dispatch_uid=uid + "rendition_gone")
    photo_released.connect(public_copies_moved, dispatch_uid=uid + "public_copies")
    story_changed.connect(story_event, dispatch_uid=uid + "story_changed")
