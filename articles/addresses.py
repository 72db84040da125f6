"""Addresses of stories and sections without a ``reverse()`` for every link.

Pages, feeds and sitemaps print many links (a sitemap page 50,000), and ``reverse()`` costs
tens of microseconds each. A URL pattern is reversed once per script prefix with placeholder
values and filled in with ``str.format`` after that, so urls.py stays the one definition of
every address. Values that are not plain slugs go through ``reverse()`` as before.
"""

import re
from datetime import UTC, datetime
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils import timezone

_PLAIN = re.compile(r"[-a-zA-Z0-9_]+\Z")


@lru_cache(maxsize=64)
def _pattern(name: str, names: tuple[str, ...], numbers: tuple[str, ...], prefix: str, urlconf):
    holes = {key: (7919170 + i if key in numbers else f"holeq{i}z") for i, key in enumerate(names)}
    path = reverse(name, kwargs=holes).replace("{", "{{").replace("}", "}}")
    for key, hole in holes.items():
        path = path.replace(str(hole), "{" + key + "}")
    return path


def path_to(name: str, numbers: tuple[str, ...] = (), **kwargs) -> str:
    """``reverse(name, kwargs=kwargs)`` for slug-like values; ``numbers`` name int arguments."""
    if all(key in numbers or _PLAIN.match(value) for key, value in kwargs.items()):
        pattern = _pattern(name, tuple(kwargs), numbers, get_script_prefix(), settings.ROOT_URLCONF)
        return pattern.format(**kwargs)
    return reverse(name, kwargs=kwargs)


def story_path(section_slug: str, when: datetime, slug: str) -> str:
    """A story's address (``when``, in the site's time zone, gives its date).

    The site's own time zone, never one a request activated: a story has one address.
    """
    when = when.astimezone(timezone.get_default_timezone())
    return path_to(
        "articles:detail",
        numbers=("year",),
        section=section_slug,
        year=when.year,
        month=f"{when.month:02d}",
        day=f"{when.day:02d}",
        slug=slug,
    )


def section_path(slug: str) -> str:
    return path_to("articles:section", slug=slug)


def story_paths():
    """``story_path`` for many stories at once (sitemaps): the pattern and time zone looked up
    once, not per story. ``when`` may also be a UTC time as the database writes it as text
    ("2026-11-30 10:00:00.123+00"), which a site on UTC reads without parsing."""
    zone = timezone.get_default_timezone()
    on_utc = str(zone) in ("UTC", "Etc/UTC")
    holes = ("section", "year", "month", "day", "slug")
    pattern = _pattern(
        "articles:detail", holes, ("year",), get_script_prefix(), settings.ROOT_URLCONF
    )
    plain = _PLAIN.match

    def path(section_slug: str, when, slug: str) -> str:
        if isinstance(when, str):
            if on_utc:
                year, month, day = when[0:4], when[5:7], when[8:10]
                if plain(section_slug) and plain(slug):
                    return pattern.format(
                        section=section_slug, year=int(year), month=month, day=day, slug=slug
                    )
            when = utc_from_text(when)
        if not (plain(section_slug) and plain(slug)):
            return story_path(section_slug, when, slug)
        when = when.astimezone(zone)
        return pattern.format(
            section=section_slug, year=when.year, month=f"{when.month:02d}",
            day=f"{when.day:02d}", slug=slug,
        )  # fmt: skip

    return path


def utc_from_text(text: str) -> datetime:
    """A time the database sent as text (UTC: Django keeps its connections in UTC)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
