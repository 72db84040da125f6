"""The content version: when what readers see last changed, kept in the shared cache.

A small record (a token, when it changed, and the next scheduled publish/unpublish time). Every
change readers could see replaces the token after commit, and so does the clock passing a
scheduled transition: visibility is a query, so no save happens then.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Max, Min, Q
from django.utils import timezone

from articles.models import Article, Correction, Status

VERSION_KEY = "newsroom:content-version"


@dataclass(frozen=True)
class ContentVersion:
    token: str
    changed_at: datetime
    next_transition: datetime | None = None

    def seconds_to_transition(self, now: datetime) -> int | None:
        if self.next_transition is None:
            return None
        return max(0, int((self.next_transition - now).total_seconds()))


def next_transition(now: datetime) -> datetime | None:
    """The next moment a published story appears or expires by the clock alone."""
    times = Article.objects.filter(status=Status.PUBLISHED).aggregate(
        appears=Min("published_at", filter=Q(published_at__gt=now)),
        expires=Min("unpublish_at", filter=Q(unpublish_at__gt=now)),
    )
    return min((t for t in times.values() if t), default=None)


def _newest_change(now: datetime) -> datetime:
    """When what readers see last changed, read from the database (used when the cache is cold)."""
    times = Article.objects.aggregate(
        edited=Max("updated_at"),
        appeared=Max("published_at", filter=Q(published_at__lte=now)),
        expired=Max("unpublish_at", filter=Q(unpublish_at__lte=now)),
    )
    times["corrected"] = Correction.objects.aggregate(at=Max("created_at"))["at"]
    return max((t for t in times.values() if t), default=now).replace(microsecond=0)


def current_version(now: datetime | None = None) -> ContentVersion:
    """The content version now; replaced first if a scheduled transition has come due."""
    now = now or timezone.now()
    version = cache.get(VERSION_KEY)
    if version is None:
        changed_at = _newest_change(now)
        # Deterministic, so processes that each start cold agree on validators.
        fresh = ContentVersion(f"t{int(changed_at.timestamp())}", changed_at, next_transition(now))
        cache.add(VERSION_KEY, fresh, timeout=None)
        version = cache.get(VERSION_KEY) or fresh
    if version.next_transition is not None and now >= version.next_transition:
        version = bump_content_version(changed_at=version.next_transition, now=now)
    return version


def bump_content_version(changed_at: datetime | None = None, now=None) -> ContentVersion:
    """Start a new content version: every validator and whole-page cache entry goes stale."""
    now = now or timezone.now()
    # A random token, so two processes bumping at once can never land on the same version.
    version = ContentVersion(
        secrets.token_hex(6), (changed_at or now).replace(microsecond=0), next_transition(now)
    )
    cache.set(VERSION_KEY, version, timeout=None)
    return version
