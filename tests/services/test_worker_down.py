"""The task worker and the purge endpoint down, for real: editors lose nothing, work waits.

gunicorn runs with the production queue (RQ on the test Redis) and no worker at all; the purge
endpoint (Varnish's place) is not listening. A story is published and gets a webhook endpoint:
the step takes effect at once for readers, the work waits in Redis, and /-/health/ says the
queue is down. Then the worker starts: the webhook is delivered, the purge fails and is logged
for the admin, and once the endpoint is back the worker's scheduled retry sends it.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from articles.models import PurgeFailure
from tests.purge_receiver import BanReceiver
from tests.services.test_rq_worker import ROOT, rq_env, run_django
from tests.services.test_varnish import REDIS, fetch, wait_for
from tests.support import free_port, require_binary, stop_process
from tests.webhook_receiver import Receiver

pytestmark = [
    pytest.mark.services,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WORKER = [sys.executable, "manage.py", "rqworker", "default", "--with-scheduler"]
WORKER += ["--job-class", "django_tasks_rq.backend.Job"]


def until(check, seconds: float = 40.0, every: float = 0.2):
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(every)


def health(site: str) -> dict:
    return json.loads(fetch(site + "/-/health/")[2])


@pytest.fixture
def app_without_worker(tmp_path):
    require_binary(REDIS, "redis-server")
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL: the app and the worker share one Redis")
    app_port, purge_port = free_port(), free_port()
    # A Redis database of its own, emptied first: no other test's jobs in its queue.
    env = rq_env(tmp_path, redis_db=6, purge_port=purge_port)
    env.update(NEWSROOM_QUEUE_STALE_SECONDS="2")
    run_django(env, "import django_rq\ndjango_rq.get_connection('default').flushdb()\nprint('{}')")
    gunicorn = [str(Path(sys.executable).with_name("gunicorn")), "newsroom.wsgi"]
    gunicorn += ["--bind", f"127.0.0.1:{app_port}", "--workers", "1", "--no-control-socket"]
    log = (tmp_path / "app.log").open("w")
    app = subprocess.Popen(gunicorn, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    processes = [app]
    try:
        wait_for(app_port, app)
        yield {
            "env": env,
            "site": f"http://127.0.0.1:{app_port}",
            "purge_port": purge_port,
            "start_worker": lambda: processes.append(
                subprocess.Popen(
                    WORKER,
                    cwd=ROOT,
                    env=env,
                    stdout=(tmp_path / "worker.log").open("w"),
                    stderr=subprocess.STDOUT,
                )
            ),
            "logs": tmp_path,
        }
    finally:
        for process in reversed(processes):
            stop_process(process)
        log.close()


def test_work_waits_for_the_worker_and_a_failed_purge_is_retried(app_without_worker):
    env, site = app_without_worker["env"], app_without_worker["site"]
    logs = app_without_worker["logs"]
    with Receiver() as receiver:
        story = run_django(
            env,
            "from articles.models import WebhookEndpoint\n"
            "from tests import factories\n"
            f"WebhookEndpoint.objects.create(url={receiver.url!r}, secret='w',"
            " events=['published'])\n"
            "s = factories.published('Ferry crews agree a new rota')\n"
            "print(json.dumps({'pk': s.pk, 'url': s.get_absolute_url()}))",
        )
        # The editor's step has taken effect: readers see the story with no worker running.
        assert fetch(site + story["url"])[0] == 200
        time.sleep(3)
        assert receiver.received == []  # the delivery waits in the queue
        report = health(site)
        assert report["status"] == "degraded"
        assert report["checks"]["queue"] == {"status": "down", "reason": "TasksWaiting"}

        app_without_worker["start_worker"]()
        delivered = receiver.wait_for(1, seconds=60)
        assert len(delivered) == 1, (logs / "worker.log").read_text()[-3000:]
        assert json.loads(delivered[0].body)["story"]["id"] == story["pk"]

    # The worker's purge found no endpoint: logged for the admin, a retry scheduled.
    key = f"story-{story['pk']}"

    def logged_failure():
        return next((f for f in PurgeFailure.objects.all() if key in f.keys.split()), None)

    failure = until(logged_failure)
    assert failure is not None, (logs / "worker.log").read_text()[-3000:]
    assert failure.status == "retrying" and failure.next_attempt_at is not None
    assert until(lambda: health(site)["checks"]["queue"]["status"] == "ok", seconds=30)

    # The endpoint is back: the retry the worker scheduled goes through (10 s after the failure).
    with BanReceiver(app_without_worker["purge_port"]) as varnish:
        sent = until(lambda: PurgeFailure.objects.filter(pk=failure.pk, status="sent").exists(), 60)
        assert sent, (logs / "worker.log").read_text()[-3000:]
    assert any(key in keys.split() for keys in varnish.received)
