"""The Redis cache backend, against a real redis-server started on a loopback port."""

import shutil
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from articles.edgecache.redis import RedisCache
from newsroom.resilient_cache import ResilientRedisCache
from tests.support import free_port, require_binary

pytestmark = pytest.mark.services

REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"


@contextmanager
def redis_server(port: int, folder):
    """A redis-server on a loopback port, answering once this is entered."""
    require_binary(REDIS, "redis-server")
    server = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def redis_url(tmp_path):
    with redis_server(free_port(), tmp_path) as url:
        yield url


# Production's backend is the resilient one, built on this one: both must keep the speed fix.
@pytest.mark.parametrize("backend_class", [RedisCache, ResilientRedisCache])
def test_one_client_per_pool_and_every_operation_works(redis_url, backend_class):
    backend = backend_class(redis_url, {"KEY_PREFIX": "t"})
    assert backend._cache.get_client() is backend._cache.get_client(write=True)
    backend.set("page", (200, b"<p>x</p>"), 30)
    assert backend.get("page") == (200, b"<p>x</p>")
    assert backend.add("generation", 41, None) and not backend.add("generation", 0, None)
    assert backend.incr("generation") == 42
    backend.set_many({"a": 1, "b": (2, "two")}, 30)
    assert backend.get_many(["a", "b", "c"]) == {"a": 1, "b": (2, "two")}
    backend.delete("a")
    assert backend.get("a") is None


def redis_commands(backend, command: str) -> int:
    """How many times Redis has run ``command`` (from INFO commandstats)."""
    stats = backend._cache.get_client().info("commandstats")
    return stats.get(f"cmdstat_{command}", {}).get("calls", 0)


def commands_run(backend) -> int:
    """How many commands Redis has run, not counting the INFO calls that ask."""
    stats = backend._cache.get_client().info("commandstats")
    return sum(v["calls"] for k, v in stats.items() if k != "cmdstat_info")


def change_elsewhere(redis_url, key: str, value) -> None:
    """Another process changes a key; its next round trip shows Redis has sent its notes."""
    other = RedisCache(redis_url, {"KEY_PREFIX": "t"})
    other.set(key, value, None)
    other.get("anything")


@pytest.mark.parametrize("backend_class", [RedisCache, ResilientRedisCache])
def test_a_tracked_read_answers_what_get_answers(redis_url, backend_class):
    backend = backend_class(redis_url, {"KEY_PREFIX": "t"})
    assert backend.get_tracked("absent") is None and backend.get_tracked("absent", 7) == 7
    backend.add("generation", 1_796_000_000_000, None)  # an int is stored as digits, not pickled
    backend.set("record", ("token", 12.5, None), 30)
    for key in ("generation", "record"):
        assert backend.get_tracked(key) == backend.get(key)
    backend.incr("generation")
    assert backend.get_tracked("generation") == 1_796_000_000_001


@pytest.mark.parametrize("backend_class", [RedisCache, ResilientRedisCache])
def test_a_tracked_read_asks_redis_again_only_after_a_change(redis_url, backend_class):
    """Client-side caching: the second read is answered from the thread's copy (no GET reaches
    Redis); a change made by another process is seen by the next read, as is a flush."""
    backend = backend_class(redis_url, {"KEY_PREFIX": "t"})
    backend.set("generation", 5, None)
    assert backend.get_tracked("generation") == 5
    gets = redis_commands(backend, "get")
    assert [backend.get_tracked("generation") for _ in range(20)] == [5] * 20
    assert redis_commands(backend, "get") == gets
    change_elsewhere(redis_url, "generation", 6)
    assert backend.get_tracked("generation") == 6
    backend._cache.get_client().flushdb()
    assert backend.get_tracked("generation") is None


def test_a_tracked_copy_is_trusted_for_a_second_at_most(redis_url, monkeypatch):
    """A connection that went quiet without closing (a partition) sends no notes: the copy is
    read again from Redis once it is a second old, so a change there shows within the second."""
    from articles.edgecache import redis as tracked

    backend = RedisCache(redis_url, {"KEY_PREFIX": "t"})
    backend.set("generation", 5, None)
    assert backend.get_tracked("generation") == 5
    gets = redis_commands(backend, "get")
    later = time.monotonic() + tracked.TRACKED_SECONDS + 0.01
    monkeypatch.setattr(tracked, "monotonic", lambda: later)
    assert backend.get_tracked("generation") == 5
    assert redis_commands(backend, "get") == gets + 1


