"""The read-replica router: readers' GETs read the replica, anything that may write the primary."""

import pytest
from django.db import connections, transaction
from django.test import RequestFactory

from articles.models import Article
from newsroom.db_router import (
    PrimaryReplicaRouter,
    ReplicaRoutingMiddleware,
    needs_primary,
    primary,
)

router = PrimaryReplicaRouter()


def use_databases(settings, databases: dict):
    """Point Django at ``databases``; its connection handler caches the setting, so reset it."""
    settings.DATABASES = databases
    connections._settings = None
    connections.__dict__.pop("settings", None)


@pytest.fixture
def with_replica(settings):
    original = settings.DATABASES
    use_databases(settings, {**original, "replica": original["default"]})
    yield
    if hasattr(connections._connections, "replica"):
        del connections["replica"]
    use_databases(settings, original)


def test_reads_go_to_the_replica_and_writes_to_the_primary(with_replica):
    assert router.db_for_read(Article) == "replica"
    assert router.db_for_write(Article) == "default"
    assert router.allow_migrate("default", "articles") is True
    assert router.allow_migrate("replica", "articles") is False


@pytest.mark.django_db
def test_reads_inside_a_transaction_use_the_primary(with_replica):
    with transaction.atomic():
        assert connections["default"].in_atomic_block
        assert router.db_for_read(Article) == "default"


def test_primary_block_pins_reads(with_replica):
    with primary():
        assert router.db_for_read(Article) == "default"
    assert router.db_for_read(Article) == "replica"


def test_without_a_replica_everything_uses_the_primary():
    assert router.db_for_read(Article) == "default"


@pytest.mark.parametrize(
    ("method", "path", "cookies", "expected"),
    [
        ("GET", "/", {}, False),
        ("HEAD", "/world/", {}, False),
        ("POST", "/search/", {}, True),
        ("GET", "/admin/articles/article/", {}, True),
        ("GET", "/desk/preview/1/", {}, True),
        ("GET", "/", {"sessionid": "x"}, True),
    ],
)
def test_who_needs_the_primary(method, path, cookies, expected):
    request = RequestFactory().generic(method, path)
    request.COOKIES.update(cookies)
    assert needs_primary(request) is expected


def test_middleware_pins_the_request_and_then_lets_go(with_replica, django_db_blocker):
    seen = []
    middleware = ReplicaRoutingMiddleware(lambda request: seen.append(router.db_for_read(Article)))
    with django_db_blocker.unblock():  # the middleware checks that the replica answers
        middleware(RequestFactory().post("/admin/login/"))
        middleware(RequestFactory().get("/"))
    assert seen == ["default", "replica"]
    assert router.db_for_read(Article) == "replica"


def test_a_replica_that_cannot_be_reached_sends_reads_to_the_primary(
    with_replica, settings, monkeypatch, django_db_blocker
):
    import newsroom.db_router as db_router

    broken = {
        **settings.DATABASES["default"],
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "/nonexistent/folder/replica.sqlite3",
        "OPTIONS": {},
    }
    use_databases(settings, {**settings.DATABASES, "replica": broken})
    monkeypatch.setattr(db_router, "_replica_down_until", 0.0)
    seen = []
    middleware = ReplicaRoutingMiddleware(lambda request: seen.append(router.db_for_read(Article)))
    with django_db_blocker.unblock():
        middleware(RequestFactory().get("/"))
        middleware(RequestFactory().get("/"))  # within the back-off: not even tried again
    assert seen == ["default", "default"]
    assert db_router._replica_down_until > 0
