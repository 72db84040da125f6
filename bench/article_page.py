"""One article page against the team's Wagtail anchor, measured side by side in one run.

The anchor (``../shared/bench/wagtail_anchor/``) serves a Wagtail 8.0.1 news page with gunicorn
(2 sync workers, SQLite, 1,000 articles) and loads it with ``wrk -t2 -c8``. This benchmark fills
the demo content plus 1,000 generated published stories of the same shape (8 paragraphs of about
730 words with links and italics, 3 inline related headlines, 1-3 bylines, 3-5 tags from 40, one
shared lead photo whose renditions are made once), writes their stored pages as publishing
does, seeds the anchor's own 1,000 articles (``bench/anchor.py``), then:

1. in-process, with Django's test client: SQL queries for one warm render and the median render
   time, with the whole-page cache off (every request renders) and on (a cache hit); the
   anchor's queries (its own ``tools/count_queries.py``) and render time, measured the same way;
2. over HTTP: gunicorn with the production settings, ``-w 2 -k sync`` on 127.0.0.1 as in the
   anchor, a 5 s ``wrk`` warm-up, then ``RUNS`` x ``wrk -t2 -c8 -d$DURATION --latency`` (3 x 15s
   by default): with the page cache on; then with it off and the anchor's gunicorn running
   beside ours, ``wrk`` alternating between the two, so both see the same machine.

``DURATION=5s RUNS=1 make bench BENCH_ARGS=article-page`` is a quick run. Without ``wrk`` on the
PATH the benchmark installs it with apt-get when it runs as root (as the anchor's run.sh does);
when it cannot, the HTTP part is skipped and the output and JSON say so. Without the anchor (or
Python 3.11), the comparison is skipped and the output and JSON say why.
"""

import io
import os
import random
import re
import shutil
import subprocess
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench import Runner, anchor, benchmark
from bench.serve import alternate, collectstatic, load, newsroom, production_env

STORIES = 1_000
BENCHMARKED = 777  # the anchor benchmarks its article #777 too
WRITERS = 25
TAGS = 40
RENDERS = 50  # in-process renders per measurement

# The anchor's published figures (../shared/bench/wagtail_anchor/README.md, "Results", the run
# at 2026-11-27 23:54 UTC: 2 vCPUs, wrk on the same cores; medians of 3 x 15 s). Only for
# reference: the ratio that counts is the one measured in the same run.
ANCHOR_WAGTAIL = {
    "label": "Wagtail 8.0.1 article page (anchor)",
    "rps": 86.0,
    "p50_ms": 90.5,
    "p99_ms": 130.4,
    "queries": 12,
    "render_ms": 17.6,
    "html_bytes": 16_452,
}
ANCHOR_PLAIN_DJANGO = {
    "label": "plain Django 5.2, 20 KB string (anchor)",
    "rps": 6_403.0,
    "p50_ms": 1.16,
    "p99_ms": 2.01,
}

SUBJECTS = [
    "Union leaders", "City council", "Port authority", "Health ministry", "Court of appeal",
    "Regional water board", "Central bank", "Rail operator", "Farmers' cooperative",
    "Energy regulator",
]  # fmt: skip
VERBS = ["scales back", "pushes ahead with", "delays", "defends", "reviews", "rejects"]
OBJECTS = [
    "data privacy rules", "flood defence plan", "bus fare rise", "hospital merger",
    "grain export quota", "wind farm permits", "pension reform", "school building programme",
]  # fmt: skip
TAILS = ["ahead of election", "after long dispute", "as costs climb", "despite protests"]
PLACES = [("GENEVA", "AFP"), ("ROTTERDAM", "Reuters"), ("NAIROBI", "AP"), ("LIMA", "UPI")]
TOPICS = [
    "budget", "courts", "elections", "energy", "farming", "health", "housing", "labour",
    "migration", "rail", "schools", "science", "shipping", "tax", "technology", "tourism",
    "transport", "water", "weather", "wildlife",
]  # fmt: skip

# Eight original paragraphs of about 90 words; each story gets all eight, in its own order.
PARAGRAPH_OPENINGS = [
    "Officials said on Tuesday that the talks would run late into the evening",
    "The proposal, first floated in the spring, has divided the governing coalition",
    "Opposition members said the timetable left too little room for public comment",
    "Figures published by the statistics office last week showed costs rising faster",
    "Residents who spoke at a packed town hall meeting said they felt left out",
    "Analysts at two regional banks said the plan could still change before the vote",
    "A spokeswoman for the ministry declined to comment on the leaked draft",
    "The next round of negotiations is scheduled for the first week of next month",
]
PARAGRAPH_REST = (
    ", and that a <em>draft agreement</em> could be published "
    '<a href="https://example.org/report">online</a> before the weekend if the remaining '
    "questions on funding and oversight were settled in time. Several delegates described the "
    "mood as cautious but constructive, while others warned that the harder choices had only "
    "been postponed. A committee of independent experts is due to report on the likely costs, "
    "and its findings are expected to shape the final wording of the text that lawmakers will "
    "be asked to approve."
)


