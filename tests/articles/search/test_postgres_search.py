"""PostgreSQL reader search: weighted full-text ranking, websearch queries, ts_headline snippets,
and the GIN index the query actually uses. Runs only on PostgreSQL (`make test-postgres`)."""

import pytest
from django.db import connection

from articles.models import Article
from articles.search.fulltext import INDEX_NAME, fulltext_matches, marked_html, snippet_html
from articles.search.reader import matching_stories, search_published
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_headline_outranks_dek_outranks_body():
    in_body = factories.published("Council news", paragraphs=["The turbine order was signed."])
    in_dek = factories.published("Energy plans", dek="A turbine order for the coast.")
    in_headline = factories.published("Turbine order signed", hours_ago=30)
    found = search_published("turbine")
    assert [s.pk for s in found] == [in_headline.pk, in_dek.pk, in_body.pk]


def test_words_are_stemmed_and_all_must_match():
    both = factories.published(
        "Ferries halted by strike", paragraphs=["Harbour workers walked out."]
    )
    factories.published("Ferry timetable changes")
    assert [s.pk for s in search_published("ferry harbours")] == [both.pk]


def test_operators_in_the_query_are_plain_words():
    story = factories.published("Salmon or trout", paragraphs=["Anglers argue over the catch."])
    factories.published("Salmon prices")
    # 'or' and '-trout' would be websearch operators; the reader typed words.
    assert [s.pk for s in search_published("salmon or trout")] == [story.pk]


def test_only_published_stories_are_found(editor):
    live = factories.published("Orchard frost warning")
    factories.article("Orchard frost draft")
    killed = factories.published("Orchard frost mistake")
    killed.kill(by=editor, note="Wrong farm")
    assert [s.pk for s in search_published("orchard frost")] == [live.pk]


def test_snippet_comes_from_ts_headline_and_is_escaped():
    filler = " ".join(f"filler{i}" for i in range(60))
    story = factories.published(
        "Tidal plan",
        paragraphs=[f"{filler} Engineers say <b>tidal</b> turbines & cables are ready. {filler}"],
    )
    (found,) = search_published("turbines")
    assert found.pk == story.pk
    assert "<mark>turbines</mark>" in found.snippet
    assert "<mark>turbines</mark> &amp; cables" in found.snippet
    assert found.snippet.startswith("\u2026 ") and found.snippet.endswith(" \u2026")


def test_text_that_looks_like_markup_stays_in_the_snippet():
    # The body's text "<b>" is words the reader sees, escaped (ts_headline alone would drop it).
    factories.published("Tidal plan", paragraphs=["Engineers say <b>tidal</b> turbines work."])
    (found,) = search_published("turbines")
    assert found.snippet == "Engineers say &lt;b&gt;tidal&lt;/b&gt; <mark>turbines</mark> work."


def test_dek_is_the_snippet_when_only_the_headline_matches():
    factories.published("Glacier retreat", dek="Scientists measured the ice.")
    (found,) = search_published("glacier")
    assert found.snippet == "Scientists measured the ice."


def test_marked_html_escapes_everything_but_the_marks():
    assert marked_html("a <x> \x02b&c\x03 d\x03") == "a &lt;x&gt; <mark>b&amp;c</mark> d"
    assert snippet_html("no marks here", "no marks here") is None


def test_the_query_uses_the_gin_index():
    for n in range(5):
        factories.published(f"Story {n}", paragraphs=["Ordinary words."])
    with connection.cursor() as cursor:
        # A handful of rows: forbid the sequential scan so the plan shows whether the index fits.
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Only the full-text condition, so no other index (article_visible) can serve the query.
        plan = fulltext_matches(Article.objects.all(), ["ordinary"]).explain()
    assert f"Bitmap Index Scan on {INDEX_NAME}" in plan, plan
    assert matching_stories(["ordinary"]).count() == 5


def test_the_index_exists_with_the_query_expression():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [INDEX_NAME])
        (definition,) = cursor.fetchone()
    assert "USING gin" in definition
    for column in ("headline", "dek", "body_text"):
        assert column in definition
    assert Article.objects.count() == 0  # the index exists before any story does
