"""The webhook tasks: fan an event out to its endpoints, then deliver each one.

Both are idempotent. The fan-out makes at most one delivery per endpoint and event (a unique
``event_key``), and a delivery is claimed with a conditional UPDATE and a lease before it is
sent, so a task that runs twice (a retry, a crashed worker's task run again) sends once, or —
if the worker died between sending and recording — once more, with the same delivery id for the
receiver to recognise.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from articles.models import WebhookDelivery, WebhookEndpoint
from articles.signals import StoryEvent
from articles.webhooks import delivery
from newsroom.monitoring import metrics
from newsroom.queue import later

logger = logging.getLogger(__name__)


def retry_delay(attempts: int) -> timedelta:
    """30 s, 2 min, 8 min, 32 min, ~2 h after the 1st, 2nd, ... failed attempt (by default)."""
    base = getattr(settings, "NEWSROOM_WEBHOOK_RETRY_SECONDS", 30)
    return timedelta(seconds=base * 4 ** (attempts - 1))


def story_payload(story_id: int) -> dict | None:
    """The story's API object while it is public, else None."""
    from articles.syndication.api.serializers import StorySerializer
    from articles.syndication.api.views import story_context, story_rows

    story = story_rows().filter(pk=story_id).first()
    if story is None:
        return None
    return dict(StorySerializer(story, context=story_context([story])).data)


@task()
def fan_out_story_event(
    story_id: int, event: str, event_key: str, removed: dict | None = None, due: str = ""
) -> int:
    """Make a delivery for each active endpoint that wants ``event``; returns how many.

    ``removed`` is the ``{"id", "url"}`` of a story taken down. ``due`` is set for events the
    clock makes (a scheduled story appearing, one expiring): the event is sent only if the
    story is still due then (not rescheduled or unpublished meanwhile).
    """
    endpoints = [e for e in WebhookEndpoint.objects.active() if e.wants(event)]
    if not endpoints:
        return 0
    if due and not still_due(story_id, event, due):
        return 0
    if removed is not None:
        story = removed
    else:
        story = story_payload(story_id)
        if story is None:  # not public any more: a later event tells the partners
            return 0
    now = timezone.now()
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint=endpoint,
                event_key=event_key,
                event=event,
                story_id=story_id,
                payload={"event": event, "story": story},
                next_attempt_at=now,
            )
            for endpoint in endpoints
        ],
        ignore_conflicts=True,
    )
    waiting = WebhookDelivery.objects.pending().filter(event_key=event_key, attempts=0)
    ids = [str(pk) for pk in waiting.values_list("pk", flat=True)]
    for pk in ids:
        deliver_webhook.enqueue(pk)
    return len(ids)


def still_due(story_id: int, event: str, due: str) -> bool:
    from articles.models import Article

    story = Article.objects.filter(pk=story_id).first()
    if story is None or story.status != "published":
        return False
    moment = datetime.fromisoformat(due)
    if event == StoryEvent.PUBLISHED:
        return story.published_at == moment and story.is_live
    return story.unpublish_at == moment and not story.is_live


@task()
def deliver_webhook(delivery_id: str) -> str:
    """Send one delivery if it is due and nobody else is sending it; record how it went."""
    now = timezone.now()
    # Long enough for one POST (connect and read each time out), then another run may claim it.
    lease = timedelta(seconds=2 * getattr(settings, "NEWSROOM_WEBHOOK_TIMEOUT", 5) + 5)
    due = WebhookDelivery.objects.pending().filter(pk=delivery_id)
    due = due.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    claimed = due.filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now)).update(
        locked_until=now + lease
    )
    if not claimed:
        locked_until = due.values_list("locked_until", flat=True).first()
        if locked_until is not None:
            # Another run holds it (or held it and died): look again when its lease ends.
            later(deliver_webhook, locked_until + timedelta(seconds=1), delivery_id)
            return "being sent; checking again after the lease"
        return "not due, or already sent"
    item = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = item.endpoint
    if not endpoint.active:
        item.status = WebhookDelivery.Status.FAILED
        item.last_response = "The endpoint was switched off."
        item.locked_until = None
        item.save(update_fields=["status", "last_response", "locked_until"])
        return "endpoint switched off"
    outcome = delivery.post(endpoint.url, endpoint.secret, item.payload, str(item.pk), item.event)
    item.attempts += 1
    item.last_attempt_at = now
    item.last_status_code = outcome.status_code
    item.last_response = outcome.response
    item.locked_until = None
    retry_at = None
    if outcome.ok:
        item.status = WebhookDelivery.Status.DELIVERED
        item.delivered_at = timezone.now()
        item.next_attempt_at = None
    elif not outcome.retry or item.attempts >= settings.NEWSROOM_WEBHOOK_MAX_ATTEMPTS:
        item.status = WebhookDelivery.Status.FAILED
        item.next_attempt_at = None
    else:
        retry_at = item.next_attempt_at = now + retry_delay(item.attempts)
    item.save()
    outcome_name = "retrying" if retry_at is not None else item.status
    metrics.WEBHOOK_DELIVERIES.labels(outcome=outcome_name).inc()
    if retry_at is not None:
        later(deliver_webhook, retry_at, delivery_id)
    return item.status


def resend(deliveries) -> list[WebhookDelivery]:
    """New deliveries with the same bodies, sent now (the admin's "resend" action)."""
    import uuid

    copies = [
        WebhookDelivery.objects.create(
            endpoint_id=old.endpoint_id,
            event_key=f"resend-{uuid.uuid4().hex}",
            event=old.event,
            story_id=old.story_id,
            payload=old.payload,
            next_attempt_at=timezone.now(),
        )
        for old in deliveries
    ]
    for copy in copies:
        deliver_webhook.enqueue(str(copy.pk))
    return copies