# -- filling the database -----------------------------------------------------------------


def fill(runner: Runner) -> str:
    """The demo content plus ``STORIES`` generated published stories; returns the page's URL."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify
    from taggit.models import Tag, TaggedItem

    from articles import body
    from articles.models import Article, Byline, Photo, Quote, RelatedHeadline, Section, Status
    from articles.photos import release
    from articles.photos.renditions import ensure_renditions
    from articles.readmodel import rebuild
    from newsroom.demo.loader import demo_image
    from people.models import Person

    call_command("seed_demo", stdout=io.StringIO())  # publishing needs its editor login
    rng = random.Random(777)
    now = timezone.now()
    sections = list(Section.objects.order_by("position"))
    with transaction.atomic():
        people = Person.objects.bulk_create(
            Person(name=f"Reporter {i}", normalised_name=f"reporter {i}", slug=f"reporter-{i}")
            for i in range(WRITERS)
        )
        speaker = Person.objects.create(name="Dana Okafor", description="a committee member")
        known = set(Tag.objects.values_list("slug", flat=True))
        names = [t for t in TOPICS if t not in known]
        names += [f"{a} {b}" for a in ("local", "national") for b in TOPICS]
        tags = Tag.objects.bulk_create(Tag(name=n, slug=slugify(n)) for n in names[:TAGS])
        # One shared lead photo, as in the anchor; its renditions are made here, once.
        photo = Photo(caption="Delegates arrive for the talks.", credit="Bench Agency/Newsroom")
        photo.alt_text = "Delegates walk past flags towards a conference hall."
        photo.image.save("bench-lead.jpg", demo_image((60, 90, 130), "bench-lead"), save=False)
        photo.save()
        ensure_renditions(photo)

        stories = []
        for n in range(STORIES):
            headline = (
                f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
                f"{rng.choice(TAILS)}"
            )
            paragraphs = [
                body.clean_body([{"type": "paragraph", "html": opening + PARAGRAPH_REST}])[0]
                for opening in rng.sample(PARAGRAPH_OPENINGS, len(PARAGRAPH_OPENINGS))
            ]
            published = now - timedelta(minutes=30 + n * 53)
            place, agency = rng.choice(PLACES)
            stories.append(
                Article(
                    headline=headline,
                    slug=f"{slugify(headline)}-{n}",
                    dek="Negotiators say a deal is close, but the hardest questions remain open.",
                    body=paragraphs,
                    body_text=body.body_text(paragraphs),
                    section=sections[n % len(sections)],
                    lead_photo=photo,
                    dateline_place=place,
                    dateline_agency=agency,
                    dateline_date=published.date(),
                    status=Status.PUBLISHED,
                    published_at=published,
                    first_published_at=published,
                )
            )
        stories = Article.objects.bulk_create(stories, batch_size=500)
        # bulk_create skips save(): fill the stories' photo read model, then put the shared
        # photo's renditions at their public addresses, as publishing would.
        Article.photos.through.objects.bulk_create(
            Article.photos.through(article_id=story.pk, photo_id=photo.pk) for story in stories
        )
        release.sync_photos([photo.pk])
        Byline.objects.bulk_create(
            Byline(article=story, person=person, position=i)
            for story in stories
            for i, person in enumerate(rng.sample(people, rng.choice((1, 1, 2, 3))))
        )
        article_type = ContentType.objects.get_for_model(Article)
        TaggedItem.objects.bulk_create(
            TaggedItem(tag=tag, content_type=article_type, object_id=story.pk)
            for story in stories
            for tag in rng.sample(tags, rng.randint(3, 5))
        )
        Quote.objects.bulk_create(
            Quote(
                article=story,
                speaker=speaker,
                text="Nobody wants to be the first to move, so nobody does.",
                speaker_description="a committee member",
                position=2,
                confirmed=True,
            )
            for story in stories
        )
        # Three inline related headlines per story, each pointing at an older story.
        links = RelatedHeadline.objects.bulk_create(
            RelatedHeadline(article=story, target=stories[(n + k) % STORIES], position=k)
            for n, story in enumerate(stories)
            for k in (1, 2, 3)
        )
        for n, story in enumerate(stories):
            ids = [link.pk for link in links[3 * n : 3 * n + 3]]
            blocks = story.body
            story.body = [
                *blocks[:2], {"type": "related", "id": ids[0]},
                *blocks[2:4], {"type": "related", "id": ids[1]},
                *blocks[4:6], {"type": "related", "id": ids[2]},
                *blocks[6:],
            ]  # fmt: skip
        Article.objects.bulk_update(stories, ["body"], batch_size=500)
    # What Publish stores for the related box; computed as it would be, story by story.
    for story in Article.objects.filter(pk__in=[s.pk for s in stories]):
        story.refresh_suggested_related()
    # What publishing writes for each story's page (articles/readmodel/).
    rebuild([s.pk for s in stories])
    target = Article.objects.published().select_related("section").get(pk=stories[BENCHMARKED].pk)
    runner.facts.update(
        stories=Article.objects.published().count(),
        bylines=Byline.objects.count(),
        tagged_items=TaggedItem.objects.count(),
        url=target.get_absolute_url(),
    )
    return runner.facts["url"]


# -- in-process: queries and render time ----------------------------------------------------


def page_facts(html: str) -> dict:
    """Counts that show the page has the anchor's parts (paragraphs, links, boxes)."""
    story = html.split('<div class="story-body">', 1)[-1].split("</div>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", story)
    return {
        "html_bytes": len(html.encode()),
        "body_words": len(text.split()),
        "paragraphs": story.count("<p>"),
        "inline_related_links": html.count('class="related-inline"'),
        "tags": html.count('rel="tag"'),
        "aside_links": html.split('<aside class="story-aside"', 1)[-1].count("<li>"),
    }


