import pytest

from tests.support import chromium_browser


@pytest.fixture
def browser():
    """Headless Chromium (Debian's). Request it after any fixture that writes to the database:
    Django refuses database calls while Playwright's event loop runs in the thread."""
    with chromium_browser() as chromium:
        yield chromium
