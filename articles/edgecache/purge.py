"""Purge hooks: tell a CDN or caching proxy in front of the site to drop what shows a story.

Pages carry ``Surrogate-Key`` / ``Cache-Tag`` headers (see articles/edgecache/). When a story
changes, the backend named by settings.NEWSROOM_PURGE_BACKEND receives the keys to drop. The
default sends one HTTP ``BAN`` request to settings.NEWSROOM_PURGE_URL with the keys in a
``Surrogate-Key`` header (what deploy/varnish.vcl understands), and does nothing when no purge
URL is configured. Another backend is any class with a ``purge(keys)`` method. ``purge(keys)``
hands the keys to a background task that calls the backend; a backend that cannot reach the
CDN raises ``PurgeFailed`` and the task retries it with a back-off, logging it for the admin
(``PurgeFailure``; articles/edgecache/tasks.py).
"""

import logging
import urllib.error
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class PurgeFailed(Exception):
    """The CDN or proxy did not take the purge (unreachable, timed out, or refused it)."""


class NoPurge:
    """For sites with no shared cache in front: nothing to tell."""

    def purge(self, keys: Iterable[str]) -> None:
        return None


class HttpBanPurge:
    """Send ``BAN <purge URL>`` with ``Surrogate-Key: key1 key2``; no-op without a purge URL.

    A failure raises ``PurgeFailed``; the task that called it retries later, and a publish
    never waits for it (its copies expire after ``s-maxage`` anyway).
    """

    method = "BAN"
    timeout = 2.0

    def __init__(self, url: str | None = None):
        self.url = url if url is not None else getattr(settings, "NEWSROOM_PURGE_URL", "")

    def purge(self, keys: Iterable[str]) -> None:
        keys = sorted(set(keys))
        if not self.url or not keys:
            return
        request = urllib.request.Request(
            self.url, method=self.method, headers={"Surrogate-Key": " ".join(keys)}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            raise PurgeFailed(f"the purge endpoint answered {exc.code}") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise PurgeFailed(f"the purge endpoint could not be reached ({reason})") from exc


def purge_backend():
    """An instance of the backend named by settings.NEWSROOM_PURGE_BACKEND."""
    path = (
        getattr(settings, "NEWSROOM_PURGE_BACKEND", "") or "articles.edgecache.purge.HttpBanPurge"
    )
    return import_string(path)()


def purge(keys: Iterable[str]) -> None:
    """Ask the configured backend to drop every cached response tagged with one of ``keys``.

    The request goes out from a task (``articles.edgecache.tasks.send_purge``), so a slow or
    dead CDN never holds up an editor's save; with the immediate task backend (tests) it runs
    at once. Never raises.
    """
    from articles.edgecache.tasks import send_purge

    keys = sorted(set(keys))
    if not keys:
        return
    try:
        send_purge.enqueue(keys)
    except Exception:
        logger.exception("Could not enqueue the purge of keys %s", keys)
