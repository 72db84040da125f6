"""The browsable API docs in Chromium: Swagger UI loads our schema under the strict CSP."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def test_swagger_ui_shows_the_operations_without_csp_violations(site, browser):
    page = browser.new_page()
    page.add_init_script(LISTEN_FOR_VIOLATIONS)
    response = page.goto(f"{site.url}/api/v1/docs/")
    assert response.status == 200
    assert "Content-Security-Policy" in {k.title() for k in response.headers}
    page.wait_for_selector("text=/api/v1/stories/", timeout=20_000)
    assert page.locator(".opblock").count() >= 10
    assert page.evaluate("window.__cspViolations") == []
