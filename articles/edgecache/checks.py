"""A deploy check: the page cache and its versions must live in a cache every process shares.

With a per-process cache (local memory, or the dummy cache) each worker keeps its own versions:
a story unpublished through one worker is still served, and still answered 304, by the others.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register

PER_PROCESS_BACKENDS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def shared_cache_check(app_configs=None, **kwargs) -> list[Error]:
    """``check --deploy`` fails when production's HTTP cache would be per process."""
    if settings.DEBUG or not getattr(settings, "NEWSROOM_HTTP_CACHE", True):
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_BACKENDS:
        return []
    return [
        Error(
            f"The default cache ({backend.rsplit('.', 1)[-1]}) is private to each process, but "
            "the HTTP cache keeps its page copies and versions there.",
            hint=(
                "Set REDIS_URL so every app server shares one cache, or set "
                "NEWSROOM_HTTP_CACHE=false. Otherwise a story unpublished through one worker is "
                "still served (and answered 304) by the others."
            ),
            id="edgecache.E001",
        )
    ]


def register_checks() -> None:
    """Called from ``ArticlesConfig.ready()``; registering twice is harmless."""
    register(Tags.caches, deploy=True)(shared_cache_check)
