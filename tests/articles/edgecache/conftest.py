"""The HTTP cache switched on (test settings leave it off), and a purge backend that remembers."""

import pytest

PURGED: list[set[str]] = []


class RecordingPurge:
    """A purge backend that remembers what it was asked to drop."""

    def purge(self, keys):
        PURGED.append(set(keys))


@pytest.fixture(autouse=True)
def http_cache(settings):
    settings.NEWSROOM_HTTP_CACHE = True
    settings.NEWSROOM_CACHE_SECONDS = 120
    settings.NEWSROOM_BROWSER_CACHE_SECONDS = 30
    settings.NEWSROOM_STALE_SECONDS = 15
    settings.NEWSROOM_PURGE_BACKEND = "tests.articles.edgecache.conftest.RecordingPurge"
    PURGED.clear()
    yield
    PURGED.clear()


@pytest.fixture
def purged():
    """The key sets purged so far in this test (a list, one set per purge)."""
    return PURGED


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """``with commit():`` runs what the block scheduled for after commit, as a real commit does."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def cache_state(response) -> str:
    return response.get("X-Newsroom-Cache", "")
