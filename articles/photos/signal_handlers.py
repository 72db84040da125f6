"""Receivers that keep photo files where they belong; connected in ``ArticlesConfig.ready()``.

* A story changes (``story_changed``) or gains or loses a photo (``m2m_changed`` on
  ``Article.photos``), or a photo's record changes: its renditions are released or withdrawn
  (``release.sync_photos``) once the change has committed.
* A photo, rendition or person is deleted: its files go too, after commit (a rollback keeps
  the row and its files together).
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from articles.models import Article, Photo, Rendition, Status
from articles.photos import release
from articles.photos.tasks import sync_story_photos
from articles.signals import StoryEvent, story_changed
from newsroom.queue import later
from people.models import Person


def story_photos_changed(sender, article, event=None, **kwargs):
    """Sent after commit already: release or withdraw the story's photos now, and again when
    the clock alone changes the story (it expires at its unpublish time)."""
    release.sync_photos(release.photo_ids_of(article))
    for kind, at in article.coming_moments():
        if kind == StoryEvent.UNPUBLISHED:
            later(sync_story_photos, at, article.pk)


def photos_linked(sender, instance, action, reverse, pk_set, **kwargs):
    """A story gained or lost photos (its read model moved): reconsider them after commit."""
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    if action == "post_add" and not reverse and instance.status != Status.PUBLISHED:
        # Only public and scheduled stories release photos (visibility.photos_to_release): a
        # draft gaining one changes nothing (an import would pay four queries for nothing).
        return
    # Forward, pk_set holds photo ids; reverse (photo.stories.add), the photo is the instance.
    ids = {instance.pk} if reverse else set(pk_set)
    transaction.on_commit(lambda: release.sync_photos(ids))


def photo_saved(sender, instance, created, **kwargs):
    """Alt text or a file may have made the photo publishable (or not): reconsider it."""
    if created:
        return
    pk = instance.pk
    transaction.on_commit(lambda: release.sync_photos([pk]))


def _delete_after_commit(*files) -> None:
    stored = [(f.storage, f.name) for f in files if f and f.name]
    if stored:
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in stored])


def photo_deleted(sender, instance, **kwargs):
    _delete_after_commit(instance.image)


def rendition_deleted(sender, instance, **kwargs):
    _delete_after_commit(instance.file, instance.public_file)


def person_deleted(sender, instance, **kwargs):
    _delete_after_commit(instance.portrait)


def connect() -> None:
    uid = "articles.photos."
    story_changed.connect(story_photos_changed, dispatch_uid=uid + "story_changed")
    m2m_changed.connect(photos_linked, sender=Article.photos.through, dispatch_uid=uid + "linked")
    post_save.connect(photo_saved, sender=Photo, dispatch_uid=uid + "photo_saved")
    post_delete.connect(photo_deleted, sender=Photo, dispatch_uid=uid + "photo_deleted")
    post_delete.connect(rendition_deleted, sender=Rendition, dispatch_uid=uid + "rendition_gone")
    post_delete.connect(person_deleted, sender=Person, dispatch_uid=uid + "person_deleted")
