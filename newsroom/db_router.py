"""Read replicas: readers' page views read a replica, everything else uses the primary.

Switched on by ``DATABASE_REPLICA_URL`` (newsroom/settings/base.py adds the ``replica`` database,
this router and the middleware). A replica lags the primary by a moment, so whoever may just
have written — any POST, the admin and desk, anyone with a session — reads the primary and sees
their own change; anonymous GETs of public pages, which are cached anyway, go to the replica.
"""

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

# Per request (and per thread/task), never shared between app servers.
_pinned_to_primary: ContextVar[bool] = ContextVar("newsroom_pinned_to_primary", default=False)


@contextmanager
def primary() -> Iterator[None]:
    """Read from the primary inside this block (e.g. right after a write)."""
    token = _pinned_to_primary.set(True)
    try:
        yield
    finally:
        _pinned_to_primary.reset(token)


class PrimaryReplicaRouter:
    """Writes, migrations and reads inside a transaction use the primary; other reads a replica."""

    def db_for_read(self, model, **hints):
        if _pinned_to_primary.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA if REPLICA in settings.DATABASES else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Primary and replica hold the same rows.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def needs_primary(request) -> bool:
    """Whether this request may write, or may expect to see a write it just made."""
    return (
        request.method not in SAFE_METHODS
        or request.path.startswith(tuple(settings.NEWSROOM_PRIVATE_PATHS))
        or settings.SESSION_COOKIE_NAME in request.COOKIES
    )


# A replica that failed is left alone this long; reads go to the primary meanwhile.
REPLICA_RETRY_SECONDS = 30.0
_replica_down_until = 0.0


def replica_available() -> bool:
    """Whether the replica answers (checked at most once per ``REPLICA_RETRY_SECONDS`` after a
    failure). Per process, like the connection itself: routing health, not shared data."""
    global _replica_down_until
    if REPLICA not in settings.DATABASES:
        return False
    if time.monotonic() < _replica_down_until:
        return False
    replica = connections[REPLICA]
    try:
        # A kept connection may be dead: health-check it (once per request), then (re)connect.
        replica.close_if_health_check_failed()
        replica.ensure_connection()
    except DatabaseError:
        logger.warning("Read replica unavailable; reading from the primary for now")
        _replica_down_until = time.monotonic() + REPLICA_RETRY_SECONDS
        connections[REPLICA].close()
        return False
    return True


class ReplicaRoutingMiddleware:
    """Pins the request to the primary when :func:`needs_primary` says so, or when the replica
    is down: a replica going away costs the primary some load, never a reader's page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _pinned_to_primary.set(needs_primary(request) or not replica_available())
        try:
            return self.get_response(request)
        finally:
            _pinned_to_primary.reset(token)
