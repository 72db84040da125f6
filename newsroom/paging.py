"""Newest-first lists a page at a time, without counting or skipping over the archive.

A page holds the rows published just before a cursor row (``?before=<id>``): one index range
however deep the page, where ``?page=N`` read (OFFSET) every row above it and a COUNT(*) read
them all. The price: pages have no numbers, only a "Newest" and an "Older" link.

The admin keeps numbered pages, over a count that stops at a cap (``CappedPaginator``).
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet, Subquery
from django.http import Http404

CURSOR = "before"


@dataclass
class KeysetPage:
    """One page of a newest-first list: its rows, where it started, where the next one starts."""

    object_list: list
    cursor: int | None = None  # the row this page starts after; None on the first page
    older: int | None = None  # the cursor of the next, older page; None on the last
    is_first: bool = field(init=False)

    def __post_init__(self):
        self.is_first = self.cursor is None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def keyset_page(rows: QuerySet, cursor: str | None, size: int) -> KeysetPage:
    """The ``size`` rows of ``rows`` (ordered by ``-published_at, -pk``) after ``cursor``.

    A cursor that is not a row id, or a page past the end, is a 404, as an unknown page was.
    """
    start = None
    if cursor is not None:
        try:
            start = int(cursor)
        except ValueError:
            raise Http404("No such page.") from None
        if start <= 0:
            raise Http404("No such page.")
        at = Subquery(rows.model._default_manager.filter(pk=start).values("published_at"))
        rows = rows.filter(published_at__lte=at).exclude(published_at=at, pk__gte=start)
    found = list(rows[: size + 1])
    if start is not None and not found:
        raise Http404("No such page.")
    page = KeysetPage(found[:size], cursor=start)
    if len(found) > size:
        page.older = found[size - 1].pk
    return page


class KeysetMixin:
    """For a ``ListView`` over newest-first rows: ``page_obj`` is a :class:`KeysetPage`."""

    def paginate_queryset(self, queryset, page_size):
        page = keyset_page(queryset, self.request.GET.get(CURSOR), page_size)
        return None, page, page.object_list, page.older is not None or not page.is_first


class CappedPaginator(Paginator):
    """A paginator that counts at most ``CAP`` rows: the admin's list of a large archive.

    Counting a whole archive reads all of it; past the cap the list says "10,000" and offers
    that many pages, and filters or a search narrow it further.
    """

    CAP = 10_000

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.CAP].count()
