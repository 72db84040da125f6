"""Fixed-shape ORM reads, compiled to SQL once per process and run with new values each time.

A page that runs the same small read on every request (the article page asks which linked
stories are live, and for the latest headlines) spends most of that read in Django building
and compiling the query, not in the database. ``PreparedRead`` lets the ORM write the SQL once,
from a QuerySet built with placeholder values, remembers where those values sit among the
parameters, and afterwards only swaps in the real ones. The QuerySet stays the one definition
(so the visibility rule stays in ``ArticleQuerySet.published()``); rows come back as tuples.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache

from django.db import connections, router
from django.db.models import Model, QuerySet

# Values no real query uses: a moment long before any story, and negative ids.
MOMENT = datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC)


class PreparedRead:
    """``build(moment, ids)`` -> a ``values_list`` QuerySet of ``model``; compiled per length
    of ``ids`` and database, run with ``rows(moment, ids)``."""

    def __init__(self, model: type[Model], moment_field: str, build: Callable[..., QuerySet]):
        self.model = model
        self.moment_field = model._meta.get_field(moment_field)
        self.build = build
        self._compiled = lru_cache(maxsize=64)(self._compile)

    def _compile(self, alias: str, count: int) -> tuple[str, list]:
        connection = connections[alias]
        placeholders = [-(n + 1) for n in range(count)]
        query = self.build(MOMENT, placeholders).using(alias).query
        sql, params = query.get_compiler(alias).as_sql()
        moment = self.moment_field.get_db_prep_value(MOMENT, connection)
        slots = []
        for value in params:
            if value == moment and type(value) is type(moment):
                slots.append(("moment",))
            elif isinstance(value, int) and -count <= value < 0:
                slots.append(("id", -value - 1))
            else:
                slots.append(("fixed", value))
        found = sum(1 for slot in slots if slot[0] == "id")
        if found != count or not any(slot[0] == "moment" for slot in slots):
            raise ValueError("the placeholders did not all reach the query's parameters")
        return sql, slots

    def rows(self, moment: datetime, ids: list[int]) -> list[tuple]:
        alias = router.db_for_read(self.model)
        sql, slots = self._compiled(alias, len(ids))
        connection = connections[alias]
        at = self.moment_field.get_db_prep_value(moment, connection)
        values = [
            at if slot[0] == "moment" else ids[slot[1]] if slot[0] == "id" else slot[1]
            for slot in slots
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            return cursor.fetchall()
