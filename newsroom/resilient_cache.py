"""Redis as a cache that may go away: readers get uncached pages, never an error.

``ResilientRedisCache`` is the project's Redis backend (``articles/edgecache/redis.py``: one
client per connection pool, so a page-cache hit is cheap) with every operation guarded. When
Redis is unreachable (refused, reset, timed out), a read answers "not cached", a write is
dropped, the error is counted (``newsroom_cache_errors_total``) and logged once per interval,
and Redis is left alone for a short back-off so readers do not each wait for a connect timeout.

When Redis answers again after an outage, the first process to notice empties the cache once:
writes that were dropped while it was away (new versions of surrogate keys, say) must not leave
entries from before the outage in force, so no unpublished or corrected story can come back
from it. Sessions are ``cached_db``: they fall back to the database, so editors keep working.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT

from articles.edgecache.redis import RedisCache
from newsroom.monitoring import metrics

logger = logging.getLogger(__name__)

# What Redis being away looks like from redis-py and the socket layer.
try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
except ImportError:  # pragma: no cover - redis is a dependency
    UNAVAILABLE = (OSError,)

BACK_OFF_SECONDS = 5.0
LOG_EVERY_SECONDS = 30.0


class _Health:
    """One process's view of Redis: when to try it again, and whether it was away."""

    def __init__(self):
        self.lock = threading.Lock()
        self.retry_at = 0.0
        self.last_logged = 0.0
        self.was_down = False

    def usable(self) -> bool:
        return time.monotonic() >= self.retry_at

    def failed(self, operation: str, error: Exception) -> None:
        metrics.CACHE_ERRORS.labels(operation=operation).inc()
        now = time.monotonic()
        with self.lock:
            self.retry_at = now + BACK_OFF_SECONDS
            self.was_down = True
            if now - self.last_logged >= LOG_EVERY_SECONDS:
                self.last_logged = now
                logger.warning(
                    "Cache unavailable (%s during %s); serving uncached for now",
                    type(error).__name__,
                    operation,
                )

    def recovered(self) -> bool:
        """True once, for the first call that succeeds after an outage."""
        with self.lock:
            if not self.was_down:
                return False
            self.was_down = False
            return True


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._health = _Health()

    def _guarded(self, operation: str, call, fallback):
        if not self._health.usable():
            return fallback
        try:
            result = call()
        except UNAVAILABLE as error:
            self._health.failed(operation, error)
            return fallback
        if self._health.recovered():
            self._forget_the_outage()
        return result

    def _forget_the_outage(self) -> None:
        try:
            super().clear()
            logger.warning("Cache is back after an outage: emptied it once")
        except UNAVAILABLE as error:
            self._health.failed("clear", error)

    def get(self, key, default=None, version=None):
        return self._guarded("get", lambda: RedisCache.get(self, key, default, version), default)

    def get_tracked(self, key, default=None, version=None):
        return self._guarded(
            "get", lambda: RedisCache.get_tracked(self, key, default, version), default
        )

    def get_many(self, keys, version=None):
        return self._guarded("get_many", lambda: RedisCache.get_many(self, keys, version), {})

    def has_key(self, key, version=None):
        return self._guarded("has_key", lambda: RedisCache.has_key(self, key, version), False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guarded("set", lambda: RedisCache.set(self, key, value, timeout, version), None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(
            "set_many", lambda: RedisCache.set_many(self, data, timeout, version), list(data)
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(
            "add", lambda: RedisCache.add(self, key, value, timeout, version), False
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("touch", lambda: RedisCache.touch(self, key, timeout, version), False)

    def delete(self, key, version=None):
        return self._guarded("delete", lambda: RedisCache.delete(self, key, version), False)

    def delete_many(self, keys, version=None):
        self._guarded("delete_many", lambda: RedisCache.delete_many(self, keys, version), None)

    def incr(self, key, delta=1, version=None):
        # No fallback number is right: callers treat a missing counter as "start again".
        result = self._guarded("incr", lambda: RedisCache.incr(self, key, delta, version), None)
        if result is None:
            raise ValueError(f"Key {key!r} not found (or the cache is unavailable)")
        return result

    def ping(self) -> None:
        """Ask Redis itself, unguarded: the health check must see the failure."""
        self._cache.get_client(write=True).ping()

    def clear(self):
        self._guarded("clear", lambda: RedisCache.clear(self), None)
