"""Versions per key, kept in the shared cache: what a cached page is checked against.

Every surrogate key (``keys.py``) has a small record in the shared cache (Redis in production):
``(token, changed_at, next_at, generation, rolled_at)``, a plain tuple (times in epoch seconds).

* ``token`` changes whenever what the key names changes (``bump``): a page stored under the old
  token is stale, and so is every ETag built from it.
* ``changed_at`` is the page's ``Last-Modified``; it moves forward by at least a second per bump,
  so ``If-Modified-Since`` never matches a changed page.
* ``next_at`` is the next moment the key changes by the clock alone (a scheduled story goes
  live, a story expires). Visibility is a query, so nothing is saved then: a record whose
  ``next_at`` has passed counts as changed and is rolled forward by the next reader. No cron.
* ``generation`` is the value of one shared counter when the key last changed, and
  ``rolled_at`` the transition it was last rolled past: a page whose render began before either
  is never stored (it may hold what the database said before the change). No clocks compared.

The hit path only reads (``peek``); the database is asked only when a record is missing or due
(``current``), never on a hit.
"""

import math
import secrets
import threading
from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Min, Q
from django.utils import timezone

from articles.edgecache import keys as K
from articles.models import Article, Status
from articles.syndication import change_log

PREFIX = "newsroom:key:"
# Longer than any page lives; a record that expires only renews the tokens of its pages.
RECORD_SECONDS = 24 * 60 * 60
GENERATION_KEY = "newsroom:generation"
# The keys each generation changed, so processes drop just those from their copies.
CHANGES_PREFIX = "newsroom:changes:"
CHANGES_SECONDS = 60 * 60
CATCH_UP = 64
TOKEN, CHANGED, NEXT, GEN, ROLLED = range(5)
# Keys whose pages change when any public story appears or expires.
GLOBAL_KEYS = frozenset({K.FRONT, K.SITEMAPS, K.SEARCH, K.MISSING})
# Keys that change by a clock of their own: the partner feed shows each log entry once it has
# settled, a few seconds after it was written (or after the moment it was logged for).
OWN_CLOCKS = {K.CHANGES: change_log.next_readable}
# Keys no story's schedule moves: only an explicit bump changes them.
UNSCHEDULED_KINDS = frozenset({K.ALL, K.FEEDS, "photo", "text"})
# Keys whose next transition one query per kind can narrow to their own stories.
NARROW_KINDS = frozenset({"story", "section", "tag", "person"})

Record = tuple[str, float, float | None, float, float]


def record_key(key: str) -> str:
    return PREFIX + key


def now_seconds() -> float:
    return timezone.now().timestamp()


def peek(record_keys: Collection[str]) -> dict[str, Record]:
    """The stored records (by record key); missing ones are absent. One cache round trip."""
    return cache.get_many(record_keys)


def is_due(record: Record, now: float) -> bool:
    return record[NEXT] is not None and record[NEXT] <= now


