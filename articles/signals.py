"""Signals sent after commit when what readers see may have changed."""

from django.db import models, transaction
from django.dispatch import Signal


class StoryEvent(models.TextChoices):
    """What happened to a story, as receivers (caches, webhooks) are told."""

    PUBLISHED = "published"
    SCHEDULED = "scheduled"
    UNSCHEDULED = "unscheduled"
    UPDATED = "updated"
    CORRECTED = "corrected"
    UNPUBLISHED = "unpublished"
    KILLED = "killed"
    DELETED = "deleted"
    SUBMITTED = "submitted"
    RETURNED = "returned"


# Sent with ``article=`` and ``event=`` (a StoryEvent) once the change has committed. For
# ``DELETED`` the article is a copy made before the row went, so it still has its ``pk``.
story_changed = Signal()


def announce(article, event: StoryEvent) -> None:
    """Send ``story_changed`` for ``article`` after the current transaction commits."""
    from articles.models import Article

    transaction.on_commit(
        lambda: story_changed.send(sender=Article, article=article, event=StoryEvent(event))
    )


# Sent with ``photo_id=`` after commit when a photo's renditions became public or stopped being
# public (``articles/photos/release.py``): their addresses changed, so must what shows them.
photo_released = Signal()


def announce_photo_files(photo_id: int) -> None:
    transaction.on_commit(lambda: photo_released.send(sender=None, photo_id=photo_id))
