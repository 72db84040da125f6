"""The task queue in /-/health/ and /-/metrics: waiting tasks, a missing worker, task counts.

The worker really stopped and started again is tested in tests/services/test_worker_down.py.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.edgecache.tasks import send_purge
from newsroom.monitoring import metrics, queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NEWSROOM_QUEUE_STALE_SECONDS = 60


def scrape(client, settings) -> str:
    settings.NEWSROOM_METRICS_TOKEN = "scrape-me"
    response = client.get("/-/metrics", HTTP_AUTHORIZATION="Bearer scrape-me")
    assert response.status_code == 200
    return response.content.decode()


def test_an_empty_queue_is_ok(client, database_queue):
    assert queue.state() == queue.QueueState(0, 0.0)
    assert client.get("/-/health/").json()["checks"]["queue"] == {"status": "ok"}


def test_tasks_nobody_takes_mark_the_queue_down_but_the_site_serves(client, database_queue):
    send_purge.enqueue(["story-1"])
    send_purge.enqueue(["story-2"])
    # A deferred task not yet due is not waiting.
    send_purge.using(run_after=timezone.now() + timedelta(hours=1)).enqueue(["story-3"])
    assert client.get("/-/health/").json()["checks"]["queue"] == {"status": "ok"}

    # Ten minutes on, with no worker: the oldest due task has waited too long.
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    found = queue.state()
    assert found.waiting == 2 and 590 < found.oldest_seconds < 700
    response = client.get("/-/health/")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "degraded"
    assert body["checks"]["queue"] == {"status": "down", "reason": "TasksWaiting"}


def test_metrics_show_the_queue_depth_and_finished_tasks(client, settings, database_queue):
    send_purge.enqueue(["story-1"])
    text = scrape(client, settings)
    assert "newsroom_task_queue_waiting 1.0" in text
    assert "newsroom_task_queue_oldest_seconds" in text

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    counted = metrics.TASKS.labels(task="send_purge", outcome="successful")
    before = counted._value.get()
    send_purge.enqueue(["story-2"])
    assert counted._value.get() == before + 1
