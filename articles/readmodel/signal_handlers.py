"""Which changes make which story pages stale: the one place that says so.

Connected in ``ArticlesConfig.ready()``. Edits that save the story row need nothing here: its
``updated_at`` is part of every page's source (``store.py``). What remains are the rows a page
shows without being the story: its bylines, quotes, related headlines, corrections and tags,
and the people, photos (and their renditions), tags and sections shared between stories.
Each receiver marks the affected pages stale with one UPDATE, inside the writer's transaction;
the next read (or ``story_changed``, for the story itself) builds them again. Links to other
stories are never stored, so a story going live, expiring or being killed needs nothing here.
"""

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
)
from articles.readmodel.store import rebuild
from articles.signals import StoryEvent, story_changed
from people.models import Person


def story_part_changed(sender, instance, **kwargs):
    """A byline, quote, related headline or correction of one story."""
    StoryPage.objects.filter(article_id=instance.article_id).mark_stale()


def story_tags_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Article):
        StoryPage.objects.filter(article_id=instance.pk).mark_stale()


def person_changed(sender, instance, created=False, **kwargs):
    if not created:
        StoryPage.objects.filter(
            Q(article__bylines__person=instance) | Q(article__quotes__speaker=instance)
        ).mark_stale()


def photo_changed(sender, instance, created=False, **kwargs):
    # pre_delete for deletions: the page's link to the photo goes with it.
    if not created:
        StoryPage.objects.filter(photos=instance).mark_stale()


def rendition_changed(sender, instance, **kwargs):
    StoryPage.objects.filter(photos=instance.photo_id).mark_stale()


def tag_changed(sender, instance, created=False, **kwargs):
    if not created:
        StoryPage.objects.filter(article__tags=instance).mark_stale()


def section_changed(sender, instance, created=False, **kwargs):
    if not created:
        StoryPage.objects.filter(article__section=instance).mark_stale()


def story_event(sender, article, event, **kwargs):
    """After a story's own change commits, write its page now rather than on the next read."""
    if event != StoryEvent.DELETED:
        rebuild([article.pk])


def connect() -> None:
    uid = "articles.readmodel."
    for model in (Byline, Quote, RelatedHeadline, Correction):
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
    story_changed.connect(story_event, dispatch_uid=uid + "story_changed")