def test_a_tracked_read_survives_redis_closing_its_connection(redis_url):
    """Redis restarted or dropped an idle client: the read makes its connection again, drops
    its copy (notes may have been lost with the connection), and nothing is counted as the
    cache being away."""
    from newsroom.monitoring import metrics

    backend = ResilientRedisCache(redis_url, {"KEY_PREFIX": "t"})
    backend.set("generation", 5, None)
    assert backend.get_tracked("generation") == 5
    errors = metrics.CACHE_ERRORS.labels(operation="get")._value.get()
    client = backend._cache.get_client()
    client.client_kill_filter(_type="normal", skipme=False)
    client.set(backend.make_and_validate_key("generation"), 6)  # changed while it was away
    assert backend.get_tracked("generation") == 6
    assert backend.get_tracked("generation") == 6
    assert metrics.CACHE_ERRORS.labels(operation="get")._value.get() == errors


def test_an_unreachable_redis_is_a_miss_for_the_tracked_read_too():
    from newsroom.monitoring import metrics

    port = free_port()
    backend = ResilientRedisCache(
        f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"socket_connect_timeout": 0.2}}
    )
    errors = metrics.CACHE_ERRORS.labels(operation="get")._value.get()
    assert backend.get_tracked("generation", "none") == "none"
    assert metrics.CACHE_ERRORS.labels(operation="get")._value.get() == errors + 1
    assert backend.get_tracked("generation") is None  # backing off: not even tried


def test_a_tracked_read_that_could_not_connect_starts_afresh_when_redis_comes(tmp_path):
    """A connection that failed while being made is not kept: once Redis answers, the read
    connects, asks for tracking, and keeps its copy (a half-made one once broke every hit)."""
    port = free_port()
    backend = RedisCache(
        f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"socket_connect_timeout": 0.2}}
    )
    with pytest.raises(RedisConnectionError):
        backend.get_tracked("generation")
    with redis_server(port, tmp_path):
        backend.set("generation", 9, None)
        assert backend.get_tracked("generation") == 9
        gets = redis_commands(backend, "get")
        assert backend.get_tracked("generation") == 9
        assert redis_commands(backend, "get") == gets


@pytest.mark.django_db
def test_a_page_cache_hit_asks_redis_nothing_until_something_changes(
    redis_url, settings, client, django_capture_on_commit_callbacks
):
    """A hit answers from this process's copies: the generation is tracked (Redis says when it
    moves), so no command reaches Redis and no connection leaves the pool. An edit is still a
    miss at once, and the page is a hit again after it is stored anew."""
    from django.core.cache import caches

    from articles.publishing import revisions
    from tests import factories

    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.resilient_cache.ResilientRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "hit-test",
        }
    }
    settings.NEWSROOM_HTTP_CACHE = True
    caches._settings = None
    try:
        story = factories.published("Harbour dues rise")
        url = story.get_absolute_url()
        assert client.get(url)["X-Newsroom-Cache"] == "miss"
        # The first hit reads the page's key records into this process's copy.
        assert client.get(url)["X-Newsroom-Cache"] == "hit"
        backend = caches["default"]
        pool = backend._cache._get_connection_pool(False)
        before = commands_run(backend)
        checkouts = []
        take = pool.get_connection
        pool.get_connection = lambda *a, **k: checkouts.append(1) or take(*a, **k)
        assert [client.get(url)["X-Newsroom-Cache"] for _ in range(3)] == ["hit"] * 3
        assert checkouts == []
        pool.get_connection = take
        assert commands_run(backend) == before
        story.headline = "Harbour dues rise again"
        story.save()
        with django_capture_on_commit_callbacks(execute=True):
            revisions.announce_if_live(story)
        changed = client.get(url)
        assert changed["X-Newsroom-Cache"] == "miss"
        assert b"Harbour dues rise again" in changed.content
        assert client.get(url)["X-Newsroom-Cache"] == "hit"
    finally:
        caches._settings = None
