"""The task queue's plumbing: the production backend, and enqueueing that respects commits.

``RetryingRQBackend`` is django-tasks-rq with RQ's own retries switched on. RQ retries a job
whose worker died mid-run (an "abandoned" job, found when a worker cleans the registries) only
if the job has retries left; django-tasks-rq creates jobs without any, so a crashed worker would
lose its task. Every task in the project is idempotent, so running one again is always safe.

``enqueue_on_commit`` enqueues a task so that it sees the current transaction's changes.
"""

import logging

from django_tasks.base import TASK_MAX_PRIORITY, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_rq.backend import Job, RQBackend, failed_callback, success_callback
from rq import Retry
from rq.job import Callback, JobStatus

logger = logging.getLogger(__name__)

# Three more tries, 10 s, 1 min and 5 min after a failure or a crash.
RETRY_INTERVALS = [10, 60, 300]


class RetryingRQBackend(RQBackend):
    def enqueue(self, task, args, kwargs):
        """django-tasks-rq's ``enqueue``, with ``retry=`` added to the job it creates."""
        import django_rq

        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        queue = django_rq.get_queue(task.queue_name, job_class=Job)
        job = queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(failed_callback),
            on_success=Callback(success_callback),
            meta={"backend_name": self.alias},
            retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS),
        )
        if task.run_after is None:
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            job = queue.schedule_job(job, task.run_after)
        object.__setattr__(result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=result)
        return result


def later(task, when, *args) -> bool:
    """Enqueue ``task`` to run at ``when``; False where the backend cannot defer (tests)."""
    if not task.get_backend().supports_defer:
        logger.info("Task backend cannot defer %s; left for a later run", task.name)
        return False
    task.using(run_after=when).enqueue(*args)
    return True


def stores_tasks_in_database(task) -> bool:
    """Whether ``task``'s backend writes to our database (or runs at once, as in tests)."""
    from django_tasks.backends.immediate import ImmediateBackend
    from django_tasks_db import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend | ImmediateBackend)


def enqueue_on_commit(task, *args) -> None:
    """Enqueue ``task`` so that it sees the current transaction's changes.

    The database backend's task row joins the transaction: it commits with the change or not at
    all (a crash in between loses nothing). Redis cannot join it, so RQ gets the task after
    commit; the immediate backend runs it at once, inside the transaction, as before.
    """
    from django.db import transaction

    if stores_tasks_in_database(task):
        task.enqueue(*args)
        return

    def enqueue():
        try:
            task.enqueue(*args)
        except Exception:
            # The change has committed; an unreachable queue must not turn it into an error.
            logger.exception("Could not enqueue %s%r", task.name, args)

    transaction.on_commit(enqueue)
