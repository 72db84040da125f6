"""Fault injection: a dependency really goes away while readers and editors use the site.

Each test gets its own PostgreSQL and Redis (``.ci/services.sh`` on loopback, in a temporary
folder) and a gunicorn with production settings on them, then stops or breaks one of them during
a bounded load and asserts what readers and editors saw: no 5xx for readers outside the
database's own restart window, nothing lost for editors, and health telling the truth.
"""

import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from newsroom.db_router import REPLICA_RETRY_SECONDS
from newsroom.resilient_cache import BACK_OFF_SECONDS
from tests.security.standalone import Browser, StandaloneSite
from tests.support import REPO, free_port, require_binary

pytestmark = [pytest.mark.services, pytest.mark.postgres]

SERVICES = REPO / ".ci" / "services.sh"
PG_CTL = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))), "/usr/bin/pg_ctl")
SEED = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from tests import factories

chief = get_user_model().objects.create_user("chief", password="faults-pw", is_staff=True)
chief.groups.add(Group.objects.get(name="Editor"))
stories = [factories.published(f"Harbour story {n}", hours_ago=n + 1, by=chief) for n in range(6)]
print(json.dumps({"ids": [s.pk for s in stories], "urls": [s.get_absolute_url() for s in stories]}))
"""


def services(action: str, folder: Path) -> None:
    done = subprocess.run(
        ["bash", str(SERVICES), action, str(folder)], capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture
def stack():
    """A private PostgreSQL and Redis; their URLs."""
    require_binary("/usr/bin/redis-server", "redis-server")
    require_binary(PG_CTL, "postgresql")
    # Directly under the system's temporary folder: PostgreSQL runs as another user (when the
    # tests run as root), which must be able to reach its data folder.
    folder = Path(tempfile.mkdtemp(prefix="newsroom-faults-"))
    services("start", folder)
    env = dict(
        line.removeprefix("export ").split("=", 1)
        for line in (folder / "env").read_text().splitlines()
        if line.startswith("export ")
    )
    try:
        yield {"folder": folder, **env}
    finally:
        services("stop", folder)
        shutil.rmtree(folder, ignore_errors=True)


def site_on(stack, tmp_path, **extra) -> StandaloneSite:
    site = StandaloneSite(
        tmp_path / "site",
        database_url=stack["DATABASE_URL"],
        extra_env={"REDIS_URL": stack["REDIS_URL"], **extra},
    )
    (tmp_path / "site").mkdir(exist_ok=True)
    site.start()
    # Seeded through the primary alone: a replica is what some tests break, not the setup.
    with_replica = site.env
    site.env = {k: v for k, v in with_replica.items() if k != "DATABASE_REPLICA_URL"}
    try:
        site.seeded = site.run_django(SEED)
    finally:
        site.env = with_replica
    return site


class Readers:
    """Threads reading pages until stopped; every (answered, status, cache, asked) is kept."""

    def __init__(self, site, paths, threads=3):
        self.site, self.paths, self.seen = site, paths, []
        self.running = True
        self.threads = [threading.Thread(target=self.read, args=(n,)) for n in range(threads)]

    def read(self, n):
        browser = Browser(self.site)
        i = n
        while self.running:
            started = time.monotonic()
            status, _, headers = browser.request(self.paths[i % len(self.paths)])
            answered = time.monotonic()
            # One tuple per request, appended at once: threads never interleave its parts.
            self.seen.append((answered, status, headers.get("X-Newsroom-Cache", ""), started))
            i += 1

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        for thread in self.threads:
            thread.join()

    def between(self, start, end):
        return [s for t, s, _, _ in self.seen if start <= t <= end]


def editor_of(site) -> Browser:
    browser = Browser(site)
    browser.login("chief", "faults-pw")
    return browser


def step(browser, pk, action, note=""):
    data = [("action", action), ("note", note), ("csrfmiddlewaretoken", browser.csrf())]
    return browser.request(f"/admin/articles/article/{pk}/workflow/", data)[0]


def health(site) -> dict:
    import json

    status, body, _ = Browser(site).request("/-/health/")
    return {"http": status, **json.loads(body)}


def test_redis_down_and_back(stack, tmp_path):
    site = site_on(stack, tmp_path)
    try:
        ids, urls = site.seeded["ids"], site.seeded["urls"]
        paths = ["/", "/feeds/rss/", "/search/?q=harbour", *urls[1:]]
        with Readers(site, paths) as readers:
            time.sleep(2)
            before = time.monotonic()
            assert "hit" in {c for _, _, c, _ in readers.seen}, "the page cache works at first"

            services("stop-redis", stack["folder"])
            down = time.monotonic()
            time.sleep(2)
            report = health(site)
            assert report["http"] == 200 and report["checks"]["cache"]["status"] == "down"
            # An editor logs in (sessions fall back to the database) and takes a story down.
            editor = editor_of(site)
            assert step(editor, ids[0], "unpublish") == 302
            assert Browser(site).request(urls[0])[0] == 404
            time.sleep(2)

            services("start", stack["folder"])  # a new, empty Redis on the same port
            back = time.monotonic()
            # Each server process leaves Redis alone for a back-off after its last failure.
            time.sleep(BACK_OFF_SECONDS + 4)
        statuses = [s for _, s, _, _ in readers.seen]
        assert all(s < 500 for s in statuses), sorted(set(statuses))
        during = readers.between(down, back)
        assert len(during) > 20 and set(during) == {200}
        after = [c for t, _, c, _ in readers.seen if t > back + BACK_OFF_SECONDS + 1]
        assert "hit" in after, "caching resumes once Redis is back"
        assert Browser(site).request(urls[0])[0] == 404, "the unpublished story stays gone"
        assert health(site)["checks"]["cache"]["status"] == "ok"
        print(
            f"\nredis down for {back - down:.1f} s: {len(statuses)} reader requests, "
            f"{len(during)} while it was down, 0 errors (first requests at {before:.0f})"
        )
    finally:
        site.stop()


def test_postgres_restart_under_load(stack, tmp_path):
    # The page cache off: every request reads the database.
    site = site_on(stack, tmp_path, NEWSROOM_HTTP_CACHE="false")
    try:
        pid = site.process.pid
        paths = ["/feeds/atom/", "/search/?q=harbour", *site.seeded["urls"]]
        with Readers(site, paths) as readers:
            time.sleep(2)
            start = time.monotonic()
            services("restart-pg", stack["folder"])
            end = time.monotonic()
            time.sleep(4)
        assert site.process.poll() is None and site.process.pid == pid  # never restarted
        outside = [s for t, s, _, _ in readers.seen if t < start or t > end + 2]
        inside = [s for t, s, _, _ in readers.seen if start <= t <= end + 2]
        assert len(outside) > 20 and all(s < 500 for s in outside), sorted(set(outside))
        after = [s for t, s, _, _ in readers.seen if t > end + 2]
        assert after and set(after) == {200}
        # Editors work again at once, and their writes are whole.
        editor = editor_of(site)
        assert step(editor, site.seeded["ids"][0], "correct", "A figure was wrong.") == 302
        print(
            f"\npostgres restart took {end - start:.1f} s: {len(inside)} requests in the window "
            f"({sum(s >= 500 for s in inside)} errors), {len(outside)} outside it, 0 errors"
        )
    finally:
        site.stop()


FORWARDER = """
import socket, sys, threading
listen, target = int(sys.argv[1]), ("127.0.0.1", int(sys.argv[2]))
server = socket.create_server(("127.0.0.1", listen))
print("ready", flush=True)
def pump(source, sink):
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, sink):
            try:
                end.close()
            except OSError:
                pass
