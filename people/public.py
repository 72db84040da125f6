"""How a person's public page learns what readers may see, without importing the story app.

``people`` never imports ``articles``: which people readers may see (those who appear in a
public story) and which of their stories are public are the story app's rule, so it registers
its answers here at start-up (``ArticlesConfig.ready()``).
"""

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet


class PublicRecord(Protocol):
    def people(self) -> QuerySet:
        """People readers may see: a byline or a confirmed quote in a public story."""

    def stories_by(self, person) -> QuerySet:
        """Public stories with a byline by ``person``, newest first, ready for a list."""

    def stories_quoting(self, person) -> QuerySet:
        """Public stories with a confirmed quote from ``person``, newest first."""


_record: PublicRecord | None = None


def register(record: PublicRecord) -> None:
    global _record
    _record = record


def public_record() -> PublicRecord:
    if _record is None:
        raise ImproperlyConfigured("No app registered the public record of people's stories.")
    return _record
