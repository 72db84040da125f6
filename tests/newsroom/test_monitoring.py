"""Health, metrics, request ids and JSON logs; the cache that may go away (unit level).

The same behaviour under real failures (Redis stopped, PostgreSQL restarted, a replica gone) is
tested in tests/services/test_faults.py.
"""

import json
import logging

import pytest
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse

from newsroom.monitoring import metrics
from newsroom.monitoring.logs import JsonFormatter, RequestIdFilter, request_id
from newsroom.resilient_cache import ResilientRedisCache
from tests import factories
from tests.support import free_port

pytestmark = pytest.mark.django_db


def test_health_names_each_part_and_says_ok(client):
    response = client.get("/-/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "cache": "ok",
        "storage": "ok",
        "queue": "ok",
    }
    assert "no-store" in response["Cache-Control"]


def test_health_reports_storage_down_but_still_serves(client, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the media folder should be")
    # A local folder that cannot be written, whichever storage the run uses (folders or S3).
    folder = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": blocked},
    }
    settings.STORAGES = {**settings.STORAGES, "default": folder}
    response = client.get("/-/health/")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "degraded"
    assert body["checks"]["storage"]["status"] == "down"
    # The reason names the kind of failure, never a path.
    assert str(tmp_path) not in response.content.decode()


def test_health_is_never_cached_even_with_the_page_cache_on(client, settings):
    settings.NEWSROOM_HTTP_CACHE = True
    first = client.get("/-/health/")
    second = client.get("/-/health/")
    assert second.get("X-Newsroom-Cache") != "hit"
    assert "public" not in first["Cache-Control"] and "ETag" not in first


def test_every_response_carries_a_request_id(client):
    made = client.get("/")["X-Request-ID"]
    assert len(made) == 32
    given = client.get("/", HTTP_X_REQUEST_ID="lb-1234-abcd")["X-Request-ID"]
    assert given == "lb-1234-abcd"
    refused = client.get("/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert refused != "<script>" and len(refused) == 32


def test_requests_are_counted_by_view(client):
    def count():
        return metrics.REQUESTS.labels("articles:home", "GET", "2xx")._value.get()

    before = count()
    client.get("/")
    assert count() == before + 1


def test_metrics_are_not_public_by_default(client, settings):
    settings.NEWSROOM_METRICS_TOKEN = ""
    assert client.get("/-/metrics").status_code == 404
    settings.NEWSROOM_METRICS_TOKEN = "scrape-me"
    assert client.get("/-/metrics").status_code == 404
    assert client.get("/-/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    client.get("/")
    response = client.get("/-/metrics", HTTP_AUTHORIZATION="Bearer scrape-me")
    assert response.status_code == 200
    text = response.content.decode()
    assert "newsroom_http_requests_total" in text and "newsroom_cache_errors_total" in text


def test_log_lines_are_json_with_the_request_id():
    record = logging.LogRecord(
        "newsroom.requests", logging.INFO, __file__, 1, "GET / 200", (), None
    )
    record.status = 200
    token = request_id.set("abc123def")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "abc123def" and line["status"] == 200
    assert line["message"] == "GET / 200" and line["level"] == "info"


def test_each_log_line_has_its_own_seconds_time():
    """The formatter writes the time once per second; a line in the next second gets its own."""
    formatter = JsonFormatter()
    times = []
    for created in (1_796_000_000.2, 1_796_000_000.9, 1_796_000_001.1, 1_796_000_000.5):
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", (), None)
        record.created = created
        times.append(json.loads(formatter.format(record))["time"])
        assert times[-1] == formatter.formatTime(record, "%Y-%m-%dT%H:%M:%S%z")
    assert times[0] == times[1] == times[3] != times[2]


def unreachable_cache() -> ResilientRedisCache:
    """A cache pointed at a loopback port where nothing listens (refused at once)."""
    location = f"redis://127.0.0.1:{free_port()}/0"
    return ResilientRedisCache(location, {"OPTIONS": {"socket_connect_timeout": 0.2}})


def test_an_unreachable_redis_means_uncached_not_an_error():
    cache = unreachable_cache()
    errors = metrics.CACHE_ERRORS.labels(operation="get")._value.get()
    assert cache.get("page", "missing") == "missing"
    cache.set("page", "x")
    assert cache.add("page", "x") is False and cache.get_many(["a", "b"]) == {}
    assert metrics.CACHE_ERRORS.labels(operation="get")._value.get() == errors + 1
    # Backing off: the next calls do not even try, so readers pay no connect timeout.
    assert cache.get("other") is None
    with pytest.raises(ValueError):
        cache.incr("counter")
    # Plain Django would have raised: this is what the resilient backend is for.
    with pytest.raises(Exception):  # noqa: B017 - redis-py's ConnectionError
        RedisCache(cache._server, {"OPTIONS": {"socket_connect_timeout": 0.2}}).get("page")


def test_health_says_the_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.resilient_cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    from django.core.cache import caches

    caches._settings = None
    try:
        response = client.get(reverse("monitoring:health"))
    finally:
        caches._settings = None
    body = response.json()
    assert response.status_code == 200 and body["status"] == "degraded"
    assert body["checks"]["cache"] == {"status": "down", "reason": "ConnectionError"}


def page_cache_count(client, outcome: str) -> float:
    """``newsroom_page_cache_total{outcome=...}`` as the scraper reads it at /-/metrics."""
    text = client.get("/-/metrics", HTTP_AUTHORIZATION="Bearer scrape-me").content.decode()
    line = f'newsroom_page_cache_total{{outcome="{outcome}"}} '
    return next((float(row[len(line) :]) for row in text.splitlines() if row.startswith(line)), 0)


def test_page_cache_hits_misses_and_bypasses_are_counted(client, settings):
    from django.core.cache import cache

    settings.NEWSROOM_METRICS_TOKEN = "scrape-me"
    settings.NEWSROOM_HTTP_CACHE = True
    cache.clear()
    factories.published("Counted story")
    before = {o: page_cache_count(client, o) for o in ("hit", "miss", "bypass")}
    client.get("/")  # a miss, stored
    client.get("/")  # a hit
    client.get("/", HTTP_AUTHORIZATION="Api-Key nrk_x")  # credentials: never the shared copy
    after = {o: page_cache_count(client, o) for o in ("hit", "miss", "bypass")}
    # Each scrape of /-/metrics is private too: one bypass per read before this one.
    assert after["hit"] == before["hit"] + 1 and after["miss"] == before["miss"] + 1
    assert after["bypass"] >= before["bypass"] + 1


def test_the_resilient_cache_keeps_one_redis_client_per_pool():
    cache = unreachable_cache()
    assert cache._cache.get_client() is cache._cache.get_client(write=True)


def test_a_change_while_redis_is_away_does_not_fail_the_editor(monkeypatch):
    from articles.edgecache import versions

    monkeypatch.setattr(versions, "cache", unreachable_cache())
    versions.bump({"story-1", "front"})  # dropped, never raised: the flush on recovery covers it
    assert versions.peek([versions.record_key("front")]) == {}
