"""The embedded task queue for real: ``manage.py db_worker`` processes on a SQLite file.

A webhook published in one process is delivered by a worker process; a worker killed in the
middle of a delivery loses nothing, because the next worker takes the abandoned task over.
"""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from articles.webhooks import signing
from tests.webhook_receiver import Receiver

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.services


def django(env, code: str) -> dict:
    """Run Django code in its own process (autocommit, so on-commit hooks run); prints JSON."""
    script = "import django, json; django.setup()\n" + code
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def env(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSROOM_"))},
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "NEWSROOM_TASKS": "db",
        "NEWSROOM_WEBHOOK_ALLOW_PRIVATE": "true",
        "NEWSROOM_WEBHOOK_TIMEOUT": "3",
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return env


class Worker:
    def __init__(self, env, log: Path, **extra_env):
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.2"]
            + ["--no-startup-delay", "--no-reload", "-v", "2"],
            cwd=ROOT,
            env={**env, **extra_env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


PUBLISH = (
    "from articles.models import WebhookEndpoint\n"
    "from tests import factories\n"
    "WebhookEndpoint.objects.create(url={url!r}, secret='queue-secret', events=['published'])\n"
    "s = factories.published('Queued harbour story')\n"
    "print(json.dumps({{'pk': s.pk}}))"
)


def test_a_db_worker_delivers_a_webhook(env, tmp_path):
    with Receiver() as receiver:
        story = django(env, PUBLISH.format(url=receiver.url))
        assert receiver.received == []  # the publish only enqueued
        worker = Worker(env, tmp_path / "worker.log")
        try:
            [hit] = receiver.wait_for(1)
        finally:
            worker.stop()
    body = json.loads(hit.body)
    assert body["event"] == "published" and body["story"]["id"] == story["pk"]
    assert signing.is_valid("queue-secret", hit.body, hit.headers["X-Newsroom-Signature"])
    state = django(
        env,
        "from articles.models import WebhookDelivery, Article\n"
        "from django_tasks_db.models import DBTaskResult\n"
        "d = WebhookDelivery.objects.get()\n"
        "print(json.dumps({'status': d.status, 'attempts': d.attempts,"
        " 'tasks': sorted(set(DBTaskResult.objects.values_list('status', flat=True))),"
        " 'suggested': Article.objects.get().suggested_related}))",
    )
    assert state == {"status": "delivered", "attempts": 1, "tasks": ["SUCCESSFUL"], "suggested": []}


def test_a_crashed_worker_loses_no_task(env, tmp_path):
    with Receiver(delay=20) as receiver:
        django(env, PUBLISH.format(url=receiver.url))
        first = Worker(env, tmp_path / "first.log")
        try:
            receiver.wait_for(1)
            assert len(receiver.received) == 1
        finally:
            first.stop(signal.SIGKILL)  # dies mid-POST: its task stays "running"
        running = django(
            env,
            "from django_tasks_db.models import DBTaskResult\n"
            "print(json.dumps(DBTaskResult.objects.filter(status='RUNNING').count()))",
        )
        assert running == 1
        receiver.delay = 0
        second = Worker(env, tmp_path / "second.log", NEWSROOM_TASK_LEASE_SECONDS="2")
        try:
            hits = receiver.wait_for(2, seconds=60)
        finally:
            second.stop()
        assert len(hits) == 2, (tmp_path / "second.log").read_text()[-3000:]
    assert hits[0].headers["X-Newsroom-Delivery"] == hits[1].headers["X-Newsroom-Delivery"]
    state = django(
        env,
        "from articles.models import WebhookDelivery\n"
        "from django_tasks_db.models import DBTaskResult\n"
        "d = WebhookDelivery.objects.get()\n"
        "print(json.dumps([d.status, DBTaskResult.objects.filter(status='RUNNING').count()]))",
    )
    assert state == ["delivered", 0]
    assert "abandoned by a crashed worker" in (tmp_path / "second.log").read_text()
