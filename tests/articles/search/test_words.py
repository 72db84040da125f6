"""The word index behind every search: readers', the admin's and the desk's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from articles.search import sqlite_words
from articles.search.reader import search_published
from articles.search.words import with_words
from tests import factories

pytestmark = pytest.mark.django_db


def test_words_match_in_any_case_without_accents_and_the_last_as_a_prefix():
    story = factories.published("Zürich harbour reopens", paragraphs=["Lighthouses shine."])
    factories.published("Nothing here")
    queries = [["lighthouse"], ["HARBOUR"], ["reopen"], ["harbour", "lighthouses"]]
    if connection.vendor == "sqlite":  # PostgreSQL matches whole words, accents kept (fulltext.py)
        queries += [["harb"], ["ZURICH"], ["harbour", "zur"]]
        assert list(with_words(Article.objects.all(), ["harb", "zurich"])) == []
    for query in queries:
        assert list(with_words(Article.objects.all(), query)) == [story], query
    assert list(with_words(Article.objects.all(), ["harbour", "absent"])) == []


def test_a_search_page_loads_only_the_stories_it_shows(client):
    for n in range(25):
        factories.published(f"Ferry timetable {n}")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("articles:search"), {"q": "ferries"})
    html = response.content.decode()
    assert "25 stories found." in html and html.count('<article class="story-item') == 20
    story_rows = [q for q in captured.captured_queries if 'FROM "articles_article"' in q["sql"]]
    assert len(story_rows) == 2  # the matching ids, then the page's stories


def test_query_syntax_in_a_search_is_only_words():
    story = factories.published('The "NEAR" OR AND * story')
    for query in ('"near"', "near* OR (", "NEAR(a b)", "AND", "-story", "a:b"):
        search_published(query)  # never a syntax error
    assert [s.pk for s in search_published('"near" or')] == [story.pk]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
def test_a_rebuilt_story_table_gets_its_triggers_and_words_back():
    story = factories.published("Ferry timetable changes")
    with connection.cursor() as cursor:
        for name in sqlite_words.TRIGGERS:  # as a migration that remakes the table leaves it
            cursor.execute(f"DROP TRIGGER {name}")
    Article.objects.filter(pk=story.pk).update(headline="Bus timetable changes")
    sqlite_words.ensure_index()
    assert [s.pk for s in search_published("bus")] == [story.pk]
    assert search_published("ferry") == []
    factories.published("Tram timetable changes")
    assert len(search_published("tram")) == 1  # triggers are back


def test_the_admin_and_the_desk_search_the_word_index(client, editor):
    story = factories.published("Dredging contract signed", paragraphs=["The port agreed."])
    factories.published("Unrelated story")
    client.force_login(editor)
    admin = client.get(reverse("admin:articles_article_changelist"), {"q": "dredg port"})
    assert admin.status_code == 200
    assert list(admin.context["cl"].result_list) == [story]
    desk = client.get(reverse("desk:dashboard"), {"q": "dredging"})
    assert [s.pk for s in desk.context["recent"]] == [story.pk]


def test_the_admin_list_never_counts_the_whole_archive(client, editor, monkeypatch):
    from newsroom.paging import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "CAP", 3)
    for n in range(5):
        factories.published(f"Counted story {n}")
    client.force_login(editor)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:articles_article_changelist"))
    assert response.context["cl"].result_count == 3
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT" in sql.upper() for sql in counts), counts
