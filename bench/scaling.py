"""Archive scaling: every public page, feed and sitemap, the admin changelist and the desk,
timed with 1,000 stories, then again after the archive has grown to 100,000.

    make bench BENCH_ARGS=scaling                          # 1,000 -> 100,000 on SQLite
    SCALING_SIZES=1000,1000000 make bench-postgres BENCH_ARGS=scaling   # once, on PostgreSQL

The stories are the ones ``bench/feeds.py`` generates (eight short paragraphs, a byline from
200 writers, two of 40 tags, a lead photo on every third, a correction on every 50th), plus a
confirmed quote on every tenth from 50 sources, and a fixed handful of drafts, stories waiting
for an editor, scheduled, unpublished and killed ones for the desk. The archive grows
backwards in time: the newest 1,500 stories (the last 48 hours) are the same at every size,
so the front page shows the same stories whether 1,000 or 1,000,000 lie behind it.

Each request is timed in-process with Django's test client, page cache off (the view's own
work), median of ``--runs``; its SQL query count is recorded at each size. After each growth
step the database gathers statistics (``ANALYZE``; ``VACUUM ANALYZE`` on PostgreSQL, as
autovacuum would).
"""

import os
import random
import time
import tracemalloc
from datetime import timedelta

from bench import Runner, benchmark
from bench.feeds import PARAGRAPH, PEOPLE, RECENT, SECTIONS, TAGS, get
from bench.serve import busy_cpu_seconds

SIZES = [int(n) for n in os.environ.get("SCALING_SIZES", "1000,100000").split(",")]
BATCH = 5_000
SOURCES = 50
# Twenty stories among the newest thousand carry a rare tag and a rare word: the same page of
# results at every size, however many stories lie behind them.
RARE = set(range(0, 1000, 50))
LIGHTHOUSE_DEK = "The lighthouse keepers' pay talks resume."
SEARCH = "lighthouse"

PAGES = {
    "front page /": "/",
    "article page": "{article}",
    "section page /section/world/": "/section/world/",
    "section, oldest page": "/section/world/{section_last}",
    "tag page /tag/topic-7/": "/tag/topic-7/",
    "tag page, a rare tag (20 stories)": "/tag/rare-topic/",
    "author page /people/reporter-0/": "/people/reporter-0/",
    "source page /people/source-0/quoted/": "/people/source-0/quoted/",
    "search /search/?q=lighthouse": "/search/?q=lighthouse",
    "latest RSS /feeds/rss/": "/feeds/rss/",
    "latest Atom /feeds/atom/": "/feeds/atom/",
    "section RSS": "/feeds/section/world/rss/",
    "tag Atom": "/feeds/tag/topic-7/atom/",
    "author RSS": "/feeds/people/reporter-0/rss/",
    "quoted-in RSS": "/feeds/people/source-0/quoted/rss/",
    "sitemap index /sitemap.xml": "/sitemap.xml",
    "news sitemap /sitemap-news.xml": "/sitemap-news.xml",
    "article sitemap, newest page": "{sitemap_last}",
    "tag sitemap": "/sitemap-tags.xml",
    "author sitemap": "/sitemap-authors.xml",
    "robots.txt": "/robots.txt",
}
STAFF_PAGES = {
    "admin changelist": "/admin/articles/article/",
    "admin changelist search": "/admin/articles/article/?q=lighthouse",
    "desk /desk/": "/desk/",
    "desk, filtered by words": "/desk/?q=lighthouse",
}


