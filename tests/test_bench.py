"""The benchmark suite's own parts: the wrk parser and the article-page fill (on a small scale)."""

import pytest
from django.test import override_settings

from bench import Runner, article_page
from bench.serve import parse_wrk

WRK_OUTPUT = """\
Running 15s test @ http://127.0.0.1:8765/world/2026/11/27/story/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    91.20ms   12.01ms 140.33ms   71.00%
    Req/Sec    43.10      9.80    70.00     66.00%
  Latency Distribution
     50%   90.50ms
     75%   98.00ms
     90%  105.21ms
     99%    1.30s
  1290 requests in 15.02s, 21.60MB read
  Socket errors: connect 0, read 3, write 0, timeout 0
  Non-2xx or 3xx responses: 2
Requests/sec:     85.89
Transfer/sec:      1.44MB
"""


def test_parse_wrk_reads_rate_percentiles_and_errors():
    result = parse_wrk(WRK_OUTPUT)
    assert result["rps"] == 85.89
    assert (result["p50_ms"], result["p90_ms"], result["p99_ms"]) == (90.5, 105.21, 1300.0)
    assert result["requests"] == 1290
    assert result["non_2xx"] == 2
    assert result["socket_errors"] == "connect 0, read 3, write 0, timeout 0"


def test_parse_wrk_reads_microseconds_and_a_clean_run():
    clean = WRK_OUTPUT.replace("90.50ms", "812.00us").replace("  Socket errors", "  X")
    result = parse_wrk(clean.replace("  Non-2xx or 3xx responses: 2\n", ""))
    assert result["p50_ms"] == 0.81
    assert (result["non_2xx"], result["socket_errors"]) == (0, "")


@pytest.mark.django_db
def test_fill_makes_stories_shaped_like_the_anchor_page(client, monkeypatch):
    monkeypatch.setattr(article_page, "STORIES", 12)
    monkeypatch.setattr(article_page, "BENCHMARKED", 5)
    runner = Runner("article-page")

    url = article_page.fill(runner)

    assert runner.facts["stories"] >= 12
    with override_settings(NEWSROOM_HTTP_CACHE=False):
        response = client.get(url)
    assert response.status_code == 200
    page = article_page.page_facts(response.content.decode())
    assert page["paragraphs"] == 8
    assert page["inline_related_links"] == 3
    assert 3 <= page["tags"] <= 5
    assert page["body_words"] > 700
    assert "<picture" in response.content.decode()  # the shared lead photo, released


def test_the_import_benchmark_tells_each_story_the_same_in_every_format():
    import datetime
    import random

    from articles.wire import read_stories
    from bench.import_bench import RENDERERS, story_parts

    today = datetime.date(2024, 12, 1)
    parts = story_parts(7, random.Random(3))  # a seed whose story has a photo
    stories = {
        kind: read_stories(render(parts), today=today)[0] for kind, render in RENDERERS.items()
    }
    plain = stories.pop("text")
    assert plain.quotes and plain.photo and plain.dateline
    for kind, story in stories.items():
        assert (story.headline, story.bylines, story.blocks, story.quotes) == (
            plain.headline,
            plain.bylines,
            plain.blocks,
            plain.quotes,
        ), kind
        assert (story.photo, story.dateline) == (plain.photo, plain.dateline), kind
        assert story.agency_id.endswith(":7")


@pytest.mark.django_db
def test_scaling_pages_cost_the_same_queries_as_the_archive_grows(client):
    """Every page the scaling benchmark times, at two archive sizes: the same query counts."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench import scaling

    context = scaling.setup()
    staff = type(client)()
    staff.force_login(context["editor"])

    def counts() -> dict[str, int]:
        found = scaling.urls()
        pages = [(label, url.format(**found), client) for label, url in scaling.PAGES.items()]
        pages += [(label, url, staff) for label, url in scaling.STAFF_PAGES.items()]
        result = {}
        with override_settings(NEWSROOM_HTTP_CACHE=False):
            for label, url, who in pages:
                cache.clear()  # the same cold start each time (the sitemap index's version)
                with CaptureQueriesContext(connection) as captured:
                    response = who.get(url)
                    assert response.status_code == 200, (label, url, response.status_code)
                    if response.streaming:
                        b"".join(response.streaming_content)
                result[label] = len(captured)
        return result

    scaling.grow(0, 200, context)
    scaling.write_pages()
    small = counts()
    scaling.grow(200, 600, context)
    scaling.write_pages()
    assert counts() == small
