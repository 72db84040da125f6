"""``manage.py db_worker``: django-tasks-db's worker, which also picks up crashed workers' tasks.

django-tasks-db marks a task RUNNING when a worker claims it; if that worker dies (killed, out
of memory, the machine restarts) the task would stay RUNNING for ever. Here a small thread asks
every ``RECOVERY_INTERVAL`` seconds for tasks that have been running longer than
``NEWSROOM_TASK_LEASE_SECONDS`` and makes them ready again, so the next free worker runs them.
Every task in the project is idempotent, so a second run is safe.
"""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("newsroom.queue")

RECOVERY_INTERVAL = 30.0


def recover_abandoned_tasks(lease_seconds: int | None = None) -> int:
    """Make tasks that have run longer than the lease ready again; returns how many."""
    lease = settings.NEWSROOM_TASK_LEASE_SECONDS if lease_seconds is None else lease_seconds
    cutoff = timezone.now() - timedelta(seconds=lease)
    count = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).update(status=TaskResultStatus.READY)
    if count:
        logger.warning("Requeued %d task(s) abandoned by a crashed worker", count)
    return count


def _recover_forever(stop: threading.Event, interval: float) -> None:
    while not stop.is_set():
        try:
            recover_abandoned_tasks()
        except OperationalError as exc:  # SQLite busy: try again next round
            logger.info("Task recovery skipped this round: %s", exc)
        finally:
            connection.close()
        stop.wait(interval)


class Command(DbWorkerCommand):
    help = DbWorkerCommand.help + " (and requeue tasks of workers that died mid-task)"

    def handle(self, *args, **options):
        stop = threading.Event()
        interval = min(RECOVERY_INTERVAL, max(1.0, settings.NEWSROOM_TASK_LEASE_SECONDS / 2))
        thread = threading.Thread(
            target=_recover_forever, args=(stop, interval), name="task-recovery", daemon=True
        )
        thread.start()
        try:
            close_old_connections()
            super().handle(*args, **options)
        finally:
            stop.set()
