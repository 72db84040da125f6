"""The Redis cache backend, against a real redis-server started on a loopback port."""

import shutil
import socket
import subprocess
import time

import pytest

from articles.edgecache.redis import RedisCache
from newsroom.resilient_cache import ResilientRedisCache
from tests.support import require_binary

pytestmark = pytest.mark.services

REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture
def redis_url(tmp_path):
    require_binary(REDIS, "redis-server")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
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
