"""Reader search: published stories only, headline/dek/body, safe highlighted matches."""

import pytest
from django.urls import reverse

from articles import body
from articles.search.reader import highlight, search_published, snippet
from articles.search.words import search_terms
from tests import factories

pytestmark = pytest.mark.django_db


def test_finds_published_stories_by_headline_dek_and_body(editor):
    by_headline = factories.published("Lighthouse keepers return")
    by_dek = factories.published("Coastal news", dek="A lighthouse reopens after repairs.")
    by_body = factories.published("Another story", paragraphs=["Repairs to the LIGHTHOUSE lamp."])
    factories.article("Draft about a lighthouse")
    factories.published("Nothing to see here")
    killed = factories.published("Killed lighthouse story")
    killed.kill(by=editor, note="Wrong")
    found = search_published("lighthouse")
    assert {s.pk for s in found} == {by_headline.pk, by_dek.pk, by_body.pk}


def test_every_word_must_match():
    both = factories.published("Harbour ferry strike", paragraphs=["Ferries stay in port."])
    factories.published("Harbour repairs")
    assert [s.pk for s in search_published("harbour ferry")] == [both.pk]


def test_body_text_is_kept_in_step_with_the_body():
    story = factories.published("Edited", paragraphs=["Old words."])
    story.body = [body.paragraph("Fresh <b>words</b> & more.")]
    story.save(update_fields=["body"])
    story.refresh_from_db()
    assert story.body_text == "Fresh <b>words</b> & more."
    assert [s.pk for s in search_published("fresh")] == [story.pk]
    assert search_published("old") == []


def test_matches_are_highlighted_and_text_is_escaped():
    story = factories.published(
        '<script>alert("x")</script> Tidal power plan',
        paragraphs=["Engineers say <em>tidal</em> turbines & cables are ready."],
    )
    (found,) = search_published("tidal")
    assert found.pk == story.pk
    assert found.headline_html == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>Tidal</mark> power plan"
    )
    assert "<mark>tidal</mark>" in found.snippet
    assert "&lt;em&gt;" in found.snippet and "&amp; cables" in found.snippet


def test_highlight_never_marks_inside_an_entity():
    assert highlight("Fish & chips", ["amp"]) == "Fish &amp; chips"
    assert highlight("a<b", ["lt"]) == "a&lt;b"


def test_snippet_centres_on_the_first_match():
    text = " ".join(f"word{i}" for i in range(100)) + " needle " + "tail " * 50
    excerpt = snippet("The dek.", text, ["needle"])
    assert "needle" in excerpt and excerpt.startswith("\u2026") and excerpt.endswith("\u2026")
    assert snippet("The dek.", "no match here", ["needle"]) == "The dek."


def test_search_terms_are_cleaned_and_capped():
    assert search_terms('  "Port"  a port, harbour! ') == ["Port", "harbour"]
    assert len(search_terms(" ".join(f"w{i}" for i in range(20)))) == 8
    assert search_terms("") == []


def test_search_page(client):
    factories.published("Glacier melt speeds up", paragraphs=["The glacier lost ice."])
    response = client.get(reverse("articles:search"), {"q": "glacier"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Glacier</mark> melt speeds up" in html
    assert '<meta name="robots" content="noindex, follow">' in html
    assert "1 story found." in html


def test_search_page_escapes_the_query_and_handles_no_results(client):
    response = client.get(reverse("articles:search"), {"q": '"><script>alert(1)</script>'})
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "No published stories match" in html


def test_search_page_paginates_with_the_query_kept(client):
    for i in range(25):
        factories.published(f"Budget story {i:02d}", hours_ago=i + 1)
    html = client.get(reverse("articles:search"), {"q": "budget"}).content.decode()
    assert "25 stories found." in html
    assert 'href="?q=budget&amp;page=2" rel="next"' in html
    page_two = client.get(reverse("articles:search"), {"q": "budget", "page": 2}).content.decode()
    assert "<mark>Budget</mark> story 24" in page_two and "story 00" not in page_two


def test_empty_search_shows_the_form(client):
    html = client.get(reverse("articles:search")).content.decode()
    assert "<h1>Search</h1>" in html and 'name="q"' in html
