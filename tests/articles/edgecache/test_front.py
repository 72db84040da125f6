"""The WSGI front (``newsroom.wsgi.application``): hits answered before Django's handler runs,
with the same bytes and headers the middleware gives; everything else handed to Django."""

import io
import logging

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from newsroom.monitoring import metrics
from newsroom.wsgi import application
from tests import factories

pytestmark = pytest.mark.django_db


class Answer:
    def __init__(self, status: str, headers: list, body: bytes):
        self.status, self.body = status, body
        self.headers = dict(headers)

    @property
    def cache(self) -> str:
        return self.headers.get("X-Newsroom-Cache", "")


def call(path: str, method: str = "GET", **headers) -> Answer:
    """One request through the WSGI application gunicorn serves."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **headers,
    }
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started.update(status=status, headers=response_headers)

    # As Django's test client does: the handler's signals must not close the connection that
    # holds the test's transaction (PostgreSQL would lose it).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = application(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return Answer(started["status"], started["headers"], body)


@pytest.fixture
def story(editor, commit):
    with commit():
        return factories.published("Ferry timetable changes", by=editor)


@pytest.fixture
def djangos_handler_runs():
    """How many requests reached Django's handler (its ``request_started`` signal)."""
    seen = []

    def note(**kwargs):
        seen.append(1)

    request_started.connect(note)
    yield seen
    request_started.disconnect(note)


def test_a_hit_is_answered_before_djangos_handler_runs(story, djangos_handler_runs, caplog):
    url = story.get_absolute_url()
    first = call(url)
    assert first.status == "200 OK" and first.cache == "miss"
    assert len(djangos_handler_runs) == 1
    hits_before = metrics.PAGE_CACHE.labels(outcome="hit")._value.get()

    caplog.set_level(logging.INFO, logger="newsroom.requests")
    with CaptureQueriesContext(connection) as queries:
        hit = call(url)
    assert hit.status == "200 OK" and hit.cache == "hit"
    assert len(djangos_handler_runs) == 1, "the hit went through Django's handler"
    assert len(queries) == 0
    assert hit.body == first.body
    # Counted and logged like any request, with its id.
    assert metrics.PAGE_CACHE.labels(outcome="hit")._value.get() == hits_before + 1
    assert len(hit.headers["X-Request-ID"]) == 32
    logged = [r for r in caplog.records if r.name == "newsroom.requests"]
    assert [(r.path, r.status, r.cache, r.view) for r in logged] == [
        (url, 200, "hit", "page-cache")
    ]
    assert logged[0].request_id == hit.headers["X-Request-ID"]


def test_the_front_answers_what_the_middleware_answers(client, story):
    url = story.get_absolute_url()
    assert call(url).cache == "miss"
    through_django = client.get(url)
    through_front = call(url)
    assert through_django["X-Newsroom-Cache"] == through_front.cache == "hit"
    assert through_front.body == through_django.content
    per_request = {"X-Request-ID", "Date"}
    django_headers = {k: v for k, v in through_django.items() if k not in per_request}
    front_headers = {k: v for k, v in through_front.headers.items() if k not in per_request}
    assert front_headers == django_headers
    for header in ("ETag", "Surrogate-Key", "Content-Security-Policy", "X-Content-Type-Options"):
        assert front_headers.get(header), header


def test_a_head_hit_has_the_headers_and_no_body(story):
    url = story.get_absolute_url()
    page = call(url)
    call(url)
    head = call(url, method="HEAD")
    assert head.cache == "hit" and head.body == b""
    assert head.headers["Content-Length"] == str(len(page.body))


@pytest.mark.parametrize(
    "how",
    [
        {"method": "POST"},
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_COOKIE": "messages=abc"},
        {"HTTP_AUTHORIZATION": "Bearer abc"},
    ],
    ids=["post", "session", "messages", "authorization"],
)
def test_private_and_unsafe_requests_go_to_django(story, djangos_handler_runs, how):
    url = story.get_absolute_url()
    call(url)
    assert call(url).cache == "hit"
    runs = len(djangos_handler_runs)
    answer = call(url, **how)
    assert len(djangos_handler_runs) == runs + 1
    assert answer.cache != "hit"


def test_a_conditional_request_is_answered_by_the_middleware(story, djangos_handler_runs):
    url = story.get_absolute_url()
    call(url)
    etag = call(url).headers["ETag"]
    runs = len(djangos_handler_runs)
    answer = call(url, HTTP_IF_NONE_MATCH=etag)
    assert answer.status.startswith("304") and answer.cache == "hit"
    assert len(djangos_handler_runs) == runs + 1


def test_a_host_django_refuses_is_never_a_hit(story):
    url = story.get_absolute_url()
    call(url)
    assert call(url).cache == "hit"
    answer = call(url, HTTP_HOST="evil.example")
    assert answer.status.startswith("400")


def test_a_changed_story_is_a_miss_at_once(story, editor, commit):
    from articles.publishing import revisions

    url = story.get_absolute_url()
    call(url)
    assert call(url).cache == "hit"
    with commit():
        story.headline = "Ferry timetable changes again"
        story.save()
        revisions.announce_if_live(story)
    answer = call(url)
    assert answer.cache == "miss"
    assert b"Ferry timetable changes again" in answer.body


def test_a_miss_is_looked_up_once_and_counted_once(story, monkeypatch):
    """The front's miss is handed to the middleware, which neither asks the caches again nor
    counts it twice."""
    from articles.edgecache import hits

    pages = hits.stored_pages()
    lookups = []
    find = pages.find
    monkeypatch.setattr(pages, "find", lambda *a: lookups.append(1) or find(*a))
    misses_before = metrics.PAGE_CACHE.labels(outcome="miss")._value.get()
    answer = call(story.get_absolute_url())
    assert answer.cache == "miss"
    assert len(lookups) == 1, "the middleware looked the missed page up again"
    assert metrics.PAGE_CACHE.labels(outcome="miss")._value.get() == misses_before + 1


def test_a_client_cannot_claim_the_front_missed(story):
    """The front's mark is an environ key no request header can become (headers are HTTP_*)."""
    from articles.edgecache import hits

    assert not hits.FRONT_MISSED.startswith("HTTP_")
    url = story.get_absolute_url()
    call(url)
    assert call(url, HTTP_NEWSROOM_PAGE_CACHE_FRONT_MISSED="1").cache == "hit"
