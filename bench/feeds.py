"""Feeds and sitemaps with 100,000 published stories.

Times, in-process with Django's test client (as the Wagtail anchor's render timing does), the
news sitemap, the latest RSS/Atom feeds, a section feed, the sitemap index and one 50,000-URL
article sitemap page: first the view's real work (HTTP cache layer off), then what a reader
gets once the whole-page cache is warm, then a conditional request answered with 304.
"""

import random
from datetime import timedelta

from bench import Runner, benchmark

STORIES = 100_000
SECTIONS = ["World", "Politics", "Business", "Science", "Sport", "Culture", "Opinion", "Local"]
PEOPLE = 200
TAGS = 40
RECENT = 1_500  # in the last 48 hours: more than the news sitemap's 1,000 limit
BATCH = 5_000

PARAGRAPH = (
    "Officials said on Tuesday that talks would continue into the evening, and that a "
    '<em>draft agreement</em> could be published <a href="https://example.org/">online</a> '
    "before the weekend if the remaining questions on funding were settled."
)


def fill(runner: Runner) -> None:
    """100,000 published stories with bylines, tags, lead photos and some corrections."""
    from django.db import transaction
    from django.utils import timezone
    from taggit.models import Tag, TaggedItem

    from articles.models import Article, Byline, Correction, Photo, Rendition, Section, Status
    from people.models import Person

    rng = random.Random(6)
    now = timezone.now()
    with transaction.atomic():
        sections = Section.objects.bulk_create(
            Section(name=name, slug=name.lower(), position=i) for i, name in enumerate(SECTIONS)
        )
        people = Person.objects.bulk_create(
            Person(name=f"Reporter {i}", normalised_name=f"reporter {i}", slug=f"reporter-{i}")
            for i in range(PEOPLE)
        )
        tags = Tag.objects.bulk_create(
            Tag(name=f"Topic {i}", slug=f"topic-{i}") for i in range(TAGS)
        )
        photos = Photo.objects.bulk_create(
            Photo(
                image=f"photos/bench/{i}.jpg",
                width=1600,
                height=1000,
                caption=f"Caption {i}",
                credit="Bench Agency",
                alt_text=f"Photo {i}",
            )
            for i in range(50)
        )
        # Each photo's feed rendition, public as a published story's would be (rows only: the
        # benchmark never fetches the files).
        Rendition.objects.bulk_create(
            Rendition(
                photo=photo,
                spec="w1200",
                format="jpeg",
                file=f"renditions/bench/{photo.pk}-w1200.jpg",
                public_file=f"renditions/bench-public/{photo.pk}/w1200.jpg",
                width=1200,
                height=750,
            )
            for photo in photos
        )
        body = [{"type": "paragraph", "html": PARAGRAPH}] * 8
        for start in range(0, STORIES, BATCH):
            batch = []
            for n in range(start, min(start + BATCH, STORIES)):
                if n < RECENT:
                    published = now - timedelta(minutes=1 + n * 47 * 60 // RECENT)
                else:
                    published = now - timedelta(days=2, minutes=n * 7)
                batch.append(
                    Article(
                        headline=f"Talks continue as deadline nears, story {n}",
                        slug=f"talks-continue-{n}",
                        dek="Negotiators say a deal is close.",
                        body=body,
                        body_text=PARAGRAPH,
                        section=sections[n % len(sections)],
                        lead_photo=photos[n % len(photos)] if n % 3 == 0 else None,
                        status=Status.PUBLISHED,
                        published_at=published,
                        first_published_at=published,
                        created_at=published,
                        updated_at=published,
                    )
                )
            Article.objects.bulk_create(batch, batch_size=1000)
        ids = list(Article.objects.values_list("id", flat=True))
        Byline.objects.bulk_create(
            (Byline(article_id=pk, person=people[pk % PEOPLE], position=0) for pk in ids),
            batch_size=BATCH,
        )
        from django.contrib.contenttypes.models import ContentType

        article_type = ContentType.objects.get_for_model(Article)
        TaggedItem.objects.bulk_create(
            (
                TaggedItem(tag=tag, content_type=article_type, object_id=pk)
                for pk in ids
                for tag in rng.sample(tags, 2)
            ),
            batch_size=BATCH,
        )
        Correction.objects.bulk_create(
            (Correction(article_id=pk, note="A name was misspelt.") for pk in ids[::50]),
            batch_size=BATCH,
        )
    runner.facts.update(
        stories=Article.objects.published().count(),
        in_news_window=Article.objects.published()
        .filter(published_at__gte=now - timedelta(hours=48))
        .count(),
        bylines=Byline.objects.count(),
        tagged_items=TaggedItem.objects.count(),
    )


def get(client, url, **headers):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, **headers)
            assert response.status_code in (200, 304), (url, response.status_code)
            if response.streaming:  # the article sitemap: its rows are read as it is sent
                size = sum(len(chunk) for chunk in response.streaming_content)
            else:
                size = len(response.content)
        return len(queries), size

    return run


@benchmark("feeds")
def feeds(runner: Runner) -> None:
    import time

    from django.core.cache import cache
    from django.test import Client, override_settings

    started = time.perf_counter()
    fill(runner)
    runner.facts["fill_seconds"] = round(time.perf_counter() - started, 1)
    print(f"  filled {runner.facts['stories']:,} stories in {runner.facts['fill_seconds']} s")

    client = Client()
    urls = {
        "news sitemap (/sitemap-news.xml)": "/sitemap-news.xml",
        "latest RSS (/feeds/rss/)": "/feeds/rss/",
        "latest Atom (/feeds/atom/)": "/feeds/atom/",
        "section RSS (/feeds/section/world/rss/)": "/feeds/section/world/rss/",
        "tag Atom (/feeds/tag/topic-7/atom/)": "/feeds/tag/topic-7/atom/",
        "sitemap index (/sitemap.xml)": "/sitemap.xml",
    }
    print("  -- rendered by the view (HTTP cache layer off)")
    with override_settings(NEWSROOM_HTTP_CACHE=False):
        for label, url in urls.items():
            runner.time(f"render: {label}", get(client, url))
        runner.time(
            "render: article sitemap page 1 (50,000 URLs)",
            get(client, "/sitemap-articles.xml"),
            runs=2,
        )
    print("  -- through the HTTP cache layer (whole-page cache warm, then 304)")
    with override_settings(NEWSROOM_HTTP_CACHE=True):
        cache.clear()
        for label, url in urls.items():
            runner.time(f"cached: {label}", get(client, url))
        etag = client.get("/feeds/rss/")["ETag"]
        runner.time(
            "304: latest RSS with If-None-Match",
            get(client, "/feeds/rss/", HTTP_IF_NONE_MATCH=etag),
        )
