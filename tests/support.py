"""What several test modules need from the machine: Debian's Chromium, server binaries."""

import os
import shutil
import socket
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
