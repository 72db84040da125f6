"""API keys, rate limits, and the edge cache in front of the API (ETag, 304, page cache)."""

import pytest
from django.core.cache import cache

from articles.models import ApiKey
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.NEWSROOM_HTTP_CACHE = True
    cache.clear()


def keyed(raw):
    return {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}


def test_keys_are_stored_hashed_and_checked(client):
    key, raw = ApiKey.issue("Regional Daily")
    assert raw.startswith("nrk_") and raw not in (key.key_hash, key.prefix)
    assert ApiKey.objects.get(pk=key.pk).key_hash != raw
    assert client.get("/api/v1/stories/", **keyed(raw)).status_code == 200
    key.refresh_from_db()
    assert key.last_used_at is not None

    wrong = client.get("/api/v1/stories/", **keyed("nrk_not-a-key"))
    assert wrong.status_code == 401 and wrong["WWW-Authenticate"] == "Api-Key"
    assert "not a key" in wrong.json()["detail"]
    key.revoke()
    revoked = client.get("/api/v1/stories/", **keyed(raw))
    assert revoked.status_code == 401 and "revoked" in revoked.json()["detail"]
    assert client.get("/api/v1/stories/", HTTP_AUTHORIZATION="Api-Key").status_code == 401


def test_anonymous_clients_are_rate_limited_and_keys_get_more(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anonymous": "3/min", "api_key": "5/min"},
    }
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    # DRF reads its rates at import; point the throttles at the new ones for this test.
    api_settings.reload()
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        statuses = [client.get("/api/v1/sections/").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = client.get("/api/v1/sections/")
        assert int(limited["Retry-After"]) > 0

        _, raw = ApiKey.issue("Partner")
        keyed_statuses = [
            client.get("/api/v1/sections/", **keyed(raw)).status_code for _ in range(6)
        ]
        assert keyed_statuses == [200] * 5 + [429]
        _, generous = ApiKey.issue("Bigger partner", rate="100/min")
        assert all(
            client.get("/api/v1/sections/", **keyed(generous)).status_code == 200 for _ in range(8)
        )
    finally:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anonymous": "60/min", "api_key": "1200/min"},
        }
        api_settings.reload()
        SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES


def test_anonymous_api_responses_get_validators_304s_and_the_page_cache(client, cached):
    story = factories.published("Cached story")
    url = f"/api/v1/stories/{story.pk}/"
    first = client.get(url)
    assert first["X-Newsroom-Cache"] == "miss" and "public" in first["Cache-Control"]
    assert f"story-{story.pk}" in first["Surrogate-Key"].split()
    second = client.get(url)
    assert second["X-Newsroom-Cache"] == "hit" and second.content == first.content
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_keyed_requests_never_use_the_shared_cache(client, cached):
    story = factories.published("Partner story")
    url = f"/api/v1/stories/{story.pk}/"
    client.get(url)  # an anonymous copy is now in the page cache
    _, raw = ApiKey.issue("Partner")
    response = client.get(url, **keyed(raw))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "X-Newsroom-Cache" not in response and "Surrogate-Key" not in response
    # A bad key is refused even though the anonymous copy is cached.
    assert client.get(url, **keyed("nrk_wrong")).status_code == 401


def test_the_schema_and_the_docs(client, cached):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200 and schema["Content-Type"].startswith("application/")
    spec = schema.json()
    assert spec["openapi"].startswith("3.")
    for path in ("/api/v1/stories/", "/api/v1/stories/{id}/", "/api/v1/partner-feed/"):
        assert path in spec["paths"]
    assert spec["components"]["securitySchemes"]["ApiKey"]["name"] == "Authorization"
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
    assert b"<style" not in docs.content and b"<script>" not in docs.content
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content


def test_the_schema_generates_without_warnings():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_only_json_is_served(client):
    response = client.get("/api/v1/sections/", HTTP_ACCEPT="text/html")
    assert response.status_code in (200, 406)
    if response.status_code == 200:
        assert response["Content-Type"] == "application/json"
    assert client.get("/api/v1/sections/?format=api").status_code == 404
    assert client.post("/api/v1/sections/", {}).status_code in (403, 405)
