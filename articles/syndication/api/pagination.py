"""Keyset ("cursor") pagination: no COUNT(*), and stable while stories are being published.

The cursor names the last row of the page by its ordering values, ``(published_at, id)`` for
stories; the next page is the rows strictly after it. A story published meanwhile lands at the
head of the list and shifts nothing, so no row is skipped or repeated.
"""

import base64
import binascii
from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from articles.syndication.jsonld import absolute

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def encode_cursor(moment: datetime, pk: int) -> str:
    raw = f"{moment.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """``(moment, pk)`` from a cursor; a ValidationError (400) for anything else."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        moment, pk = base64.urlsafe_b64decode(padded.encode("ascii")).decode().split("|")
        parsed = datetime.fromisoformat(moment)
        if parsed.tzinfo is None:
            raise ValueError("naive")
        return parsed, int(pk)
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise ValidationError({"cursor": "Not a cursor this API gave out."}) from exc


def encode_id_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"id|{pk}".encode()).decode().rstrip("=")


def decode_id_cursor(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        label, pk = base64.urlsafe_b64decode(padded.encode("ascii")).decode().split("|")
        if label != "id":
            raise ValueError(label)
        return int(pk)
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise ValidationError({"cursor": "Not a cursor this API gave out."}) from exc


def page_size(request) -> int:
    raw = request.query_params.get("page_size")
    if raw is None:
        return DEFAULT_PAGE_SIZE
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise ValidationError({"page_size": f"A whole number from 1 to {MAX_PAGE_SIZE}."})
    return int(raw)


class KeysetPagination:
    """Pages ordered by ``field`` then ``id`` (by ``id`` alone when ``field`` is None), newest
    first unless ``ascending``."""

    def __init__(self, field: str | None = "published_at", ascending: bool = False):
        self.field = field
        self.ascending = ascending

    def ordering(self) -> Sequence[str]:
        sign = "" if self.ascending else "-"
        return (f"{sign}{self.field}", f"{sign}id") if self.field else (f"{sign}id",)

    def page(self, queryset: QuerySet, request) -> list:
        self.request = request
        self.size = page_size(request)
        cursor = request.query_params.get("cursor")
        queryset = queryset.order_by(*self.ordering())
        if cursor:
            after = "gt" if self.ascending else "lt"
            if self.field:
                moment, pk = decode_cursor(cursor)
                queryset = queryset.filter(
                    Q(**{f"{self.field}__{after}": moment})
                    | Q(**{self.field: moment, f"id__{after}": pk})
                )
            else:
                queryset = queryset.filter(**{f"id__{after}": decode_id_cursor(cursor)})
        rows = list(queryset[: self.size + 1])
        self.has_next = len(rows) > self.size
        self.rows = rows[: self.size]
        return self.rows

    def next_link(self) -> str | None:
        if not self.has_next:
            return None
        last = self.rows[-1]
        if self.field:
            cursor = encode_cursor(getattr(last, self.field), last.pk)
        else:
            cursor = encode_id_cursor(last.pk)
        # On the canonical address, as feeds do: a shared cache must never echo the Host header.
        path = replace_query_param(self.request.get_full_path(), "cursor", cursor)
        return absolute(path, settings.NEWSROOM_SITE_URL)

    def response(self, results: list) -> Response:
        return Response({"next": self.next_link(), "results": results})
