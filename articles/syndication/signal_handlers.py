"""Receivers for what serves machines; connected in ``ArticlesConfig.ready()``."""

import logging

from django.db import transaction

from articles.signals import story_changed
from articles.syndication import change_log

logger = logging.getLogger(__name__)


def log_for_partners(sender, article, event, **kwargs):
    """Every story change goes in the partner feed's log (see change_log)."""
    try:
        # Its own savepoint: a failure here must not break a surrounding transaction.
        with transaction.atomic():
            change_log.record(article, event)
    except Exception:
        # The editor's change has committed; a lost log line must not turn it into an error.
        logger.exception("Could not log %s of story %s for the partner feed", event, article.pk)


def connect() -> None:
    story_changed.connect(log_for_partners, dispatch_uid="articles.syndication.change_log")
