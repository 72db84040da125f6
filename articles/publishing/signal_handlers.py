"""Changes readers can see that happen outside the workflow steps: deleting a story.

It becomes a ``story_changed`` event after commit, like a step does; connected in
``ArticlesConfig.ready()``. (Corrections are added only by the ``AddCorrection`` step, which
announces them itself.)
"""

import copy

from django.db.models.signals import pre_delete

from articles.models import Article
from articles.signals import StoryEvent, announce


def story_deleted(sender, instance, **kwargs):
    """A deleted story leaves every page, feed and cache, as a killed one does."""
    # Django clears the pk once the row is gone: receivers get a copy that keeps it.
    announce(copy.copy(instance), StoryEvent.DELETED)


def connect() -> None:
    uid = "articles.publishing."
    pre_delete.connect(story_deleted, sender=Article, dispatch_uid=uid + "story_deleted")
