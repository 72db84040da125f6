"""Concurrency and load against a real server (issue 11, defect 10 and the standing suite).

One gunicorn (2 workers x 8 threads, production settings) on its own database: a SQLite file
in WAL mode on the SQLite run, a fresh PostgreSQL database on the PostgreSQL run. Ten editors
save the same story at the same moment: exactly one wins, the other nine are refused with their
text kept, none gets a 500. Ten publish it at once: one publish. Then readers load pages, feeds
and search while editors publish and correct: no server error at all.
"""

import random
import threading
import time

import pytest

from tests.security.standalone import Browser, StandaloneSite, form_fields

pytestmark = pytest.mark.services

K = 10
LOAD_SECONDS = 15
SEED = """
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from articles.models import Article
from tests import factories

chief = get_user_model().objects.create_user("chief", password="concurrency-pw", is_staff=True)
chief.groups.add(Group.objects.get(name="Editor"))
contested = factories.article("The contested story", paragraphs=("First words.",))
live = [
    factories.published(f"Live story {n}", hours_ago=n + 1, by=chief, paragraphs=(f"Text {n}.",))
    for n in range(12)
]
for story in live[:4]:
    story.tags.add("harbour")
drafts = [factories.article(f"Waiting story {n}") for n in range(40)]
print(json.dumps({
    "contested": contested.pk,
    "live": [s.get_absolute_url() for s in live],
    "live_ids": [s.pk for s in live],
    "drafts": [s.pk for s in drafts],
}))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory, django_db_blocker):
    with django_db_blocker.unblock():
        server = StandaloneSite(tmp_path_factory.mktemp("standalone"))
    try:
        server.start()
        server.seeded = server.run_django(SEED)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def chief(site):
    browser = Browser(site)
    browser.login("chief", "concurrency-pw")
    return browser


def at_once(calls) -> list:
    """Run the calls in threads that start together; their results, in order."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(n, call):
        barrier.wait()
        results[n] = call()

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_ten_simultaneous_saves_have_one_winner_and_keep_every_text(site, chief):
    pk = site.seeded["contested"]
    path = f"/admin/articles/article/{pk}/change/"
    status, page, _ = chief.request(path)
    assert status == 200
    fields = [(k, v) for k, v in form_fields(page) if k not in ("headline", "body")]

    def save(n):
        body = f'[{{"type": "paragraph", "html": "Editor {n} rewrote the story."}}]'
        data = [*fields, ("headline", f"Take number {n}"), ("body", body), ("_save", "Save")]
        return chief.clone().request(path, data)

    results = at_once([lambda n=n: save(n) for n in range(K)])
    statuses = [status for status, _, _ in results]
    print(f"\n{site.vendor}: {K} simultaneous saves answered {sorted(statuses)}")
    assert all(status < 500 for status in statuses), statuses
    assert statuses.count(302) == 1 and statuses.count(200) == K - 1
    for n, (status, html, _) in enumerate(results):
        if status == 200:
            assert "Not saved" in html and f"Take number {n}" in html  # their text, still there

    state = site.run_django(
        f"""
from articles.models import Article
story = Article.objects.get(pk={pk})
kept = sorted(r.snapshot["headline"] for r in story.revisions.filter(kind="unsaved"))
print(json.dumps({{"headline": story.headline, "version": story.version, "kept": kept}}))
"""
    )
    winner = state["headline"]
    assert winner.startswith("Take number") and state["version"] == 2
    losers = sorted(f"Take number {n}" for n in range(K) if f"Take number {n}" != winner)
    assert state["kept"] == losers
    assert site.tracebacks() == []


def test_ten_simultaneous_publishes_are_one_publish(site, chief):
    pk = site.seeded["drafts"][0]
    path = f"/admin/articles/article/{pk}/workflow/"
    chief.request(f"/admin/articles/article/{pk}/change/")
    data = [("action", "publish"), ("csrfmiddlewaretoken", chief.csrf())]
    results = at_once([lambda: chief.clone().request(path, data) for _ in range(K)])
    statuses = [status for status, _, _ in results]
    print(f"\n{site.vendor}: {K} simultaneous publishes answered {sorted(statuses)}")
    assert all(status == 302 for status in statuses), statuses
    state = site.run_django(
        f"""
from articles.models import Article
story = Article.objects.get(pk={pk})
steps = story.history.filter(to_status="published").count()
print(json.dumps({{"status": story.status, "steps": steps, "version": story.version}}))
"""
    )
    assert state == {"status": "published", "steps": 1, "version": 2}
    assert site.tracebacks() == []


def test_readers_see_no_server_error_while_editors_publish_and_correct(site, chief):
    seeded = site.seeded
    pages = [
        "/",
        "/section/world/",
        "/tag/harbour/",
        "/feeds/rss/",
        "/feeds/atom/",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/search/?q=story",
        *seeded["live"],
    ]
    statuses: list[int] = []
    desk: list[int] = []
    stop = time.monotonic() + LOAD_SECONDS

    def reader():
        browser = Browser(site)
        while time.monotonic() < stop:
            statuses.append(browser.request(random.choice(pages))[0])

    def editor():
        drafts, live = list(seeded["drafts"][1:]), list(seeded["live_ids"])
        browser = chief.clone()
        while time.monotonic() < stop and drafts:
            pk = drafts.pop()
            for action, story, note in (
                ("publish", pk, ""),
                ("correct", random.choice(live), "A date was wrong."),
            ):
                data = [
                    ("action", action),
                    ("note", note),
                    ("kind", "correction"),
                    ("csrfmiddlewaretoken", browser.csrf()),
                ]
                desk.append(browser.request(f"/admin/articles/article/{story}/workflow/", data)[0])
            time.sleep(0.3)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    threads += [threading.Thread(target=editor) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    errors = [s for s in statuses + desk if s >= 500]
    print(
        f"\n{site.vendor}: {len(statuses)} reader requests and {len(desk)} desk steps in "
        f"{LOAD_SECONDS} s, {len(errors)} server errors"
    )
    assert errors == [] and site.tracebacks() == []
    assert len(statuses) > 100 and len(desk) > 10
    assert set(desk) == {302}
