"""Story and section addresses built from a pattern reversed once agree with ``reverse()``."""

from datetime import UTC, datetime

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from articles.publishing.addresses import section_path, story_path, story_paths


def expected(section, when, slug):
    return reverse(
        "articles:detail",
        kwargs={"section": section, "year": when.year, "month": f"{when.month:02d}",
                "day": f"{when.day:02d}", "slug": slug},
    )  # fmt: skip


def test_story_path_matches_reverse():
    when = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
    assert story_path("world", when, "ferry-strike-ends-2") == expected(
        "world", when, "ferry-strike-ends-2"
    )
    assert story_path("world", when, "x") == "/world/2026/03/04/x/"


def test_story_path_uses_the_site_time_zone(settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    when = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
    assert story_path("world", when, "late") == "/world/2026/03/05/late/"


def test_values_that_are_not_plain_slugs_go_through_reverse():
    # reverse() refuses what the URL pattern refuses, as it always did.
    with pytest.raises(NoReverseMatch):
        story_path("world", datetime(2026, 3, 4, tzinfo=UTC), "zürich-talks")
    assert section_path("sport") == reverse("articles:section", kwargs={"slug": "sport"})


def test_a_script_prefix_is_kept():
    set_script_prefix("/news/")
    try:
        assert section_path("sport") == "/news/section/sport/"
        assert story_path("world", datetime(2026, 1, 2, tzinfo=UTC), "a").startswith("/news/world/")
    finally:
        set_script_prefix("/")


def test_many_paths_at_once_read_database_text(settings):
    when = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
    path = story_paths()
    for text in ("2026-03-04 23:30:00.250000", "2026-03-04 23:30:00+00"):
        assert path("world", text, "late") == story_path("world", when, "late")
    settings.TIME_ZONE = "Asia/Tokyo"
    path = story_paths()
    assert path("world", "2026-03-04 23:30:00", "late") == "/world/2026/03/05/late/"
    assert path("world", when, "late") == "/world/2026/03/05/late/"
