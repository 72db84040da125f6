import pytest

from tests.support import chromium_browser


@pytest.fixture
def site():
    """A live server on 127.0.0.1 and a free port, stopped when the test ends."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("127.0.0.1:0")
    server._live_server_modified_settings.enable()
    try:
        yield server
    finally:
        server._live_server_modified_settings.disable()
        server.stop()


@pytest.fixture
def browser():
    """Headless Chromium (Debian's). Request it after any fixture that writes to the database:
    Django refuses database calls while Playwright's event loop runs in the thread."""
    with chromium_browser() as chromium:
        yield chromium
