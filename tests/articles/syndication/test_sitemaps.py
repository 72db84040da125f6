"""Sitemaps, the Google News sitemap and robots.txt."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.publishing.steps import AddCorrection
from articles.syndication import sitemaps
from tests import factories

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)


def locations(root):
    return [loc.text for loc in root.iter(f"{{{NS['sm']}}}loc")]


def section_url(name, page=None):
    url = SITE + reverse("feeds:sitemap-section", kwargs={"section": name})
    return f"{url}?p={page}" if page else url


@pytest.fixture
def mixed(editor):
    """One story in every state, plus a live one with tags."""
    live = factories.published("Live story", hours_ago=2)
    live.tags.add("Harbours")
    factories.article("Draft story", section=factories.section("Drafts"))
    scheduled = factories.article("Scheduled story")
    scheduled.tags.add("Embargo")
    scheduled.publish(by=editor, at=timezone.now() + timedelta(hours=1))
    gone = factories.published("Unpublished story")
    gone.unpublish(by=editor)
    killed = factories.published("Killed story")
    killed.kill(by=editor, note="Legal")
    return {"live": live, "scheduled": scheduled, "gone": gone, "killed": killed}


def test_index_names_every_sitemap(client, mixed):
    root = xml(client, reverse("feeds:sitemap-index"))
    assert locations(root) == [
        section_url("articles"),
        section_url("sections"),
        section_url("tags"),
        section_url("authors"),
        SITE + reverse("feeds:news-sitemap"),
    ]
    lastmod = root.find("sm:sitemap/sm:lastmod", NS).text
    assert lastmod.startswith(str(timezone.now().year))


def test_article_sitemap_lists_only_published_stories(client, mixed):
    root = streamed(client, section_url("articles"))
    assert locations(root) == [SITE + mixed["live"].get_absolute_url()]


def test_article_lastmod_follows_corrections(client, mixed):
    story = mixed["live"]
    before = streamed(client, section_url("articles")).find("sm:url/sm:lastmod", NS).text
    AddCorrection(story, factories.user("Editor"), note="Fixed.").execute()
    story.refresh_from_db()
    after = streamed(client, section_url("articles")).find("sm:url/sm:lastmod", NS).text
    assert after == story.changed_at.strftime("%Y-%m-%dT%H:%M:%S+00:00") and after > before


def streamed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.streaming and response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(b"".join(response.streaming_content))


def test_article_sitemap_is_paged_by_id_ranges(client, mixed, monkeypatch):
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 2)
    for n in range(3):
        factories.published(f"Paged story {n}", hours_ago=1)
    top = Article.objects.order_by("-pk").first().pk
    pages = -(-top // 2)
    index = locations(xml(client, reverse("feeds:sitemap-index")))
    assert (
        section_url("articles", pages) in index and section_url("articles", pages + 1) not in index
    )
    found = []
    for page in range(1, pages + 1):
        urls = locations(streamed(client, section_url("articles") + f"?p={page}"))
        assert len(urls) <= 2
        found += urls
    live = Article.objects.published().order_by("pk")
    assert found == [SITE + story.get_absolute_url() for story in live]
    assert client.get(section_url("articles") + f"?p={pages + 1}").status_code == 404
    assert client.get(section_url("articles") + "?p=0").status_code == 404
    assert client.get(section_url("articles") + "?p=x").status_code == 404


def test_section_tag_and_author_sitemaps(client, mixed):
    sections = locations(xml(client, section_url("sections")))
    assert SITE + mixed["live"].section.get_absolute_url() in sections
    tags = locations(xml(client, section_url("tags")))
    assert tags == [SITE + reverse("articles:tag", kwargs={"slug": "harbours"})]
    authors = locations(xml(client, section_url("authors")))
    assert authors == [SITE + mixed["live"].bylines.first().person.get_absolute_url()]
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_news_sitemap(client, mixed, settings):
    settings.NEWSROOM_SITE_NAME = "The Harbour Gazette & Co"
    settings.NEWSROOM_LANGUAGE = "de"
    old = factories.published("Old story", hours_ago=49)
    root = xml(client, reverse("feeds:news-sitemap"))
    urls = root.findall("sm:url", NS)
    assert [u.findtext("sm:loc", namespaces=NS) for u in urls] == [
        SITE + mixed["live"].get_absolute_url()
    ]
    news = urls[0].find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "The Harbour Gazette & Co"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "de"
    assert news.findtext("news:title", namespaces=NS) == "Live story"
    published = mixed["live"].published_at.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    assert news.findtext("news:publication_date", namespaces=NS) == published
    assert SITE + old.get_absolute_url() not in locations(root)


def test_news_sitemap_keeps_the_newest_thousand(client, editor, monkeypatch):
    monkeypatch.setattr(sitemaps, "NEWS_LIMIT", 2)
    stories = [factories.published(f"Story {n}", hours_ago=n + 1) for n in range(3)]
    root = xml(client, reverse("feeds:news-sitemap"))
    assert locations(root) == [SITE + s.get_absolute_url() for s in stories[:2]]
    monkeypatch.undo()
    assert sitemaps.NEWS_LIMIT == 1000


def test_hostile_headlines_keep_sitemaps_valid(client, mixed):
    Article.objects.filter(pk=mixed["live"].pk).update(
        # PostgreSQL text cannot hold NUL; SQLite can, and the sitemap must drop it.
        headline=f"Bad {'' if connection.vendor == 'postgresql' else chr(0)}\x0b\x1f ]]> & "
        "<script>alert(1)</script>"
    )
    mixed["live"].tags.add("tag \x0c]]>&<b>")
    root = xml(client, reverse("feeds:news-sitemap"))
    title = root.find("sm:url/news:news/news:title", NS).text
    assert "<script" not in title and "\x00" not in title and "]]> &" in title
    for name in sitemaps.SITEMAPS:
        (streamed if name == "articles" else xml)(client, section_url(name))


def test_robots_names_the_sitemaps(client, db):
    response = client.get(reverse("feeds:robots"))
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines and "Disallow: /desk/" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert f"Sitemap: {SITE}/sitemap-news.xml" in lines
    assert f"Sitemap: {section_url('articles')}" in lines


def test_addresses_use_the_configured_site_url(client, mixed, settings):
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    root = xml(client, reverse("feeds:sitemap-index"))
    assert all(loc.startswith("https://news.example.org/") for loc in locations(root))
    story = locations(streamed(client, section_url("articles").replace(SITE, "")))[0]
    assert story == "https://news.example.org" + mixed["live"].get_absolute_url()


def count_queries(client, url):
    cache.clear()  # the same cold start each time (the index reads the content version)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:  # its rows are read while it is sent
            b"".join(response.streaming_content)
    return len(queries)


@pytest.mark.parametrize(
    "url",
    ["/sitemap.xml", "/sitemap-articles.xml", "/sitemap-news.xml", "/sitemap-authors.xml"],
)
def test_query_count_does_not_grow(client, editor, url):
    for n in range(2):
        story = factories.published(f"Story {n}", by=editor)
        story.tags.add(f"tag-{n}")
    with_two = count_queries(client, url)
    for n in range(2, 30):
        story = factories.published(f"Story {n}", by=editor)
        story.tags.add(f"tag-{n}")
    assert count_queries(client, url) == with_two
    assert with_two <= 6
