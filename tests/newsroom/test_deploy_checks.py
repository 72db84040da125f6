"""Production settings pass Django's deploy checks; every response carries the security headers."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def production_env(**overrides) -> dict[str, str]:
    """The environment of a production app server (no DATABASE_URL needed for checks)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "NEWSROOM_", "DATABASE_", "REDIS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings.production",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="news.example.com",
        # Production shares one cache between app servers (checks do not connect to it).
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_when_cookies_are_not_secure():
    """The check above can fail: the local-http switch is exactly what it must catch."""
    env = production_env(DJANGO_SECURE_COOKIES="false", DJANGO_SECURE_SSL_REDIRECT="false")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    for warning in ("security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_production_refuses_the_development_secret_key():
    env = production_env(DJANGO_SECRET_KEY="dev-only-insecure-key-change-me")
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_collectstatic_writes_hashed_compressed_files(tmp_path):
    env = production_env(STATIC_ROOT=str(tmp_path / "static"))
    result = manage("collectstatic", "--noinput", "-v", "0", env=env)
    assert result.returncode == 0, result.stderr
    static = tmp_path / "static"
    assert (static / "staticfiles.json").exists()
    hashed = [p.name for p in (static / "css").glob("site.*.css")]
    assert hashed, "no hashed copy of css/site.css"
    assert list((static / "css").glob("site.*.css.gz"))


@pytest.mark.django_db
def test_responses_carry_the_security_headers(client):
    response = client.get(reverse("articles:home"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].startswith("'self'")
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.django_db
def test_admin_pages_carry_the_policy_too(admin_client):
    response = admin_client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]


# -- the admin and the editor work under the policy, in a real browser ----------------------


# Collects every violation the page reports, from the first script on.
LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admin_article_form_has_no_csp_violations(live_server):
    from django.contrib.auth import get_user_model

    from tests import factories
    from tests.support import chromium_browser

    get_user_model().objects.create_superuser("chief", "chief@example.com", "pw")
    story = factories.article("A story edited under a strict policy", lead_photo=factories.photo())
    story.tags.add("policy")

    console_errors: list[str] = []
    with chromium_browser() as browser:
        page = browser.new_page()
        page.add_init_script(LISTEN_FOR_VIOLATIONS)
        page.on(
            "console",
            lambda msg: console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.goto(f"{live_server.url}/admin/login/?next=/admin/")
        page.fill("#id_username", "chief")
        page.fill("#id_password", "pw")
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        violations = list(page.evaluate("window.__cspViolations"))

        url = reverse("admin:articles_article_change", args=[story.pk])
        response = page.goto(live_server.url + url)
        assert response.status == 200
        assert "Content-Security-Policy" in {k.title() for k in response.headers}
        page.wait_for_load_state("networkidle")
        assert page.locator("input[name=headline]").input_value() == story.headline
        violations += page.evaluate("window.__cspViolations")

    csp_errors = [e for e in console_errors if "Content Security Policy" in e]
    assert violations == [] and csp_errors == [], (violations, csp_errors)
