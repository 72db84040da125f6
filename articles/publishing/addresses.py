"""Story addresses: how they are written, and how old ones keep working.

How: pages, feeds and sitemaps print many links (a sitemap page 50,000), and ``reverse()``
costs tens of microseconds each. A URL pattern is reversed once per script prefix with
placeholder values and filled in with ``str.format`` after that, so urls.py stays the one
definition of every address. Values that are not plain slugs go through ``reverse()`` as before.

Old ones: a story's address holds its section, its publication day and its slug, so moving it
to another section, renaming it or republishing it on another day moves it.
``remember_address`` runs after each of those writes (content saves, publishing, section
renames): it records the address readers had in ``StoryRedirect`` and notes the new one on the
story. The article view answers an old address with 301 to the current one while the story is
live.

The models import their paths from here, so this module reads the models only inside its
functions.
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


# -- old addresses ---------------------------------------------------------------------


def remember_address(article) -> None:
    """If readers have seen ``article`` and its address moved, keep the old one as a redirect."""
    from articles.models import Article, StoryRedirect

    if article.first_published_at is None:
        return  # never public: no reader has the address
    current = article.get_absolute_url()
    if current == article.public_path:
        return
    if article.public_path:
        StoryRedirect.objects.update_or_create(
            old_path=article.public_path, defaults={"article": article}
        )
    # An address that is the story's own again is no longer a redirect.
    StoryRedirect.objects.filter(old_path=current).delete()
    article.public_path = current
    Article.objects.filter(pk=article.pk).update(public_path=current)


def remember_addresses_in(section) -> None:
    """A section's slug changed: every public story in it moved."""
    from articles.models import Article

    stories = Article.objects.filter(section=section, first_published_at__isnull=False)
    for article in stories.select_related("section").exclude(public_path=""):
        remember_address(article)


def redirect_target(path: str):
    """The story that once lived at ``path``, if any."""
    from articles.models import StoryRedirect

    found = StoryRedirect.objects.filter(old_path=path).select_related("article__section").first()
    return found.article if found else None
