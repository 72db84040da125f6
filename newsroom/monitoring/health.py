"""``GET /-/health/``: can the site serve readers, and how is each part doing?

Answers JSON: ``{"status": "ok" | "degraded" | "down", "checks": {name: {"status": "ok" |
"down", "reason": ...}}}`` for the database, the cache, media storage, the task queue and the
read replica when there is one. 200 while the database answers (readers can be served, maybe
slower), 503 when it does not. Never cached, no login, and the reasons name the kind of failure
only: no host, no port, no secret.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from newsroom.monitoring import queue

PROBE_FOLDER = ".health"


def _database(alias: str) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    ping = getattr(cache, "ping", None)
    if ping is not None:
        ping()  # the resilient Redis cache would otherwise hide the failure
        return
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("a value written could not be read back")
    cache.delete(key)


def _storage() -> None:
    name = default_storage.save(f"{PROBE_FOLDER}/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)


def checks() -> dict:
    found = {
        "database": lambda: _database("default"),
        "cache": _cache,
        "storage": _storage,
        "queue": queue.probe,
    }
    if "replica" in settings.DATABASES:
        found["replica"] = lambda: _database("replica")
    for name, probe in extra_checks().items():
        found[name] = probe
    return found


def extra_checks() -> dict:
    """Checks other parts register, by name."""
    return dict(_EXTRA)


_EXTRA: dict = {}


def register(name: str, probe) -> None:
    """Add a named check: ``probe()`` returns when the part is fine and raises when it is not."""
    _EXTRA[name] = probe


def _reason(error: Exception) -> str:
    # The kind of failure, never its message: messages carry hostnames, paths and users.
    return type(error).__name__


@never_cache
def health(request):
    results = {}
    for name, probe in checks().items():
        try:
            probe()
        except Exception as error:  # every failure is a reason to report, none to raise
            results[name] = {"status": "down", "reason": _reason(error)}
        else:
            results[name] = {"status": "ok"}
    serving = results["database"]["status"] == "ok"
    everything = all(result["status"] == "ok" for result in results.values())
    status = "ok" if everything else ("degraded" if serving else "down")
    response = JsonResponse({"status": status, "checks": results}, status=200 if serving else 503)
    response["Cache-Control"] = "no-store"
    return response
