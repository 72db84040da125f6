"""``story_changed`` → a fan-out task; connected in ``ArticlesConfig.ready()``.

Runs after commit in the editor's request, so it only enqueues: one query to see whether any
endpoint is active, one enqueue. Sending happens in the worker.
"""

import logging
import uuid

from django.utils import timezone

from articles.models import WEBHOOK_EVENTS, WebhookEndpoint
from articles.signals import StoryEvent, story_changed
from articles.syndication.change_log import was_ever_public
from articles.syndication.feed_items import site_url
from articles.webhooks.tasks import fan_out_story_event
from newsroom.queue import later

logger = logging.getLogger(__name__)

REMOVALS = {StoryEvent.UNPUBLISHED, StoryEvent.KILLED, StoryEvent.DELETED}


def story_event(sender, article, event, **kwargs):
    try:
        enqueue_story_event(article, event)
    except Exception:
        # The change has committed; the editor must not see an error because the queue is down.
        logger.exception("Could not enqueue webhooks for %s of story %s", event, article.pk)


def enqueue_story_event(article, event) -> None:
    if not WebhookEndpoint.objects.active().exists():
        return
    now = timezone.now()
    # The clock publishes scheduled stories and expires others without a save: say so then.
    # Their keys name the moment, so editing a scheduled story again schedules no second send.
    for kind, at in article.coming_moments(now):
        due = at.isoformat()
        expiring = kind == StoryEvent.UNPUBLISHED
        clock_key = f"{article.pk}-{'expired' if expiring else 'published'}-{due}"
        removed = {"id": article.pk, "url": site_url(article.get_absolute_url())}
        later(
            fan_out_story_event, at, article.pk, str(kind), clock_key,
            removed if expiring else None, due,
        )  # fmt: skip
    if event not in WEBHOOK_EVENTS:
        return
    removed = None
    if event in REMOVALS:
        # Partners never saw a story that was never public: nothing to take down.
        if not was_ever_public(article, now):
            return
        removed = {"id": article.pk, "url": site_url(article.get_absolute_url())}
    elif not article.is_live:
        return
    fan_out_story_event.enqueue(article.pk, str(event), uuid.uuid4().hex, removed)


def connect() -> None:
    story_changed.connect(story_event, dispatch_uid="articles.webhooks.story_event")