while True:
    client, _ = server.accept()
    upstream = socket.create_connection(target)
    for a, b in ((client, upstream), (upstream, client)):
        threading.Thread(target=pump, args=(a, b), daemon=True).start()
"""


class Forwarder:
    """A TCP forwarder on loopback to PostgreSQL: the "replica", which the test can kill.

    A process of its own, like a real replica: killing it drops every connection at once, and
    nothing the test process did before can slow or stop it."""

    def __init__(self, target_port: int):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-c", FORWARDER, str(self.port), str(target_port)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready"

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def test_a_dead_replica_sends_reads_to_the_primary(stack, tmp_path):
    pg_port = int(stack["DATABASE_URL"].rsplit(":", 1)[1].split("/")[0])
    replica = Forwarder(pg_port)
    replica_url = stack["DATABASE_URL"].replace(f":{pg_port}/", f":{replica.port}/")
    site = site_on(stack, tmp_path, DATABASE_REPLICA_URL=replica_url, NEWSROOM_HTTP_CACHE="false")
    try:
        # Up before it is killed (a connection that failed while the machine was busy leaves the
        # replica alone for REPLICA_RETRY_SECONDS: wait that out rather than start half-way).
        deadline = time.monotonic() + REPLICA_RETRY_SECONDS + 10
        while (report := health(site))["checks"]["replica"]["status"] != "ok":
            assert time.monotonic() < deadline, report["checks"]
            time.sleep(1)
        with Readers(site, ["/", *site.seeded["urls"]]) as readers:
            time.sleep(2)
            killed = time.monotonic()
            replica.kill()
            time.sleep(4)
        # Requests already waiting on the replica when it died may fail; none asked after.
        asked_after = [status for _, status, _, asked in readers.seen if asked > killed]
        before = [status for answered, status, _, _ in readers.seen if answered < killed]
        assert len(asked_after) > 20 and set(asked_after) == {200}, sorted(set(asked_after))
        assert set(before) == {200}
        after = asked_after
        report = health(site)
        assert report["http"] == 200 and report["checks"]["replica"]["status"] == "down"
        print(f"\nreplica killed: {len(after)} reader requests after, 0 errors")
    finally:
        site.stop()
        replica.kill()
