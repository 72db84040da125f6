"""How the task queue is doing: can it be reached, how many tasks wait, is a worker taking them.

Read by ``/-/health/`` (the ``queue`` check) and by ``/-/metrics`` (the queue depth), for the
backend in use: the database queue (``db_worker``), RQ on Redis (``rqworker``), or the
immediate backend (tests), which never holds anything.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Min
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends


class TasksWaiting(Exception):
    """Tasks due to run have waited longer than the limit: no worker is taking them."""


@dataclass(frozen=True)
class QueueState:
    waiting: int  # tasks due to run now
    oldest_seconds: float  # how long the longest-waiting one has waited (0 when none)


def state() -> QueueState:
    """The default queue's state; raises when the queue cannot be reached."""
    kind = type(task_backends[DEFAULT_TASK_BACKEND_ALIAS]).__name__
    if kind == "DatabaseBackend":
        return _database_queue()
    if kind.endswith("RQBackend"):
        return _rq_queue()
    return QueueState(0, 0.0)


def _database_queue() -> QueueState:
    from django_tasks_db.models import DBTaskResult, get_date_max

    ready = DBTaskResult.objects.ready()
    now = timezone.now()
    # A task waits from when it was enqueued, or from its run_after when it was deferred.
    undeferred = ready.filter(run_after=get_date_max()).aggregate(at=Min("enqueued_at"))["at"]
    deferred = ready.exclude(run_after=get_date_max()).aggregate(at=Min("run_after"))["at"]
    since = min((at for at in (undeferred, deferred) if at is not None), default=now)
    return QueueState(ready.count(), max(0.0, (now - since).total_seconds()))


def _rq_queue() -> QueueState:
    import django_rq

    queue = django_rq.get_queue("default")
    waiting = queue.count  # raises when Redis cannot be reached
    oldest = 0.0
    first = queue.get_job_ids(0, 1)
    job = queue.fetch_job(first[0]) if first else None
    if job is not None and job.enqueued_at is not None:
        enqueued = job.enqueued_at
        if enqueued.tzinfo is None:
            enqueued = enqueued.replace(tzinfo=timezone.utc)
        oldest = max(0.0, (timezone.now() - enqueued).total_seconds())
    return QueueState(waiting, oldest)


def probe() -> None:
    """The health check: the queue answers and no due task has waited past the limit."""
    found = state()
    if found.oldest_seconds > settings.NEWSROOM_QUEUE_STALE_SECONDS:
        waited = f"the oldest {found.oldest_seconds:.0f} s"
        raise TasksWaiting(f"{found.waiting} tasks waiting, {waited}")


def count_finished_task(sender, task_result, **kwargs) -> None:
    """``task_finished`` receiver: one count per task run, by task and outcome."""
    from newsroom.monitoring import metrics

    name = task_result.task.name
    metrics.TASKS.labels(task=name, outcome=str(task_result.status).lower()).inc()


def record_depth() -> None:
    """Set the queue gauges just before a scrape (a queue that cannot be read leaves them)."""
    from newsroom.monitoring import metrics

    try:
        found = state()
    except Exception:
        return
    metrics.QUEUE_WAITING.set(found.waiting)
    metrics.QUEUE_OLDEST.set(found.oldest_seconds)
