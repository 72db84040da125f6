"""The purge, as a task: the CDN or Varnish hears of a change off the editor's request.

Idempotent (dropping the same keys twice drops nothing more), so a retry is harmless. A purge
that fails is logged as a ``PurgeFailure`` (the admin lists them), counted, and tried again
after a growing delay; the last failure leaves the row marked "gave up".
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from newsroom.monitoring import metrics

logger = logging.getLogger(__name__)


def retry_delay(attempts: int) -> timedelta:
    """10 s, 1 min, 6 min, 36 min after the 1st, 2nd, 3rd, 4th failed attempt."""
    return timedelta(seconds=10 * 6 ** (attempts - 1))


@task()
def send_purge(keys: list[str], failure_id: int | None = None) -> str:
    """Ask the configured backend to drop every cached response tagged with one of ``keys``;
    ``failure_id`` names the logged failure this run retries."""
    from articles.edgecache.purge import PurgeFailed, purge_backend
    from articles.models import PurgeFailure
    from newsroom.queue import later

    failure = PurgeFailure.objects.filter(pk=failure_id).first() if failure_id else None
    if failure is not None and failure.status != PurgeFailure.Status.RETRYING:
        return f"already {failure.status}"
    try:
        purge_backend().purge(keys)
    except PurgeFailed as error:
        metrics.PURGES.labels(outcome="failed").inc()
        failure = failure or PurgeFailure(keys=" ".join(sorted(keys)))
        failure.attempts += 1
        failure.last_error = str(error)[:200]
        failure.last_attempt_at = now = timezone.now()
        if failure.attempts >= settings.NEWSROOM_PURGE_MAX_ATTEMPTS:
            failure.status, failure.next_attempt_at = PurgeFailure.Status.GAVE_UP, None
            logger.error("Gave up purging %s after %d attempts: %s", keys, failure.attempts, error)
        else:
            failure.next_attempt_at = now + retry_delay(failure.attempts)
            logger.warning("Purge of %s failed (%s); trying again later", keys, error)
        failure.save()
        if failure.next_attempt_at is not None:
            later(send_purge, failure.next_attempt_at, list(keys), failure.pk)
        return failure.status
    metrics.PURGES.labels(outcome="sent").inc()
    if failure is not None:
        failure.status, failure.next_attempt_at = PurgeFailure.Status.SENT, None
        failure.attempts += 1
        failure.last_attempt_at = timezone.now()
        failure.save()
    return "sent"