def grow(start: int, end: int, context: dict) -> None:
    """Stories ``start`` to ``end - 1`` (higher numbers are older), with their rows."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from taggit.models import TaggedItem

    from articles.models import Article, Byline, Correction, Quote, Status

    rng = random.Random(start)
    now = context["now"]
    body = [{"type": "paragraph", "html": PARAGRAPH}] * 8
    article_type = ContentType.objects.get_for_model(Article)
    for first in range(start, end, BATCH):
        numbers = range(first, min(first + BATCH, end))
        with transaction.atomic():
            stories = []
            for n in numbers:
                if n < RECENT:
                    published = now - timedelta(minutes=1 + n * 47 * 60 // RECENT)
                else:
                    published = now - timedelta(days=2, minutes=n * 7)
                stories.append(
                    Article(
                        headline=f"Talks continue as deadline nears, story {n}",
                        slug=f"talks-continue-{n}",
                        dek=LIGHTHOUSE_DEK if n in RARE else "Negotiators say a deal is close.",
                        body=body,
                        body_text=PARAGRAPH,
                        section=context["sections"][n % len(SECTIONS)],
                        lead_photo=context["photos"][n % 50] if n % 3 == 0 else None,
                        status=Status.PUBLISHED,
                        published_at=published,
                        first_published_at=published,
                        created_at=published,
                        updated_at=published,
                    )
                )
            stories = Article.objects.bulk_create(stories, batch_size=1000)
            people, sources, tags = context["people"], context["sources"], context["tags"]
            # Reporter 0 writes every tenth story and source 0 is quoted in every twentieth, so
            # their pages are full at every size.
            Byline.objects.bulk_create(
                Byline(article=story, person=people[0 if n % 10 == 0 else n % PEOPLE], position=0)
                for n, story in zip(numbers, stories, strict=True)
            )
            TaggedItem.objects.bulk_create(
                TaggedItem(tag=tag, content_type=article_type, object_id=story.pk)
                for n, story in zip(numbers, stories, strict=True)
                for tag in rng.sample(tags, 2) + ([context["rare"]] if n in RARE else [])
            )
            Quote.objects.bulk_create(
                Quote(article=story, speaker=sources[0 if n % 20 == 0 else n // 10 % SOURCES],
                      text="We are close.", position=1, confirmed=True)
                for n, story in zip(numbers, stories, strict=True)
                if n % 10 == 0
            )  # fmt: skip
            Correction.objects.bulk_create(
                Correction(article=story, note="A name was misspelt.")
                for n, story in zip(numbers, stories, strict=True)
                if n % 50 == 0
            )


def setup() -> dict:
    """Sections, writers, sources, tags, photos, an editor, and the desk's unpublished stories."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from taggit.models import Tag

    from articles.models import Article, Photo, Quote, RelatedHeadline, Section, Status
    from people.models import Person

    now = timezone.now()
    sections = Section.objects.bulk_create(
        Section(name=name, slug=name.lower(), position=i) for i, name in enumerate(SECTIONS)
    )
    people = Person.objects.bulk_create(
        Person(name=f"Reporter {i}", normalised_name=f"reporter {i}", slug=f"reporter-{i}")
        for i in range(PEOPLE)
    )
    sources = Person.objects.bulk_create(
        Person(name=f"Source {i}", normalised_name=f"source {i}", slug=f"source-{i}")
        for i in range(SOURCES)
    )
    tags = Tag.objects.bulk_create(Tag(name=f"Topic {i}", slug=f"topic-{i}") for i in range(TAGS))
    rare = Tag.objects.create(name="Rare topic", slug="rare-topic")
    photos = Photo.objects.bulk_create(
        Photo(image=f"photos/bench/{i}.jpg", width=1600, height=1000, caption=f"Caption {i}",
              credit="Bench Agency", alt_text=f"Photo {i}")
        for i in range(50)
    )  # fmt: skip
    editor = get_user_model().objects.create_superuser("bench-editor", password="bench-pw-1")
    desk = []
    for i, (status, when) in enumerate(
        [(Status.DRAFT, None)] * 60
        + [(Status.READY, None)] * 20
        + [(Status.PUBLISHED, now + timedelta(hours=6))] * 10
        + [(Status.UNPUBLISHED, now - timedelta(days=3))] * 10
        + [(Status.KILLED, now - timedelta(days=3))] * 10
    ):
        desk.append(
            Article(
                headline=f"Desk story {i}",
                slug=f"desk-story-{i}",
                body=[{"type": "paragraph", "html": PARAGRAPH}],
                body_text=PARAGRAPH,
                section=sections[i % len(sections)],
                status=status,
                published_at=when,
                created_by=editor,
            )
        )
    desk = Article.objects.bulk_create(desk)
    RelatedHeadline.objects.bulk_create(
        RelatedHeadline(article=story, headline=f"Unresolved {i}", position=i)
        for i, story in enumerate(desk[:30])
    )
    Quote.objects.bulk_create(
        Quote(article=story, speaker=sources[i], text="Maybe.", confirmed=False)
        for i, story in enumerate(desk[:30])
    )
    return {
        "now": now,
        "sections": sections,
        "people": people,
        "sources": sources,
        "tags": tags,
        "rare": rare,
        "photos": photos,
        "editor": editor,
    }


def write_pages() -> int:
    """The stored pages of the stories the measured feeds and pages show, as publishing writes
    them (writing all 100,000 would take most of an hour; no measured request reads others)."""
    from articles.models import Article
    from articles.readmodel import rebuild

    public = Article.objects.published().latest_first()
    shown = [
        public,
        public.filter(section__slug="world"),
        public.tagged("topic-7"),
        public.filter(bylines__person__slug="reporter-0"),
        public.filter(quotes__speaker__slug="source-0", quotes__confirmed=True),
    ]
    ids = {pk for stories in shown for pk in stories.values_list("pk", flat=True)[:60]}
    return rebuild(sorted(ids))


