"""What several test modules need from the machine: Debian's Chromium, server binaries."""

import functools
import os
import shutil
import socket
import subprocess
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Headless and offline: no sandbox as root, no background calls to the closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_binary(path: str, package: str) -> None:
    """Skip (with the reason shown) when a Debian package is missing; in CI, fail instead,
    since .ci/run installs every package and a skip there would hide a broken install."""
    if Path(path).exists():
        return
    message = f"{path} is missing: apt-get install {package}"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def chromium_browser():
    """Headless Debian Chromium driven by Playwright, closed afterwards."""
    require_binary(CHROMIUM, "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# -- where test inputs live ---------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]
WIRE_FIXTURES = REPO / "tests" / "fixtures" / "wire"
# ../shared/ sits beside the repository, not in it: a clone may not have it. NEWSROOM_SHARED
# points elsewhere (a work tree whose parent folder holds no shared/).
SHARED = Path(os.environ.get("NEWSROOM_SHARED") or REPO.parent / "shared")
# The reference wire story.
SAMPLE = SHARED / "samples" / "wire-defector-guest-workers.txt"
FEED_VALIDATOR = SHARED / "tools" / "feedvalidator"


def feed_validator():
    """The W3C Feed Validator's package from ../shared/tools/; skips (saying why) without it."""
    if not (FEED_VALIDATOR / "__init__.py").is_file():
        pytest.skip(
            "the W3C Feed Validator is not in ../shared/tools/feedvalidator beside this clone"
        )
    import sys
    import urllib.request  # noqa: F401 -- the validator expects it loaded

    if str(FEED_VALIDATOR.parent) not in sys.path:
        sys.path.insert(0, str(FEED_VALIDATOR.parent))
    import feedvalidator
    from feedvalidator import compatibility

    return feedvalidator, compatibility


def sample_text() -> str:
    """The reference wire story's text; skips the test (saying why) where it is absent."""
    if not SAMPLE.is_file():
        pytest.skip(
            "the reference wire story ../shared/samples/wire-defector-guest-workers.txt is not "
            "beside this clone; the project's own fixtures cover the same shapes"
        )
    return SAMPLE.read_text(encoding="utf-8")


def query_count(action) -> int:
    """How many SQL queries ``action()`` runs (compare two sizes to show a count is constant)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


# -- an S3-protocol server on loopback ----------------------------------------------------------


def free_port() -> int:
    """A TCP port nobody listens on now, on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FormFields(HTMLParser):
    """The controls of the form with id ``form_id``, as a browser would submit them."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "disabled" in a:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file", "image", "reset"):
                self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select":
            self._select = None


@contextmanager
def s3_server(log_dir: Path):
    """moto's standalone S3 server (a PyPI test dependency) on a free loopback port."""
    import sys
    import time
    import urllib.request

    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log = (log_dir / f"moto-{port}.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"moto_server exited: see {log.name}")
            try:
                urllib.request.urlopen(endpoint + "/moto-api/", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield endpoint
    finally:
        stop_process(process)
        log.close()


def stop_process(process, seconds: float = 15) -> None:
    """Ask a server process to stop; kill it if it has not within ``seconds``."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


S3_KEYS = {"access_key": "newsroom-test", "secret_key": "newsroom-test-secret"}


@functools.lru_cache
def s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=S3_KEYS["access_key"],
        aws_secret_access_key=S3_KEYS["secret_key"],
    )


def bucket_keys(endpoint: str, bucket: str) -> set[str]:
    """Every object key in ``bucket``."""
    pages = s3_client(endpoint).get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {item["Key"] for page in pages for item in page.get("Contents", [])}


def point_media_at_new_bucket(settings, endpoint: str):
    """Create a bucket and point the media storages (pytest-django ``settings``) at it."""
    import secrets
    from types import SimpleNamespace

    from newsroom.media.config import s3_storages

    bucket = f"newsroom-{secrets.token_hex(6)}"
    s3_client(endpoint).create_bucket(Bucket=bucket)
    public, private, media_url = s3_storages(
        bucket=bucket, endpoint_url=endpoint, addressing_style="path", **S3_KEYS
    )
    settings.STORAGES = {**settings.STORAGES, "default": public, "private": private}
    settings.MEDIA_URL = media_url
    return SimpleNamespace(endpoint=endpoint, bucket=bucket)


def stored_names(alias: str) -> set[str]:
    """Every file name in storage ``alias`` ("default": public, "private"), local or S3."""
    from django.core.files.storage import storages

    storage = storages[alias]
    found: set[str] = set()

    def walk(folder: str) -> None:
        try:
            folders, files = storage.listdir(folder)
        except FileNotFoundError:
            return
        found.update(f"{folder}{name}" for name in files)
        for sub in folders:
            walk(f"{folder}{sub}/")

    walk("")
    return found


def use_local_media(settings) -> None:
    """Local folders for media in this test, whatever the suite runs on."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {"BACKEND": "newsroom.media.disk.PrivateFileSystemStorage"},
    }
    settings.MEDIA_URL = "/media/"


def empty_bucket(endpoint: str, bucket: str) -> None:
    """Delete every object in ``bucket`` (one listing when it is already empty)."""
    client = s3_client(endpoint)
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
        if keys:
            client.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True})
