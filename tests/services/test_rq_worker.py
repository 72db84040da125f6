"""The production queue for real: an RQ worker on Redis, PostgreSQL, gunicorn and Varnish.

A story is published and then corrected by another process (as the admin would, with the
production task backend). The RQ worker, not that process, delivers the signed webhooks to a
receiver on loopback and sends the BAN that makes Varnish drop the story's cached page.
Runs where `make test-postgres` / .ci/run put PostgreSQL and Redis on loopback.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from articles.webhooks import signing
from tests.services.test_two_app_servers import test_database_url
from tests.services.test_varnish import REDIS, VARNISHD, fetch, free_port, wait_for
from tests.support import require_binary, stop_process
from tests.webhook_receiver import Receiver

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.services,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def run_django(env, code: str) -> dict:
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


def rq_env(tmp_path, redis_db: int, purge_port: int) -> dict:
    """The environment of app servers and an RQ worker on the test PostgreSQL and a Redis
    database of their own (the test process empties its cache database between tests), with
    purges sent to ``purge_port`` on loopback and webhooks allowed to loopback receivers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSROOM_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings.dev",
        DJANGO_DEBUG="false",
        DATABASE_URL=test_database_url(),
        DATABASE_CONN_MAX_AGE="0",
        REDIS_URL=urlsplit(os.environ["REDIS_URL"])._replace(path=f"/{redis_db}").geturl(),
        MEDIA_ROOT=str(tmp_path / "media"),
        NEWSROOM_TASKS="rq",
        NEWSROOM_PURGE_BACKEND="articles.edgecache.purge.HttpBanPurge",
        NEWSROOM_PURGE_URL=f"http://127.0.0.1:{purge_port}/",
        NEWSROOM_WEBHOOK_ALLOW_PRIVATE="true",
    )
    return env


@pytest.fixture
def stack(tmp_path):
    """gunicorn and an RQ worker on the test PostgreSQL and a Redis database of their own,
    Varnish in front of gunicorn, and a webhook receiver."""
    require_binary(VARNISHD, "varnish")
    require_binary(REDIS, "redis-server")
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL: the RQ worker and the app share one Redis")
    app_port, proxy_port = free_port(), free_port()
    env = rq_env(tmp_path, redis_db=5, purge_port=proxy_port)
    env.update(NEWSROOM_HTTP_CACHE="true", NEWSROOM_SITE_URL=f"http://127.0.0.1:{proxy_port}")
    vcl = (ROOT / "deploy" / "varnish.vcl").read_text()
    (tmp_path / "varnish.vcl").write_text(vcl.replace('.port = "8000";', f'.port = "{app_port}";'))
    gunicorn = Path(sys.executable).with_name("gunicorn")
    commands = {
        "app": [str(gunicorn), "newsroom.wsgi", "--bind", f"127.0.0.1:{app_port}"]
        + ["--workers", "1", "--no-control-socket"],
        "proxy": [VARNISHD, "-F", "-j", "none", "-n", str(tmp_path / "varnish")]
        + ["-a", f"127.0.0.1:{proxy_port}", "-T", f"127.0.0.1:{free_port()}"]
        + ["-f", str(tmp_path / "varnish.vcl"), "-s", "malloc,32m"],
        "worker": [sys.executable, "manage.py", "rqworker", "default", "--with-scheduler"]
        + ["--job-class", "django_tasks_rq.backend.Job"],
    }
    ports = {"app": app_port, "proxy": proxy_port}
    logs, processes = {}, {}
    try:
        for name, command in commands.items():
            logs[name] = (tmp_path / f"{name}.log").open("w")
            processes[name] = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=logs[name], stderr=subprocess.STDOUT
            )
            if name in ports:
                wait_for(ports[name], processes[name])
        with Receiver() as receiver:
            yield {"env": env, "proxy": f"http://127.0.0.1:{proxy_port}", "receiver": receiver,
                   "logs": tmp_path}  # fmt: skip
    finally:
        for process in reversed(list(processes.values())):
            stop_process(process)
        for log in logs.values():
            log.close()


def test_the_rq_worker_delivers_webhooks_and_purges_varnish(stack):
    env, proxy, receiver = stack["env"], stack["proxy"], stack["receiver"]
    story = run_django(
        env,
        "from articles.models import WebhookEndpoint\n"
        "from tests import factories\n"
        f"WebhookEndpoint.objects.create(url={receiver.url!r}, secret='rq-secret',"
        " events=['published', 'corrected'])\n"
        "s = factories.published('Dockers vote on the new rota')\n"
        "print(json.dumps({'pk': s.pk, 'url': s.get_absolute_url()}))",
    )
    [published] = receiver.wait_for(1)
    assert json.loads(published.body)["event"] == "published"

    page = proxy + story["url"]
    assert fetch(page)[1]["X-Cache"] == "MISS"
    _, cached, _ = fetch(page)
    assert cached["X-Cache"] == "HIT"

    # The correction's process only enqueues: the BAN and the webhook come from the worker.
    run_django(
        env,
        "from articles.models import Article\n"
        "from articles.publishing.steps import AddCorrection\n"
        "from tests import factories\n"
        f"story = Article.objects.get(pk={story['pk']})\n"
        "note = 'The vote was on Tuesday.'\n"
        "AddCorrection(story, factories.user('Editor'), note=note).execute()\n"
        "print('{}')",
    )
    hits = receiver.wait_for(2)
    assert len(hits) == 2, (stack["logs"] / "worker.log").read_text()[-3000:]
    corrected = json.loads(hits[1].body)
    assert corrected["event"] == "corrected" and corrected["story"]["id"] == story["pk"]
    assert signing.is_valid("rq-secret", hits[1].body, hits[1].headers["X-Newsroom-Signature"])

    deadline = time.monotonic() + 30
    while True:
        _, headers, body = fetch(page)
        if headers["X-Cache"] == "MISS" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert headers["X-Cache"] == "MISS", (stack["logs"] / "worker.log").read_text()[-3000:]
    assert "The vote was on Tuesday." in body

    jobs = run_django(
        env,
        "import django_rq\n"
        "from rq.registry import FinishedJobRegistry\n"
        "q = django_rq.get_queue('default')\n"
        "done = FinishedJobRegistry(queue=q)\n"
        "job = q.fetch_job(done.get_job_ids()[0])\n"
        "print(json.dumps({'finished': len(done), 'retries': job.retries_left}))",
    )
    # Purges, fan-outs, deliveries and suggestions; each created with retries for a crash.
    assert jobs["finished"] >= 5 and jobs["retries"] == 3
