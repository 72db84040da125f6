import pytest


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path, request):
    """Each test gets its own media folders (or, on S3, an emptied bucket) and an empty cache."""
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NEWSROOM_PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    # The suite runs on S3 (.ci/with-s3.sh): the next test starts with an empty bucket.
    endpoint = request.getfixturevalue("s3_endpoint") if settings.NEWSROOM_S3_BUCKET else None
    cache.clear()
    yield
    cache.clear()
    if endpoint:
        from tests.support import empty_bucket

        empty_bucket(endpoint, settings.NEWSROOM_S3_BUCKET)


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """An S3-protocol server on loopback: the suite's own when it runs on S3 (.ci/with-s3.sh),
    else a moto server started for this session."""
    import os

    from tests.support import s3_server

    if os.environ.get("NEWSROOM_S3_ENDPOINT_URL"):
        yield os.environ["NEWSROOM_S3_ENDPOINT_URL"]
        return
    with s3_server(tmp_path_factory.mktemp("s3")) as endpoint:
        yield endpoint


@pytest.fixture
def s3_media(settings, s3_endpoint):
    """Media on a fresh bucket of the loopback S3 server for this test (public + private)."""
    from tests.support import point_media_at_new_bucket

    return point_media_at_new_bucket(settings, s3_endpoint)


# The live server the browser and journey tests drive (tests/browser, tests/e2e).
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
def editor(db):
    from tests import factories

    return factories.user("Editor", username="editor")


@pytest.fixture
def reporter(db):
    from tests import factories

    return factories.user("Reporter", username="reporter")


# -- which database ran the suite (nothing PostgreSQL-only is skipped silently) -----------------

_postgres_tests: set[str] = set()


def _database_label() -> str:
    from django.db import connection

    where = connection.settings_dict
    if connection.vendor == "sqlite":
        return "sqlite"
    return f"{connection.vendor} on {where['HOST']}:{where['PORT']}"


def _media_label() -> str:
    from django.conf import settings

    if settings.NEWSROOM_S3_BUCKET:
        endpoint = settings.STORAGES["private"]["OPTIONS"].get("endpoint_url") or "AWS"
        return f"S3 bucket {settings.NEWSROOM_S3_BUCKET} at {endpoint}"
    return "local folders"


def pytest_report_header(config):
    return [f"database: {_database_label()}", f"media: {_media_label()}"]


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` run only on PostgreSQL; elsewhere they skip with a reason."""
    from django.db import connection

    skip = pytest.mark.skip(
        reason=f"needs PostgreSQL; this run uses {connection.vendor} (set DATABASE_URL)"
    )
    for item in items:
        if item.get_closest_marker("postgres"):
            _postgres_tests.add(item.nodeid)
            if connection.vendor != "postgresql":
                item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    outcomes = {"passed": 0, "failed": 0, "error": 0, "skipped": 0}
    for outcome in outcomes:
        seen = {r.nodeid for r in terminalreporter.stats.get(outcome, []) if r.nodeid}
        outcomes[outcome] = len(seen & _postgres_tests)
    terminalreporter.write_sep("-", "database")
    terminalreporter.write_line(
        f"database: {_database_label()}; postgres-marked tests: {outcomes['passed']} passed, "
        f"{outcomes['failed']} failed, {outcomes['error']} errors, {outcomes['skipped']} skipped"
    )
    terminalreporter.write_line(f"media: {_media_label()}")