def analyze() -> None:
    """Statistics for the planner, and on PostgreSQL a VACUUM that also merges the new rows
    into the search index (its GIN pending list), as autovacuum soon would."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def urls() -> dict[str, str]:
    """The pages whose address depends on the data: a story, the deepest pages."""
    from articles.models import Article
    from articles.syndication.sitemaps import article_sitemap_pages

    story = Article.objects.published().latest_first()[40]
    # Following "Older" links to the end takes thousands of requests at 1,000,000 stories: ask
    # for the oldest page directly, as a reader who followed them all would see it.
    oldest = Article.objects.published().filter(section__slug="world").order_by("published_at")
    cursor = list(oldest.values_list("pk", flat=True)[:21])
    pages = article_sitemap_pages()
    return {
        "article": story.get_absolute_url(),
        "section_last": f"?before={cursor[-1]}" if len(cursor) == 21 else "",
        "sitemap_last": f"/sitemap-articles.xml?p={pages}",
    }


def measure(runner: Runner, size: int, client, staff) -> None:
    from django.test import override_settings

    started, busy = time.monotonic(), busy_cpu_seconds()
    mine = time.process_time()
    found = urls()
    with override_settings(NEWSROOM_HTTP_CACHE=False):
        for label, url in PAGES.items():
            runner.time(f"{size}: {label}", get(client, url.format(**found)))
        for label, url in STAFF_PAGES.items():
            runner.time(f"{size}: {label}", get(staff, url))
        runner.time(
            f"{size}: article sitemap, first page (up to 50,000 URLs)",
            get(client, "/sitemap-articles.xml"),
            runs=3,
        )
        runner.facts.setdefault("sitemap_memory", {})[size] = sitemap_memory(client)
    # How much of the machine other processes took meanwhile (the figures are wall time).
    wall, cores = time.monotonic() - started, os.cpu_count() or 1
    others = busy_cpu_seconds() - busy - (time.process_time() - mine)
    runner.facts.setdefault("other_cpu_share", {})[size] = round(max(others, 0) / (wall * cores), 2)
    print(f"  other processes used {runner.facts['other_cpu_share'][size]:.0%} of the CPU")


def sitemap_memory(client) -> dict:
    """Peak Python memory while the first article sitemap page streams, and its size."""
    tracemalloc.start()
    response = client.get("/sitemap-articles.xml")
    size = sum(len(chunk) for chunk in response.streaming_content)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"bytes": size, "peak_python_memory_kb": round(peak / 1024)}


@benchmark("scaling")
def scaling(runner: Runner) -> None:
    from django.db import connection
    from django.test import Client

    if connection.vendor != "sqlite":
        runner.name = f"scaling-{connection.vendor}"  # its own results file
    context = setup()
    client, staff = Client(), Client()
    staff.force_login(context["editor"])
    runner.facts.update(database=connection.vendor, sizes=SIZES, search=SEARCH)
    grown = 0
    for size in SIZES:
        started = time.perf_counter()
        grow(grown, size, context)
        grown = size
        write_pages()
        analyze()
        seconds = round(time.perf_counter() - started, 1)
        runner.facts.setdefault("fill_seconds", {})[size] = seconds
        print(f"  -- {size:,} published stories (grown in {seconds} s)", flush=True)
        measure(runner, size, client, staff)
    table(runner)


def table(runner: Runner) -> None:
    by_label: dict[str, dict[int, object]] = {}
    for timing in runner.timings:
        size, label = timing.label.split(": ", 1)
        by_label.setdefault(label, {})[int(size)] = timing
    small, large = SIZES[0], SIZES[-1]
    print(f"\n  {'request':<48} " + " ".join(f"{n:>10,}" for n in SIZES) + "   ratio  queries")
    rows = []
    for label, timings in by_label.items():
        if set(timings) != set(SIZES):
            continue
        a, b = timings[small], timings[large]
        ratio = b.median_ms / a.median_ms if a.median_ms else float("nan")
        rows.append(
            {"request": label, "p50_ms": {n: timings[n].median_ms for n in SIZES},
             "ratio": round(ratio, 2), "queries": {n: timings[n].queries for n in SIZES}}
        )  # fmt: skip
        print(
            f"  {label:<48} "
            + " ".join(f"{timings[n].median_ms:>8.1f}ms" for n in SIZES)
            + f" {ratio:>6.2f}x "
            + "/".join(str(timings[n].queries) for n in SIZES)
        )
    runner.facts["table"] = rows
