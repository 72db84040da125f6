"""Django's Redis cache, keeping one client per connection pool instead of one per call, and a
tracked read for the one lookup every page-cache hit makes.

Django's ``RedisCacheClient.get_client()`` builds a new ``redis.Redis`` for every cache
operation; with redis-py 8 that constructor fills its table of reply callbacks each time, which
costs more CPU than the round trip itself. ``redis.Redis`` is safe to share between threads (it
takes a connection from its pool per command), so one per pool is enough.

Every page-cache hit asks whether anything changed (the shared generation, ``versions.py``).
``get_tracked`` answers that without a round trip while nothing has: Redis's client-side caching
(``CLIENT TRACKING``, RESP3, Redis 6 and later). The thread's own connection reads the key once;
Redis remembers that and pushes a note on the same connection when the key changes or the
database is emptied. Before answering from its copy, the read takes in any note waiting on the
socket (a poll of about 2 µs), so a hit costs no round trip, and a change is seen by the first
read after Redis sent the note. Notes and replies share one connection, so a note is never
overtaken by the value it invalidates.
"""

import os
import threading
from time import monotonic

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError

# A copy is trusted this long without asking Redis: the bound on how stale it can be if the
# connection goes quiet without closing (a network partition), when no note could arrive.
TRACKED_SECONDS = 1.0


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class _OwnConnection(threading.local):
    """Per thread: its connection, the pid that made it, whether Redis tracks the keys it
    reads, and the copy {key: (value, trusted until)}."""

    connection = None
    pid = None
    tracking = False

    def __init__(self):
        self.copy = {}


class RedisCache(DjangoRedisCache):
    """``CACHES["default"]["BACKEND"] = "articles.edgecache.redis.RedisCache"``."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
        self._own = _OwnConnection()

    def get_tracked(self, key, default=None, version=None):
        """``get``, answered from this thread's copy while Redis has sent no note that the key
        changed (for values that are not mutated in place: numbers, strings, tuples)."""
        made = self.make_and_validate_key(key, version=version)
        own = self._own
        now = monotonic()
        if own.copy and own.pid == os.getpid() and self._take_notes(own):
            kept = own.copy.get(made)
            if kept is not None and now < kept[1]:
                return kept[0]
        raw = self._read_own(made)
        if raw is None:
            return default
        value = self._cache._serializer.loads(raw)
        if own.tracking:
            own.copy[made] = (value, now + TRACKED_SECONDS)
        return value

    def _take_notes(self, own) -> bool:
        """Read every note waiting on the connection; False if it is closed or broken (the
        copy is dropped with it)."""
        try:
            while own.connection.can_read(0):
                own.connection.read_response(push_request=True)
            return True
        except Exception:
            self._drop_own(own)
            return False

    def _read_own(self, made):
        """One ``GET`` on this thread's connection. A connection Redis has closed since (a
        restart, an idle timeout) is made again once, as the client's retry would; any other
        error drops it and is raised."""
        for attempt in (1, 2):
            try:
                connection = self._own_connection()
                connection.send_command("GET", made)
                return connection.read_response()
            except BaseException as error:
                self._drop_own(self._own)
                if attempt == 2 or not isinstance(error, RedisConnectionError):
                    raise

    def _own_connection(self):
        own = self._own
        connection = own.connection
        # A connection made before a fork belongs to the parent (gunicorn's preload).
        if connection is None or own.pid != os.getpid():
            pool = self._cache._get_connection_pool(write=False)
            connection = pool.connection_class(**pool.connection_kwargs)
            copy = {}
            # Kept only once connected and tracked: a half-made connection is never reused.
            try:
                tracking = self._track(connection, copy)
            except BaseException:
                connection.disconnect()
                raise
            own.connection, own.pid, own.copy, own.tracking = (
                connection,
                os.getpid(),
                copy,
                tracking,
            )
        return connection

    @staticmethod
    def _track(connection, copy: dict) -> bool:
        """Ask Redis to note changes to the keys this connection reads; False where it cannot
        (RESP2 has no room for notes on a connection that also reads; an ACL may forbid it)."""
        connection.connect()
        if str(connection.get_protocol()) != "3":
            return False

        def forget(note):  # [b"invalidate", [keys]], or [b"invalidate", None] after a flush
            keys = note[1]
            if keys is None:
                copy.clear()
            for key in keys or ():
                copy.pop(key.decode() if isinstance(key, bytes) else key, None)

        connection._parser.set_invalidation_push_handler(forget)
        try:
            connection.send_command("CLIENT", "TRACKING", "ON")
            connection.read_response()
        except ResponseError:
            return False
        return True

    def _drop_own(self, own) -> None:
        connection = own.connection
        own.connection, own.copy, own.tracking = None, {}, False
        if connection is not None:
            connection.disconnect()