def in_process(runner: Runner, url: str) -> None:
    """Query counts and median render times with the Django test client."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from bench.feeds import get

    client = Client()

    def render():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return captured.captured_queries, response

    with override_settings(NEWSROOM_HTTP_CACHE=False):
        render()  # the first render fills Django's per-process caches (content types, templates)
        warm, response = render()
        runner.facts["page"] = page_facts(response.content.decode())
        runner.facts["queries"] = {"cache_off": len(warm)}
        runner.facts["warm_sql"] = [q["sql"][:300] for q in warm]
        print(f"  queries per render, page cache off: {len(warm)}")
        runner.time("render: article page, page cache off", get(client, url), runs=RENDERS)
    with override_settings(NEWSROOM_HTTP_CACHE=True):
        cache.clear()
        miss, _ = render()
        hit, response = render()
        assert response["X-Newsroom-Cache"] == "hit", response["X-Newsroom-Cache"]
        runner.facts["queries"].update(cache_on_miss=len(miss), cache_on_hit=len(hit))
        print(
            f"  queries per request, page cache on: {len(hit)} on a hit ({len(miss)} on the miss)"
        )
        runner.time("cached: article page, page cache on (hit)", get(client, url), runs=RENDERS)


def have_wrk() -> bool:
    """Whether ``wrk`` is on the PATH; as root on Debian, install it first, as the anchor does."""
    if shutil.which("wrk") is None and os.geteuid() == 0 and shutil.which("apt-get"):
        print("  installing wrk (apt-get install -y wrk)", flush=True)
        command = ["apt-get", "install", "-y", "-qq", "wrk"]
        subprocess.run(command, capture_output=True, check=False)
    return shutil.which("wrk") is not None


def seed_anchor(runner: Runner, workdir: Path) -> str | None:
    """The anchor's site with its 1,000 articles in ``workdir``; its URL, or None (and why)."""
    reason = anchor.missing()
    if reason:
        runner.facts["anchor"]["same_run"] = f"skipped: {reason}"
        print(f"  anchor: {runner.facts['anchor']['same_run']}")
        return None
    started = time.perf_counter()
    data = workdir / "anchor"
    url = anchor.seed(data)
    found = anchor.queries(data, url)
    found["render_ms"] = anchor.render_ms(data, url, RENDERS)
    runner.facts["anchor"]["same_run"] = {"url": url, **found}
    print(
        f"  anchor: {anchor.ARTICLES:,} articles seeded in {time.perf_counter() - started:.0f} s; "
        f"{found['warm']} queries per render, {found['render_ms']} ms in-process, "
        f"{found['html_bytes']:,} bytes"
    )
    return url


