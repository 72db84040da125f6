"""Two gunicorn app servers on one PostgreSQL and one Redis share everything that matters.

An editor logs in and publishes, then edits, through server A; server B — which cached the
front page before the change — shows the change at once, and accepts A's login session. Runs
where `make test-postgres` / .ci/run put PostgreSQL and Redis on loopback.
"""

import http.cookiejar
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from tests.support import FormFields, free_port

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.services,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_database_url() -> str:
    """The database pytest-django created (test_<name>), as a URL for another process."""
    from django.db import connection

    db = connection.settings_dict
    credentials = urllib.parse.quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + urllib.parse.quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


class AppServer:
    """One gunicorn process with production settings, bound to a free loopback port."""

    def __init__(self, env: dict[str, str], log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "newsroom/gunicorn.conf.py"]
            + ["--bind", f"127.0.0.1:{self.port}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )

    def wait_until_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log.read_text()}")
            try:
                urllib.request.urlopen(self.url + "/robots.txt", timeout=5).close()
                return
            except OSError:  # refused, reset or timed out while the worker boots
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer on {self.url}:\n{self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def app_servers(tmp_path):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL: both app servers must share one Redis")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSROOM_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings.production",
        # Both servers sign sessions with the same key, as a real deployment's do.
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        # Plain http on loopback: no HTTPS redirect, cookies without the Secure flag.
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        DATABASE_URL=test_database_url(),
        DATABASE_CONN_MAX_AGE="0",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        NEWSROOM_PRIVATE_MEDIA_ROOT=str(tmp_path / "private-media"),
        GUNICORN_ACCESS_LOG="-",
    )
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert collect.returncode == 0, collect.stderr
    servers = [AppServer(env, tmp_path / f"gunicorn-{name}.log") for name in "ab"]
    try:
        for server in servers:
            server.wait_until_ready()
        yield servers
    finally:
        for server in servers:
            server.stop()


class Browser:
    """urllib with one cookie jar: cookies set by one server go to the other (same host)."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, url: str) -> tuple[int, str, str]:
        with self.opener.open(url, timeout=20) as response:
            return response.status, response.geturl(), response.read().decode()

    def post(self, url: str, fields: list[tuple[str, str]]) -> tuple[int, str, str]:
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(url, data=data, timeout=20) as response:
            return response.status, response.geturl(), response.read().decode()

    def csrf_token(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")


def test_publish_and_edit_on_one_server_are_seen_on_the_other(app_servers):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from articles.models import Article
    from tests import factories

    a, b = app_servers
    # The test settings hash with MD5, which production does not accept: hash as production does.
    pbkdf2 = PBKDF2PasswordHasher()
    password = pbkdf2.encode("pw", pbkdf2.salt(), iterations=1000)
    get_user_model().objects.create_superuser("chief", "chief@example.com", password=None)
    get_user_model().objects.filter(username="chief").update(password=password)
    story = factories.article("Ferry crews vote to end the strike")
    reader, editor = Browser(), Browser()

    # B serves (and caches, in Redis) the front page before the story is out.
    status, _, front = reader.get(b.url + "/")
    assert status == 200 and story.headline not in front
    assert reader.get(b.url + "/")[2] == front

    # Log in through A; the session works on B too (sessions live in Redis/PostgreSQL).
    editor.get(a.url + "/admin/login/")
    login = [("username", "chief"), ("password", "pw"), ("next", "/admin/")]
    status, landed, _ = editor.post(
        a.url + "/admin/login/", [*login, ("csrfmiddlewaretoken", editor.csrf_token())]
    )
    assert landed == a.url + "/admin/"
    status, landed, _ = editor.get(b.url + "/admin/")
    assert status == 200 and landed == b.url + "/admin/"

    # Publish through A with the admin action.
    changelist = a.url + reverse("admin:articles_article_changelist")
    editor.post(
        changelist,
        [
            ("action", "publish"),
            ("_selected_action", str(story.pk)),
            ("index", "0"),
            ("csrfmiddlewaretoken", editor.csrf_token()),
        ],
    )
    story.refresh_from_db()
    assert story.is_live
    status, _, front = reader.get(b.url + "/")
    assert story.headline in front
    status, _, page = reader.get(b.url + story.get_absolute_url())
    assert status == 200 and story.headline in page

    # Edit the headline through A's change form, submitted as a browser would.
    change_url = a.url + reverse("admin:articles_article_change", args=[story.pk])
    parser = FormFields("article_form")
    parser.feed(editor.get(change_url)[2])
    fields = [(k, v) for k, v in parser.fields if k != "headline"]
    fields += [("headline", "Ferry crews vote to end the strike after nine days"), ("_save", "")]
    status, landed, body = editor.post(change_url, fields)
    assert landed.endswith(reverse("admin:articles_article_changelist")), body[:3000]
    assert Article.objects.get(pk=story.pk).headline.endswith("after nine days")

    # B shows the new headline on the story page and the front page.
    status, _, page = reader.get(b.url + story.get_absolute_url())
    assert "after nine days" in page
    assert "after nine days" in reader.get(b.url + "/")[2]
