"""What several test modules need from the machine: Debian's Chromium, server binaries."""

import os
import shutil
from contextlib import contextmanager
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
# The reference wire story sits beside the repository, not in it: a clone may not have it.
SAMPLE = REPO.parent / "shared" / "samples" / "wire-defector-guest-workers.txt"


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
