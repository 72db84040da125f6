"""Changes made outside the workflow steps that readers can see: deletions and corrections.

Each becomes a ``story_changed`` event after commit, like a step does; connected in
``ArticlesConfig.ready()``.
"""

import copy

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete

from articles.models import Article, Correction
from articles.signals import StoryEvent, announce, story_changed


def story_deleted(sender, instance, **kwargs):
    """A deleted story leaves every page, feed and cache, as a killed one does."""
    # Django clears the pk once the row is gone: receivers get a copy that keeps it.
    announce(copy.copy(instance), StoryEvent.DELETED)


def correction_changed(sender, instance, **kwargs):
    """A correction on a live story changes its page and its feeds' ``updated``."""
    article_id = instance.article_id

    def send():
        # Looked up after commit, so saving a correction costs no extra query in the request.
        article = Article.objects.filter(pk=article_id).first()
        if article is not None and article.is_live:
            story_changed.send(sender=Article, article=article, event=StoryEvent.CORRECTED)

    transaction.on_commit(send)


def connect() -> None:
    uid = "articles.publishing."
    pre_delete.connect(story_deleted, sender=Article, dispatch_uid=uid + "story_deleted")
    post_save.connect(correction_changed, sender=Correction, dispatch_uid=uid + "correction_saved")
    post_delete.connect(correction_changed, sender=Correction, dispatch_uid=uid + "correction_gone")