def generation() -> int:
    """The shared change counter now; read before a render, compared with records after it."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        # New or lost (a flushed cache): start above any value handed out before, which grew
        # by one per change from a millisecond clock reading.
        cache.add(GENERATION_KEY, int(now_seconds() * 1000), timeout=None)
        value = cache.get(GENERATION_KEY, 0)
    return value


def read_generation() -> int | None:
    """The shared change counter as a hit reads it (None if unset): on Redis, the backend's
    tracked read (``articles/edgecache/redis.py``), which asks Redis only after it has said
    the counter changed."""
    read = getattr(cache, "get_tracked", cache.get)
    return read(GENERATION_KEY)


def _next_generation() -> int | None:
    """The generation moved on by one; None when the cache cannot count (unavailable)."""
    try:
        return cache.incr(GENERATION_KEY)
    except ValueError:
        generation()
    try:
        return cache.incr(GENERATION_KEY)
    except ValueError:
        # Redis is away (the resilient backend counts and logs it): the records were not
        # written either, and the backend empties the cache once Redis answers again, so no
        # copy outlives the change. A publish must not fail because of it.
        return None


def changed_since(records: Iterable[Record], seen_generation: int, started: float) -> bool:
    """Whether any record changed after a render that began at ``started`` read the database."""
    return any(r[GEN] > seen_generation or r[ROLLED] > started for r in records)


def current(found_keys: Iterable[str], now: float | None = None) -> dict[str, Record]:
    """The records of ``found_keys`` for a page about to be stored or labelled.

    Missing records are made (their next transition read from the database) and due ones are
    rolled forward. Processes that do this at once agree: a new record is added only if absent,
    and a rolled token is derived from the old one and the transition time.
    """
    now = now_seconds() if now is None else now
    wanted = {key: record_key(key) for key in found_keys}
    stored = peek(list(wanted.values()))
    missing = [k for k, rk in wanted.items() if rk not in stored]
    due = [k for k, rk in wanted.items() if rk in stored and is_due(stored[rk], now)]
    if not missing and not due:
        return {k: stored[rk] for k, rk in wanted.items()}
    upcoming = next_transitions([*missing, *due], now)
    for key in missing:
        fresh = (secrets.token_hex(6), float(math.ceil(now)), upcoming[key], 0, 0.0)
        cache.add(wanted[key], fresh, RECORD_SECONDS)
    rolled = {}
    for key in due:
        old = stored[wanted[key]]
        at = old[NEXT]
        rolled[wanted[key]] = (
            f"{old[TOKEN][:12]}+{int(at)}",
            max(old[CHANGED] + 1, float(math.ceil(at))),
            upcoming[key],
            old[GEN],
            at,
        )
    if rolled:
        cache.set_many(rolled, RECORD_SECONDS)
    stored.update(rolled)
    if missing:
        stored.update(peek([wanted[k] for k in missing]))
    result = {}
    for key, rk in wanted.items():
        record = stored.get(rk)
        if record is None:  # evicted at once (a tiny cache): a record no page may be stored under
            record = (secrets.token_hex(6), float(math.ceil(now)), upcoming.get(key), math.inf, now)
        result[key] = record
    return result


def bump(
    found_keys: Iterable[str],
    transitions: Iterable[datetime | None] = (),
    *,
    changed: bool = True,
    now: float | None = None,
) -> None:
    """Record a change to what ``found_keys`` name, and any future ``transitions`` they gain.

    With ``changed=False`` only the transitions are merged in (a story was scheduled: nothing
    readers see has changed yet). No database queries: the new next transition is the earlier of
    the stored one and the given ones. A missing record stays missing (it is made from the
    database when a page next needs it), except that one is written already due, so a reader
    that read the database before this change cannot add a record that misses it.

    The records are written first, then the shared generation moves on and the keys are noted
    under it, so a process that sees the new generation finds the new records.
    """
    now = now_seconds() if now is None else now
    soonest = min((t.timestamp() for t in transitions if t and t.timestamp() > now), default=None)
    found = set(found_keys)
    wanted = [record_key(key) for key in found]
    # Above any generation a render that began before this change can have seen.
    gen = generation() + 1
    for _attempt in range(3):
        stored = peek(wanted)
        writes = {}
        for rk in wanted:
            old = stored.get(rk)
            if old is None or is_due(old, now):
                # Its next transition is unknown or past: make the next reader ask the database.
                # (No page can be valid under a missing or due record, so nothing is lost.)
                writes[rk] = (secrets.token_hex(6), float(math.ceil(now)), now, gen, 0.0)
                continue
            next_at = _earlier(old[NEXT], soonest)
            if changed:
                writes[rk] = (
                    secrets.token_hex(6),
                    max(float(math.ceil(now)), old[CHANGED] + 1),
                    next_at,
                    gen,
                    old[ROLLED],
                )
            elif next_at != old[NEXT]:
                writes[rk] = (*old[:NEXT], next_at, *old[GEN:])
        if not writes:
            break
        cache.set_many(writes, RECORD_SECONDS)
        # No compare-and-set in Django's cache API: read back, and merge again if a process
        # writing the same key at the same moment (a reader rolling it) dropped our change.
        again = peek(list(writes))
        wanted = [
            rk
            for rk, mine in writes.items()
            if rk not in again
            or again[rk][GEN] < mine[GEN]
            or (soonest is not None and _earlier(again[rk][NEXT], soonest) != again[rk][NEXT])
        ]
        if not wanted:
            break
    announced = _next_generation()
    if announced is not None:
        # Also one round trip after the increment: by its reply, Redis has sent every process
        # tracking the generation its note (redis.py), so the change is seen once this returns.
        cache.set(f"{CHANGES_PREFIX}{announced}", sorted(found), CHANGES_SECONDS)


def _earlier(a: float | None, b: float | None) -> float | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


# -- the next transition of each key, from the database ------------------------------------


def next_transitions(found_keys: Iterable[str], now: float) -> dict[str, float | None]:
    """For each key, the next moment a story it shows appears or expires (None: no such time).

    One query per kind of key (stories, sections, tags, people, everything), whatever the count.
    """
    at = datetime.fromtimestamp(now, tz=UTC)
    live = Article.objects.filter(status=Status.PUBLISHED)
    appears = Min("published_at", filter=Q(published_at__gt=at))
    expires = Min("unpublish_at", filter=Q(unpublish_at__gt=at))
    result: dict[str, float | None] = {}
    by_kind: dict[str, dict[str, str]] = {}
    everything = None

    def soonest(*times) -> float | None:
        return min((t.timestamp() for t in times if t), default=None)

    for key in found_keys:
        kind, what = K.parse(key)
        if key in OWN_CLOCKS:
            result[key] = soonest(OWN_CLOCKS[key](at))
        elif kind in UNSCHEDULED_KINDS:
            result[key] = None
        elif key in GLOBAL_KEYS or what is None or kind not in NARROW_KINDS:
            # A key we cannot narrow (a hashed slug, an unknown kind): any story's time counts.
            if everything is None:
                times = live.aggregate(appears=appears, expires=expires)
                everything = soonest(times["appears"], times["expires"])
            result[key] = everything
        else:
            by_kind.setdefault(kind, {})[what] = key
            result[key] = None
    if stories := by_kind.get("story"):
        pks = [int(pk) for pk in stories if pk.isdigit()]
        for pk, published, expiry in live.filter(pk__in=pks).values_list(
            "pk", "published_at", "unpublish_at"
        ):
            result[stories[str(pk)]] = soonest(
                published if published and published > at else None,
                expiry if expiry and expiry > at else None,
            )
    paths = {
        "section": ["section__slug"],
        "tag": ["tags__slug"],
        "person": ["bylines__person__slug", "quotes__speaker__slug"],
    }
    for kind, fields in paths.items():
        slugs = by_kind.get(kind)
        if not slugs:
            continue
        for field in fields:
            rows = (
                live.filter(**{f"{field}__in": list(slugs)})
                .values(field)
                .annotate(appears=appears, expires=expires)
                .order_by()
            )
            for row in rows:
                key = slugs[row[field]]
                result[key] = _earlier(result[key], soonest(row["appears"], row["expires"]))
    return result


# -- reading a version ----------------------------------------------------------------------


class KeyVersion(NamedTuple):
    """One key's version, for code outside the cache (sitemaps' ``lastmod``, tests)."""

    token: str
    changed_at: datetime
    next_transition: datetime | None


def version_of(key: str) -> KeyVersion:
    """The current version of ``key`` (made from the database when the cache has none)."""
    record = current([key])[key]
    return KeyVersion(
        record[TOKEN],
        datetime.fromtimestamp(record[CHANGED], tz=UTC),
        datetime.fromtimestamp(record[NEXT], tz=UTC) if record[NEXT] is not None else None,
    )


def current_version() -> KeyVersion:
    """The version of ``sitemaps``, which every change to a public story bumps."""
    return version_of(K.SITEMAPS)


# -- this process's copy ---------------------------------------------------------------------


class LocalVersions:
    """This process's copy of the records its pages use, good while the generation stands.

    A hit then costs one shared lookup (the generation) instead of one per key. When the
    generation has moved, the keys noted under each step are dropped from the copy (all of it
    if a note is missing); a record whose transition is due is read again. Records change
    without a new generation only by rolling (which the copy sees from ``next_at``) or by being
    lost and made again (same content, new token: ``refresh`` reads them again).
    """

    def __init__(self, size: int = 20_000):
        self.size = size
        self.generation: int | None = None
        self.records: dict[str, Record] = {}
        self.lock = threading.Lock()

    def lookup(self, record_keys: Collection[str], now: float) -> tuple[dict[str, Record], bool]:
        """The records of ``record_keys``, from the copy where it is current; and whether any
        came from the copy (if not, they are as fresh as the shared cache's)."""
        seen = read_generation()
        if seen is None:
            seen = generation()
        with self.lock:
            self._catch_up(seen)
            found = {rk: self.records.get(rk) for rk in record_keys}
        wanted = [rk for rk, record in found.items() if record is None or is_due(record, now)]
        if wanted:
            found.update(self._read(wanted, seen))
        return found, len(wanted) < len(found)

    def refresh(self, record_keys: Collection[str]) -> dict[str, Record]:
        """The records read again from the shared cache."""
        return self._read(list(record_keys), read_generation())

    def _read(self, record_keys: list[str], seen) -> dict[str, Record]:
        # Read after the generation, so what is kept is at least as new as that generation.
        fetched = peek(record_keys)
        with self.lock:
            if seen is not None and seen == self.generation:
                if len(self.records) + len(fetched) > self.size:
                    self.records.clear()
                self.records.update(fetched)
        return fetched

    def _catch_up(self, seen) -> None:
        if seen == self.generation:
            return
        behind = self.generation
        self.generation = seen
        if seen is None or behind is None or not 0 < seen - behind <= CATCH_UP:
            self.records.clear()
            return
        steps = [f"{CHANGES_PREFIX}{n}" for n in range(behind + 1, seen + 1)]
        notes = cache.get_many(steps)
        if len(notes) != len(steps):
            self.records.clear()
            return
        for changed in notes.values():
            for key in changed:
                self.records.pop(record_key(key), None)
