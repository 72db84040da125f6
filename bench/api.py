"""The content API beside the article page: a story's API object and a page of 20 stories.

Same data as ``article-page`` (the demo plus 1,000 generated stories, story #777 benchmarked),
measured the same two ways: in-process with Django's test client (queries, median render time,
page cache off and on) and over HTTP with gunicorn (2 sync workers, production settings) and
``wrk -t2 -c8`` (``RUNS`` x ``DURATION``), page cache on and off. The anonymous rate limit is
lifted for the load test (``NEWSROOM_API_ANON_RATE``), or ``wrk`` would measure 429s.

``DURATION=5s RUNS=1 make bench BENCH_ARGS=api`` is a quick run.
"""

import os
import shutil
import tempfile
from pathlib import Path

from bench import Runner, benchmark
from bench.article_page import RENDERS, fill, have_wrk
from bench.serve import collectstatic, load, production_env


def api_urls(article_url: str) -> dict[str, str]:
    """The benchmarked story's API object (the article page's story), and the newest 20."""
    from django.urls import reverse

    from articles.models import Article

    slug = article_url.rstrip("/").rsplit("/", 1)[-1]
    pk = Article.objects.published().get(slug=slug).pk
    return {
        "API story detail": reverse("api:story-detail", kwargs={"pk": pk}),
        "API story list (20)": reverse("api:story-list") + "?page_size=20",
    }


def in_process(runner: Runner, urls: dict[str, str]) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from bench.feeds import get

    client = Client()
    runner.facts["queries"] = {}
    for label, url in urls.items():
        with override_settings(NEWSROOM_HTTP_CACHE=False):
            client.get(url)
            with CaptureQueriesContext(connection) as warm:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            runner.facts["queries"][label] = {
                "cache_off": len(warm),
                "bytes": len(response.content),
            }
            runner.time(f"render: {label}, page cache off", get(client, url), runs=RENDERS)
        with override_settings(NEWSROOM_HTTP_CACHE=True):
            cache.clear()
            client.get(url)
            with CaptureQueriesContext(connection) as hit:
                response = client.get(url)
            assert response["X-Newsroom-Cache"] == "hit"
            runner.facts["queries"][label]["cache_on_hit"] = len(hit)
            runner.time(f"cached: {label}, page cache on (hit)", get(client, url), runs=RENDERS)
        cache.clear()


def over_http(runner: Runner, urls: dict[str, str]) -> None:
    from django.db import connections

    if not have_wrk():
        runner.facts["http"] = (
            "skipped: wrk is not installed and could not be (apt-get install wrk)"
        )
        print(f"  HTTP load test {runner.facts['http']}")
        return
    duration, runs = os.environ.get("DURATION", "15s"), int(os.environ.get("RUNS", "3"))
    database = connections["default"].settings_dict["NAME"]
    connections["default"].close()
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-api-"))
    try:
        collectstatic(production_env(database, workdir, page_cache=True))
        runner.facts["http"] = {
            "server": "gunicorn -w 2 -k sync --no-control-socket (newsroom.settings.production)",
            "load": f"wrk -t2 -c8 -d{duration} --latency, {runs} runs after a 5 s warm-up",
        }
        for label, url in urls.items():
            for cache_label, page_cache in (("page cache on", True), ("page cache off", False)):
                env = production_env(database, workdir, page_cache)
                env["NEWSROOM_API_ANON_RATE"] = "100000000/min"
                name = f"{label}, {cache_label}"
                runner.facts["http"][name] = load(name, url, env, workdir, duration, runs)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def table(runner: Runner, urls: dict[str, str]) -> None:
    http = runner.facts.get("http") if isinstance(runner.facts.get("http"), dict) else {}
    renders = {t.label: t.median_ms for t in runner.timings}
    nan = float("nan")
    print(
        f"\n  {'target':<44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'queries':>8} {'render':>9}"
    )
    for label in urls:
        queries = runner.facts["queries"][label]
        for cache_label, key, timing in (
            ("page cache on", "cache_on_hit", f"cached: {label}, page cache on (hit)"),
            ("page cache off", "cache_off", f"render: {label}, page cache off"),
        ):
            result = http.get(f"{label}, {cache_label}")
            m = result["median"] if result else {"rps": nan, "p50_ms": nan, "p99_ms": nan}
            print(
                f"  {label + ', ' + cache_label:<44} {m['rps']:>8.0f} {m['p50_ms']:>8.1f} "
                f"{m['p99_ms']:>8.1f} {queries[key]:>8} {renders.get(timing, nan):>7.2f} ms"
            )


@benchmark("api")
def api(runner: Runner) -> None:
    url = fill(runner)
    urls = api_urls(url)
    runner.facts["article_url"] = url
    runner.facts["urls"] = urls
    in_process(runner, urls)
    over_http(runner, urls)
    table(runner, urls)
