"""The edge cache's settings, read once per process (and again when a setting changes).

A cache hit reads a dozen of them; Django's lazy settings object costs microseconds per read.
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class EdgeConfig:
    enabled: bool
    shared_seconds: int
    browser_seconds: int
    stale_seconds: int
    salt: str
    private_paths: tuple[str, ...]
    passed_paths: tuple[str, ...]  # static files and media: not pages, never looked up
    session_cookie: str
    keyed_params: frozenset[str]
    local_entries: int


_config: EdgeConfig | None = None


def config() -> EdgeConfig:
    global _config
    if _config is None:
        _config = EdgeConfig(
            enabled=getattr(settings, "NEWSROOM_HTTP_CACHE", True),
            shared_seconds=getattr(settings, "NEWSROOM_CACHE_SECONDS", 300),
            browser_seconds=getattr(settings, "NEWSROOM_BROWSER_CACHE_SECONDS", 60),
            stale_seconds=getattr(settings, "NEWSROOM_STALE_SECONDS", 30),
            salt=getattr(settings, "NEWSROOM_CACHE_SALT", ""),
            private_paths=tuple(getattr(settings, "NEWSROOM_PRIVATE_PATHS", ("/admin/", "/desk/"))),
            passed_paths=tuple(
                p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p and p.startswith("/")
            ),
            session_cookie=settings.SESSION_COOKIE_NAME,
            keyed_params=frozenset(getattr(settings, "NEWSROOM_CACHE_QUERY_PARAMS", ("page", "p"))),
            local_entries=getattr(settings, "NEWSROOM_PAGE_CACHE_LOCAL_ENTRIES", 256),
        )
    return _config


def forget(**kwargs) -> None:
    """Receiver for ``setting_changed`` (tests): read the settings again next time."""
    global _config
    _config = None
