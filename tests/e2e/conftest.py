"""Journeys in a real browser: Debian's Chromium through Playwright against a live server.

Each journey saves full-page screenshots to tests/e2e/screenshots/ (git-ignored); with
NEWSROOM_SCREENSHOTS=1 the ones the README shows go to docs/screenshots/ instead.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest

from tests.support import chromium_browser

HERE = Path(__file__).resolve().parent


@pytest.fixture
def browser(monkeypatch):
    """Headless Chromium. Django refuses database calls from a thread running an event loop,
    and Playwright's sync API runs one: the test's own database calls are allowed."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with chromium_browser() as chromium:
        yield chromium


@pytest.fixture
def shots():
    """Where a journey's screenshots go (git-ignored)."""
    folder = HERE / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def readme_shots(shots):
    """Where the screenshots the README shows go: docs/screenshots/ with NEWSROOM_SCREENSHOTS=1."""
    if not os.environ.get("NEWSROOM_SCREENSHOTS"):
        return shots
    return HERE.parents[1] / "docs" / "screenshots"


class Clock:
    """The server's clock, moved by the test: ``advance(minutes=3)``. The live server runs in
    this process, and every "now" in the code is ``django.utils.timezone.now()``."""

    def __init__(self, monkeypatch):
        from django.utils import timezone

        self.offset = timedelta()
        real_now = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: real_now() + self.offset)

    def advance(self, **delta):
        self.offset += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)
