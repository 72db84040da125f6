"""Issue 11, defect 9: production with a per-process cache fails ``check --deploy``."""

import pytest

from articles.edgecache.checks import shared_cache_check
from tests.newsroom.test_deploy_checks import manage, production_env

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
DUMMY = "django.core.cache.backends.dummy.DummyCache"
# Shared by every process on the machine (production uses Redis; checks do not connect to it).
FILES = "django.core.cache.backends.filebased.FileBasedCache"


def test_production_without_redis_fails_the_deploy_check():
    env = production_env()
    del env["REDIS_URL"]
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "edgecache.E001" in result.stderr and "REDIS_URL" in result.stderr


def test_production_without_redis_may_run_with_the_http_cache_off():
    env = production_env(NEWSROOM_HTTP_CACHE="false")
    del env["REDIS_URL"]
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("backend", "debug", "http_cache", "fails"),
    [
        (LOCMEM, False, True, True),
        (DUMMY, False, True, True),
        (FILES, False, True, False),
        (LOCMEM, True, True, False),  # development: one process
        (LOCMEM, False, False, False),  # nothing cached, nothing to share
    ],
)
def test_the_check_flags_only_per_process_caches_in_production(
    settings, tmp_path, backend, debug, http_cache, fails
):
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": str(tmp_path / "cache")}}
    settings.DEBUG, settings.NEWSROOM_HTTP_CACHE = debug, http_cache
    errors = shared_cache_check()
    assert [e.id for e in errors] == (["edgecache.E001"] if fails else [])
