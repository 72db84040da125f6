"""JSON-LD: the NewsArticle fields, and JSON that stays valid inside a <script> element."""

import json
import re

import pytest

from articles.models import Article, Correction
from articles.syndication import jsonld
from tests import factories
from tests.reader_fixtures import HOSTILE, rich_story

SITE = {"site_name": "The Test Gazette", "site_url": "https://news.example"}


def page_article(pk) -> Article:
    return Article.objects.with_page_relations().get(pk=pk)


@pytest.mark.django_db
def test_news_article_fields_come_from_the_story():
    story = rich_story(2, headline="Ferry strike ends")
    Correction.objects.create(article=story, kind=Correction.Kind.UPDATE, note="Adds times.")
    data = jsonld.news_article(page_article(story.pk), **SITE)
    url = "https://news.example" + story.get_absolute_url()
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["url"] == url and data["mainEntityOfPage"]["@id"] == url
    assert data["headline"] == "Ferry strike ends"
    assert data["description"] == "The dek sums the story up in a sentence."
    assert data["datePublished"] == story.first_published_at.isoformat()
    assert data["author"][0]["url"].startswith("https://news.example/people/")
    assert data["publisher"] == {
        "@type": "NewsMediaOrganization",
        "name": "The Test Gazette",
        "url": "https://news.example/",
    }
    assert data["image"][0].endswith(".jpg") and "social" in data["image"][0]
    assert len(data["image"]) == 3
    assert data["articleSection"] == "World"
    assert data["keywords"] == ["topic-0", "topic-1"]
    assert data["dateline"] == "GENEVA, Nov. 27"
    # Only corrections, not updates, are schema.org corrections.
    assert [c["text"] for c in data["correction"]] == [
        "An earlier version erred (0).",
        "An earlier version erred (1).",
    ]


@pytest.mark.django_db
def test_photographers_are_not_authors_and_optional_fields_are_left_out():
    story = factories.published("Plain story", authors=1)
    story.bylines.create(person=factories.person("Snap Shooter"), role="photographer", position=9)
    data = jsonld.news_article(page_article(story.pk), **SITE)
    assert "Snap Shooter" not in [a["name"] for a in data["author"]]
    for field in ("image", "keywords", "dateline", "correction", "description"):
        assert field not in data


@pytest.mark.django_db
def test_building_the_data_costs_no_queries(django_assert_num_queries):
    story = page_article(rich_story(3).pk)
    with django_assert_num_queries(0):
        jsonld.news_article(story, **SITE)


def test_script_json_is_valid_json_that_cannot_close_the_script():
    data = {"headline": HOSTILE, "note": "<!-- a comment --> \u2028 ünïcode “quotes”"}
    tag = jsonld.script_tag(data)
    body = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', tag, re.S).group(1)
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body) == data
    assert "ünïcode" in body  # UTF-8 text stays readable


def test_absolute_keeps_full_addresses():
    assert jsonld.absolute("/media/a.jpg", "https://x.example") == "https://x.example/media/a.jpg"
    assert jsonld.absolute("https://cdn.example/a.jpg", "https://x") == "https://cdn.example/a.jpg"
