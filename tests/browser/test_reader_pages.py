"""The article page and the front in real Chromium: accessibility basics, stable layout, no JS.

Run with ``pytest -m browser tests/browser``; needs Debian's chromium at /usr/bin/chromium.
"""

import pytest

from tests.reader_fixtures import rich_story

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Sums layout shifts from the first paint on (the CLS a reader would feel).
RECORD_LAYOUT_SHIFTS = """
window.__shift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__shift += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""

# WCAG contrast of each text element's colour against the first opaque background behind it.
LOW_CONTRAST = """
() => {
  const rgb = (s) => s.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const bad = [];
  const text = "p, a, li, time, h1, h2, h3, figcaption, span, button, label";
  for (const el of document.querySelectorAll(text)) {
    if (!el.textContent.trim() || el.closest(".visually-hidden, .skip-link")) continue;
    const style = getComputedStyle(el);
    const a = lum(rgb(style.color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && style.fontWeight >= 700);
    const label = el.tagName + " " + el.textContent.trim().slice(0, 30);
    if (ratio < (large ? 3 : 4.5)) bad.push(label + " " + ratio.toFixed(2));
  }
  return bad;
}
"""


@pytest.fixture
def story_url(db):
    """The address of a full story (computed here: the test body may not touch the database)."""
    return rich_story(4, headline="Harbour wall repairs begin").get_absolute_url()


def check_page_basics(page):
    """One h1, landmarks, language, alt text, labelled inputs, sized images, AA contrast."""
    assert page.locator("h1").count() == 1
    assert page.locator("html").get_attribute("lang") == "en"
    for landmark in ("header", "main", "footer", "nav"):
        assert page.locator(landmark).count() >= 1, landmark
    for img in page.locator("img").all():
        assert img.get_attribute("alt"), "every image has alt text"
        assert img.get_attribute("width") and img.get_attribute("height"), "no layout shift"
    for field in page.locator("input:not([type=hidden])").all():
        field_id = field.get_attribute("id")
        assert page.locator(f'label[for="{field_id}"]').count() == 1
    assert page.evaluate(LOW_CONTRAST) == []
    # The skip link comes first and focus is visible.
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.className, getComputedStyle(document.activeElement)"
        ".outlineStyle]"
    )
    assert focused == ["skip-link", "solid"]


def test_article_page_in_chromium(story_url, site, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(RECORD_LAYOUT_SHIFTS)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security" in m.text else None)
    response = page.goto(site.url + story_url)
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    check_page_basics(page)
    assert page.locator("h1").inner_text() == "Harbour wall repairs begin"
    assert page.locator(".lead-photo img").get_attribute("loading") is None
    assert page.locator(".inline-photo img").get_attribute("loading") == "lazy"
    # Typographic on display: the stored dateline keeps the wire's "--".
    assert page.locator(".dateline").inner_text() == "GENEVA, Nov. 27 (UPI) \u2014"
    assert page.evaluate("window.__shift") < 0.05
    assert errors == []


def test_front_page_in_chromium(story_url, site, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(RECORD_LAYOUT_SHIFTS)
    assert page.goto(site.url + "/").status == 200
    page.wait_for_load_state("networkidle")
    check_page_basics(page)
    assert page.locator(".lead-story h2").inner_text() == "Harbour wall repairs begin"
    assert page.locator(".rail").count() >= 1
    assert page.evaluate("window.__shift") < 0.05


@pytest.mark.parametrize("path", ["/", "article"])
def test_pages_work_without_javascript_on_a_phone(story_url, site, browser, path):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    url = site.url + (story_url if path == "article" else path)
    assert page.goto(url).status == 200
    assert page.locator("h1").count() == 1
    assert "Harbour wall repairs begin" in page.content()
    # Readable on a phone: nothing forces sideways scrolling.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    # Search is a plain GET form: it works without scripts.
    page.fill("#site-search", "harbour")
    page.press("#site-search", "Enter")
    page.wait_for_load_state()
    assert "/search/?q=harbour" in page.url
    assert page.locator("mark").first.inner_text().lower() == "harbour"
    context.close()
