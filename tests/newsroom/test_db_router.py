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


@pytest.fixture
def with_replica(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": settings.DATABASES["default"]}


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


def test_middleware_pins_the_request_and_then_lets_go(with_replica):
    seen = []
    middleware = ReplicaRoutingMiddleware(lambda request: seen.append(router.db_for_read(Article)))
    middleware(RequestFactory().post("/admin/login/"))
    middleware(RequestFactory().get("/"))
    assert seen == ["default", "replica"]
    assert router.db_for_read(Article) == "replica"