def over_http(runner: Runner, url: str) -> None:
    """gunicorn + wrk: page cache on; then page cache off, alternating with the anchor."""
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
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-http-"))
    try:
        anchor_url = seed_anchor(runner, workdir)
        collectstatic(production_env(database, workdir, page_cache=True))
        runner.facts["http"] = {
            "server": "gunicorn -w 2 -k sync --no-control-socket (newsroom.settings.production)",
            "load": f"wrk -t2 -c8 -d{duration} --latency, {runs} runs after a 5 s warm-up",
        }
        env = production_env(database, workdir, page_cache=True)
        runner.facts["http"]["page cache on"] = load(
            "page cache on", url, env, workdir, duration, runs
        )
        uncached = newsroom("page cache off", production_env(database, workdir, False), url)
        if anchor_url is None:
            runner.facts["http"]["page cache off"] = load(
                "page cache off", url, uncached.env, workdir, duration, runs
            )
            return
        side_by_side = alternate(
            [uncached, anchor.target(workdir / "anchor", anchor_url)], workdir, duration, runs
        )
        runner.facts["http"].update(side_by_side)
        ours, theirs = side_by_side["page cache off"], side_by_side[anchor.LABEL]
        runner.facts["http"]["uncached_vs_anchor"] = {
            "ratio_of_medians": round(ours["median"]["rps"] / theirs["median"]["rps"], 2),
            "ratio_per_round": [
                round(a["rps"] / b["rps"], 2)
                for a, b in zip(ours["runs"], theirs["runs"], strict=True)
            ],
            "other_cpu_share_max": max(r["other_cpu_share"] for r in ours["runs"] + theirs["runs"]),
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# -- the benchmark ------------------------------------------------------------------------


def table(runner: Runner) -> None:
    """Newsroom's figures next to the anchor's, measured in the same run where possible."""
    http = runner.facts.get("http") if isinstance(runner.facts.get("http"), dict) else {}
    renders = {t.label: t.median_ms for t in runner.timings}
    queries = runner.facts["queries"]
    same_run = runner.facts["anchor"].get("same_run")
    same_run = same_run if isinstance(same_run, dict) else {}
    rows = [
        (
            "Newsroom article page, page cache on",
            http.get("page cache on"),
            queries["cache_on_hit"],
            renders.get("cached: article page, page cache on (hit)"),
        ),
        (
            "Newsroom article page, page cache off",
            http.get("page cache off"),
            queries["cache_off"],
            renders.get("render: article page, page cache off"),
        ),
        (
            f"{anchor.LABEL}, this run",
            http.get(anchor.LABEL),
            same_run.get("warm", ""),
            same_run.get("render_ms"),
        ),
    ]
    print(
        f"\n  {'target':<42} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'queries':>8} {'render':>9}"
    )
    nan = float("nan")
    for label, result, count, render_ms in rows:
        m = result["median"] if result else {"rps": nan, "p50_ms": nan, "p99_ms": nan}
        render_ms = nan if render_ms is None else render_ms
        print(
            f"  {label:<42} {m['rps']:>8.0f} {m['p50_ms']:>8.1f} {m['p99_ms']:>8.1f} "
            f"{count!s:>8} {render_ms:>7.2f} ms"
        )
    for published in (ANCHOR_WAGTAIL, ANCHOR_PLAIN_DJANGO):
        count = published.get("queries", "")
        render_ms = f"{published['render_ms']:>7.2f} ms" if "render_ms" in published else ""
        print(
            f"  {published['label'] + ', published':<42} {published['rps']:>8,.0f} "
            f"{published['p50_ms']:>8.1f} {published['p99_ms']:>8.1f} {count!s:>8} {render_ms:>9}"
        )
    ratio = http.get("uncached_vs_anchor")
    if ratio:
        print(
            f"\n  page cache off vs the anchor, same run: {ratio['ratio_of_medians']}x "
            f"(rounds: {', '.join(f'{r}x' for r in ratio['ratio_per_round'])}; "
            f"other processes used up to {ratio['other_cpu_share_max']:.0%} of the CPU)"
        )


@benchmark("article-page")
def article_page(runner: Runner) -> None:
    started = time.perf_counter()
    url = fill(runner)
    runner.facts["fill_seconds"] = round(time.perf_counter() - started, 1)
    print(
        f"  filled {runner.facts['stories']:,} stories in {runner.facts['fill_seconds']} s; {url}"
    )
    runner.facts["anchor"] = {
        "published": {"wagtail": ANCHOR_WAGTAIL, "plain_django": ANCHOR_PLAIN_DJANGO}
    }
    in_process(runner, url)
    over_http(runner, url)
    table(runner)
