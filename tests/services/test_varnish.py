"""A real Varnish (Debian's varnishd) in front of gunicorn, with Redis as the shared cache.

Shows that a second request is a cache hit, and that after a correction is published the proxy
serves the corrected page at once, because the purge hook bans the story's surrogate key.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support import free_port, require_binary

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[2]
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"
GUNICORN = Path(sys.executable).with_name("gunicorn")


def wait_for(port: int, process: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listening on {port}")


def fetch(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, dict(response.headers), response.read().decode()


def django(env, code: str) -> dict:
    """Run Django code in its own process against the test database; it prints JSON."""
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
def stack(tmp_path):
    """Redis, the app under gunicorn (2 workers) and Varnish, all on loopback ports."""
    require_binary(VARNISHD, "varnish")
    require_binary(REDIS, "redis-server")
    app_port, proxy_port, redis_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "NEWSROOM_PRIVATE_MEDIA_ROOT": str(tmp_path / "private-media"),
        "NEWSROOM_HTTP_CACHE": "true",
        "NEWSROOM_CACHE_SECONDS": "300",
        "NEWSROOM_PURGE_BACKEND": "articles.edgecache.purge.HttpBanPurge",
        # No worker here: purges run in the process that makes the change.
        "NEWSROOM_TASKS": "immediate",
        "NEWSROOM_PURGE_URL": f"http://127.0.0.1:{proxy_port}/",
        "NEWSROOM_SITE_URL": f"http://127.0.0.1:{proxy_port}",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    vcl = (ROOT / "deploy" / "varnish.vcl").read_text()
    assert '.port = "8000";' in vcl
    (tmp_path / "varnish.vcl").write_text(vcl.replace('.port = "8000";', f'.port = "{app_port}";'))

    logs = {name: open(tmp_path / f"{name}.log", "w") for name in ("redis", "app", "proxy")}  # noqa: SIM115
    commands = {
        "redis": [REDIS, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", ""],
        "app": [
            str(GUNICORN),
            "newsroom.wsgi",
            "--bind",
            f"127.0.0.1:{app_port}",
            "--workers",
            "2",
            "--no-control-socket",
        ],
        "proxy": [
            VARNISHD,
            "-F",
            "-j",
            "none",
            "-n",
            str(tmp_path / "varnish"),
            "-a",
            f"127.0.0.1:{proxy_port}",
            "-T",
            f"127.0.0.1:{free_port()}",
            "-f",
            str(tmp_path / "varnish.vcl"),
            "-s",
            "malloc,32m",
        ],
    }
    ports = {"redis": redis_port, "app": app_port, "proxy": proxy_port}
    processes = {}
    try:
        for name, command in commands.items():
            processes[name] = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=logs[name], stderr=subprocess.STDOUT
            )
            wait_for(ports[name], processes[name])
        yield {"env": env, "proxy": f"http://127.0.0.1:{proxy_port}"}
    finally:
        for process in reversed(list(processes.values())):
            process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs.values():
            log.close()


def test_varnish_caches_pages_and_drops_them_when_a_correction_is_published(stack):
    env, proxy = stack["env"], stack["proxy"]
    story = django(
        env,
        "from tests import factories\n"
        "s = factories.published('Harbour strike ends')\n"
        "print(json.dumps({'pk': s.pk, 'url': s.get_absolute_url()}))",
    )
    page = proxy + story["url"]

    status, first, body = fetch(page)
    assert status == 200 and "Harbour strike ends" in body
    assert first["X-Cache"] == "MISS"
    assert "public" in first["Cache-Control"] and "s-maxage=300" in first["Cache-Control"]
    assert f"story-{story['pk']}" in first["Surrogate-Key"].split()

    _, second, again = fetch(page)
    assert second["X-Cache"] == "HIT"
    assert len(second["X-Varnish"].split()) == 2  # this request's id and the cached object's
    assert again == body

    _, feed_first, _ = fetch(proxy + "/feeds/rss/")
    _, feed_second, _ = fetch(proxy + "/feeds/rss/")
    assert feed_second["X-Cache"] == "HIT"

    # The correction is added by another process, as the desk would: the step sends
    # story_changed after commit, the version moves on in Redis, and Varnish gets a BAN.
    django(
        env,
        "from articles.models import Article\n"
        "from articles.publishing.steps import AddCorrection\n"
        "from tests import factories\n"
        f"story = Article.objects.get(pk={story['pk']})\n"
        "note = 'The strike lasted six days.'\n"
        "AddCorrection(story, factories.user('Editor'), note=note).execute()\n"
        "print('{}')",
    )
    _, third, corrected = fetch(page)
    assert third["X-Cache"] == "MISS"
    assert "The strike lasted six days." in corrected
    assert third["ETag"] != first["ETag"]
    _, feed_third, _ = fetch(proxy + "/feeds/rss/")
    assert feed_third["X-Cache"] == "MISS" and feed_third["ETag"] != feed_first["ETag"]

    _, fourth, _ = fetch(page)
    assert fourth["X-Cache"] == "HIT"


def test_varnish_never_caches_the_admin(stack):
    request = urllib.request.Request(stack["proxy"] + "/admin/login/")
    for _ in range(2):
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["X-Cache"] == "MISS"
            assert response.headers["Cache-Control"] == "private, no-store"
