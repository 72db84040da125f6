"""The edge-cache benchmark's own parts: the readers' pages and the desk process's work."""

import pytest

from bench import Runner, article_page, edge_cache, newsday


@pytest.fixture
def filled(monkeypatch, db):
    monkeypatch.setattr(article_page, "STORIES", 12)
    monkeypatch.setattr(article_page, "BENCHMARKED", 5)
    article_page.fill(Runner("edge-cache"))


def test_reader_pages_weight_the_lists_and_are_all_public(filled, client, tmp_path):
    from articles.models import Article

    paths = tmp_path / "paths.txt"
    facts = edge_cache.reader_paths(paths)
    lines = paths.read_text().split()
    assert facts["story_pages"] == Article.objects.published().count()
    assert lines.count("/") == edge_cache.READER_PAGES["front"]
    for path in sorted(set(lines)):
        assert client.get(path).status_code == 200, path


def test_the_desk_publishes_and_corrects_through_the_workflow(filled, monkeypatch):
    from articles.models import Article, Correction

    monkeypatch.setattr("django.setup", lambda: None)  # already set up by pytest-django
    before = Article.objects.published().count()
    done = newsday.main(seconds=0.2, every=0.1)
    assert done["published"] >= 1 and done["corrections"] >= 1
    assert Article.objects.published().count() == before + done["published"]
    assert Correction.objects.count() == done["corrections"]
