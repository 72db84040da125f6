"""A real Newsroom on loopback for the security suite: gunicorn with production settings on its
own database, a SQLite file (WAL, as shipped) or a fresh PostgreSQL database when the suite runs
on PostgreSQL, with Redis when ``REDIS_URL`` is set.

Browsers are ``urllib`` openers with their own cookie jars; ``StandaloneSite.run_django`` runs
code in the site's environment (to seed it or read its database).
"""

import http.cookiejar
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from tests.support import REPO, FormFields, free_port


class StandaloneSite:
    def __init__(
        self,
        folder: Path,
        workers: int = 2,
        threads: int = 8,
        database_url: str | None = None,
        extra_env: dict[str, str] | None = None,
    ):
        from django.db import connection

        self.folder = folder
        self.vendor = "postgresql" if database_url else connection.vendor
        self._pg_database = None
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSROOM_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="newsroom.settings.production",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="false",
            DJANGO_SECURE_COOKIES="false",
            DATABASE_URL=database_url or self._database_url(connection),
            DATABASE_CONN_MAX_AGE="0",
            STATIC_ROOT=str(folder / "static"),
            MEDIA_ROOT=str(folder / "media"),
            GUNICORN_ACCESS_LOG="-",
            GUNICORN_WORKERS=str(workers),
            GUNICORN_THREADS=str(threads),
        )
        env.update(extra_env or {})
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / "gunicorn.log"
        self.process = None

    def _database_url(self, connection) -> str:
        if self.vendor != "postgresql":
            return f"sqlite:///{self.folder / 'site.sqlite3'}"
        import psycopg

        db = connection.settings_dict
        self._pg_database = f"newsroom_site_{uuid.uuid4().hex[:10]}"
        self._pg = dict(
            host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"] or None
        )
        with psycopg.connect(dbname="postgres", autocommit=True, **self._pg) as admin:
            admin.execute(f'CREATE DATABASE "{self._pg_database}"')
        credentials = urllib.parse.quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + urllib.parse.quote(db["PASSWORD"], safe="")
        return f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{self._pg_database}"

    def manage(self, *args: str, timeout: int = 300) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def run_django(self, code: str) -> dict:
        """Run ``code`` in the site's environment; it prints one JSON object, returned here."""
        out = self.manage("shell", "-c", "import json\n" + code)
        return json.loads(out.strip().splitlines()[-1])

    def start(self) -> "StandaloneSite":
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("collectstatic", "--noinput", "-v", "0")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "newsroom/gunicorn.conf.py"]
            + ["--bind", f"127.0.0.1:{self.port}"],
            cwd=REPO,
            env=self.env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log.read_text()}")
            try:
                urllib.request.urlopen(self.url + "/robots.txt", timeout=5).close()
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer:\n{self.log.read_text()}")

    def tracebacks(self) -> list[str]:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return [line for line in text.splitlines() if "Traceback" in line]

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._pg_database:
            import psycopg

            with psycopg.connect(dbname="postgres", autocommit=True, **self._pg) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self._pg_database}" WITH (FORCE)')


class Browser:
    """urllib with a cookie jar; never raises on an HTTP status, returns it."""

    def __init__(self, site: StandaloneSite):
        self.site = site
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(self, path: str, fields=None, headers=None) -> tuple[int, str, dict]:
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        request = urllib.request.Request(self.site.url + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), dict(error.headers)

    def csrf(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def login(self, username: str, password: str) -> None:
        self.request("/admin/login/")
        status, _, headers = self.request(
            "/admin/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": self.csrf()},
        )
        assert status == 302, status

    def clone(self) -> "Browser":
        """Another browser window on the same session (same cookies, its own connection)."""
        other = Browser(self.site)
        for cookie in self.cookies:
            other.cookies.set_cookie(cookie)
        return other


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def form_fields(html: str, form_id: str = "article_form") -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields
