import pytest


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    """Each test gets its own media folder and an empty cache."""
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(db):
    from tests import factories

    return factories.user("Editor", username="editor")


@pytest.fixture
def reporter(db):
    from tests import factories

    return factories.user("Reporter", username="reporter")
