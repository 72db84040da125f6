"""The whole-page cache: addresses, stored entries, and a small copy in each process.

An entry is a finished response (status, headers, body) with the keys it shows and their tokens
at the time it was stored. It is served while every one of those tokens is still current
(``versions.py``), so it needs no expiry to be correct; it gets one to bound memory.

Addresses are bounded: a query parameter is part of the address only when it names a page of a
list (``NEWSROOM_CACHE_QUERY_PARAMS``, digits only). Every other parameter (``utm_source``,
``q``, random cache busters) is left out, and a response is stored only if its view used no
parameter left out of its address. So random query strings add no entries and search answers
are never stored. A view that asked for a parameter the request did not send (the API's
``fields``) is stored, but served only to requests without extra parameters: one that sends it
is answered by the view, and not stored.
"""

import hashlib
import threading
from collections import OrderedDict
from typing import NamedTuple
from urllib.parse import parse_qsl

from django.core.cache import cache
from django.http import QueryDict

from articles.edgecache.config import config

PAGE_PREFIX = "newsroom:page:"
# Headers a stored copy never repeats: per response, or set again on every hit.
UNSTORED_HEADERS = frozenset({"set-cookie", "date", "x-newsroom-cache", "cache-control"})


class Address(NamedTuple):
    """Where a request's page is kept, and which of its query parameters the key left out."""

    key: str
    keyed: frozenset[str]  # the page-number parameters in the key
    dropped: frozenset[str]  # the parameters left out of it


class Entry(NamedTuple):
    status: int
    headers: tuple[tuple[str, tuple[str, str]], ...]  # (lower-case name, (name, value))
    content: bytes
    record_keys: tuple[str, ...]
    tokens: tuple[str, ...]
    etag: str
    last_modified: float
    # Its view read every query parameter: serve it only to requests that have no extra ones.
    strict: bool


def address(request) -> Address | None:
    """The page-cache key for ``request``; None when it must not use the cache at all.

    The key is the scheme, host and path, plus the page-number parameters in a normal form.
    A page number that is not digits, or given twice, bypasses the cache (the view answers it).
    """
    try:
        host = request.get_host()
    except Exception:  # DisallowedHost: let the stack answer it
        return None
    setup = config()
    query = request.META.get("QUERY_STRING", "")
    kept, seen, dropped = [], set(), set()
    if query:
        named = setup.keyed_params
        for name, value in parse_qsl(query, keep_blank_values=True):
            if name not in named:
                dropped.add(name)
                continue
            if name in seen or not value.isdigit() or len(value) > 9:
                return None
            seen.add(name)
            kept.append(f"{name}={int(value)}")
        kept.sort()
    scheme = "https" if request.is_secure() else "http"
    raw = f"{scheme}|{host}|{request.path}|{'&'.join(kept)}"
    digest = hashlib.blake2b(raw.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return Address(f"{PAGE_PREFIX}{setup.salt}:{digest}", frozenset(seen), frozenset(dropped))


class ReadRecordingQueryDict(QueryDict):
    """``request.GET`` that remembers which parameters the view read (``read_all``: any)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Filling the dict above went through the methods below: start counting now.
        self.read: set[str] = set()
        self.read_all = False

    def _note(self, key) -> None:
        if hasattr(self, "read"):
            self.read.add(key)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def _getlist(self, key, *args, **kwargs):
        self._note(key)
        return super()._getlist(key, *args, **kwargs)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def _everything(self):
        if hasattr(self, "read"):
            self.read_all = True

    def __iter__(self):
        self._everything()
        return super().__iter__()

    def __len__(self):
        self._everything()
        return super().__len__()

    def keys(self):
        self._everything()
        return super().keys()

    def lists(self):
        self._everything()
        return super().lists()


def record_reads(request) -> ReadRecordingQueryDict:
    """Give ``request`` a ``GET`` that records what the view reads, and return it."""
    recorder = ReadRecordingQueryDict(
        request.META.get("QUERY_STRING", ""), encoding=request.encoding
    )
    request.GET = recorder
    return recorder


def storable_reads(recorder: ReadRecordingQueryDict, where: Address) -> tuple[bool, bool]:
    """(may the response be stored, must it be served only to requests without extra params)."""
    asked = recorder.read - config().keyed_params
    if asked & where.dropped:
        # The view used a parameter the address leaves out (search's ``q``): its answer
        # depends on a value the key does not hold.
        return False, False
    if recorder.read_all:
        return not where.dropped, True
    if where.keyed - recorder.read:
        # A page number the view never read (``/?page=7`` on the front): the same page under
        # another address, so no entry.
        return False, False
    # A parameter the view asked for and was not sent (the API's ``fields``, DRF's ``format``)
    # shaped the answer too: serve the copy only to requests that send no extra parameters.
    return True, bool(asked)


class LocalPages:
    """A few hundred recent entries in this process, so a hit does not fetch the body again.

    Safe because an entry is immutable for its tokens, and every hit checks the tokens against
    the shared cache first.
    """

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: Entry) -> None:
        if self.size <= 0:
            return
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def drop(self, key: str) -> None:
        with self.lock:
            self.entries.pop(key, None)


def load(key: str, local: LocalPages) -> Entry | None:
    entry = local.get(key)
    if entry is None:
        stored = cache.get(key)
        if stored is not None:
            entry = Entry(*stored)
            local.put(key, entry)
    return entry


def save(key: str, entry: Entry, local: LocalPages, seconds: int) -> None:
    if seconds <= 0:
        return
    cache.set(key, tuple(entry), timeout=seconds)
    local.put(key, entry)
