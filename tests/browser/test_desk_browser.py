"""The desk in real Chromium: the block editor, the dashboard and a revision comparison.

Run with ``pytest -m browser tests/browser/test_desk_browser.py``. With NEWSROOM_SCREENSHOTS=1
the revision comparison's screenshot for the README goes to docs/screenshots/ (otherwise to a
temporary folder); the others come from the journeys in tests/e2e/.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "desk-pass-123"


@pytest.fixture
def shots(tmp_path):
    if os.environ.get("NEWSROOM_SCREENSHOTS"):
        folder = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path


@pytest.fixture
def desk_story(db):
    """An editor and a story with related headlines, a quote and a photo to place in the body."""
    editor = factories.user("Editor", username="maria", first_name="Maria", last_name="Okafor")
    editor.set_password(PASSWORD)
    editor.save()
    world = factories.section("World")
    for n, headline in enumerate(
        ["Storm barrier budget approved", "Port cranes stand idle", "Flood crest passes town"]
    ):
        earlier = factories.published(headline=headline, by=editor, hours_ago=n + 2, section=world)
        earlier.tags.add("harbour")
    story = factories.article(
        headline="Harbour wall repairs begin after winter storms",
        section=world,
        created_by=editor,
        dek="Crews start on the breakwater this week; the ferry keeps running.",
        paragraphs=[
            "Work crews began repairing the harbour wall on Monday, weeks after storms tore "
            "gaps in the breakwater.",
            "The port authority said the ferry would keep its timetable while the work goes on.",
        ],
    )
    story.tags.add("harbour", "storms")
    factories.related(story, headline="Winter storms batter the coast", url="https://example.org/")
    factories.quote(story, text="We expect to finish before the summer season.")
    factories.photo(caption="Crews on the breakwater at low tide")
    factories.published(headline="Ferry timetable unchanged", by=editor, section=world)
    scheduled = factories.article(headline="Harbour budget vote on Thursday", section=world)
    scheduled.publish(by=editor, at=timezone.now() + timedelta(days=1))
    factories.article(headline="Draft: new berth for cruise ships", created_by=editor)
    return editor, story


def login(page, base):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "maria")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def test_block_editor_edits_moves_and_saves(desk_story, site, browser, shots, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    _editor, story = desk_story
    page = browser.new_page(viewport={"width": 1280, "height": 1500})
    problems = []
    page.on(
        "console",
        lambda m: m.type == "error" and problems.append(f"{m.text} @ {m.location.get('url')}"),
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    login(page, site.url)
    page.goto(f"{site.url}/admin/articles/article/{story.pk}/change/")

    blocks = page.locator(".body-blocks > li")
    assert blocks.count() == 2
    assert page.locator(".body-blocks .ProseMirror").count() == 2  # the prose editor is on
    assert page.locator("textarea#id_body").is_hidden()

    # Emphasis in the first paragraph, through the editor.
    first = page.locator(".body-blocks .ProseMirror").first
    first.click()
    page.keyboard.press("End")
    page.keyboard.press("Control+End")
    page.keyboard.type(" Divers ")
    page.keyboard.press("Control+b")
    page.keyboard.type("inspected")
    page.keyboard.press("Control+b")
    page.keyboard.type(" the footings.")

    # A pull quote, moved up between the two paragraphs.
    page.click("button[data-add=quote]")
    quote_row = page.locator(".body-blocks > li").nth(2)
    quote_row.locator("select").select_option(index=1)
    quote_row.locator("button.body-move").first.click()
    # A related headline at the end, linked in place by words of the story it points at.
    page.click("button[data-add=related]")
    related = page.locator(".body-blocks > li").nth(3)
    related.locator("input[type=search]").fill("barrier budget")
    related.locator(".related-results button").first.click()

    # One click adds a suggested related story to the related-headlines inline.
    page.locator(".desk-suggestions summary").click()
    page.locator("[data-add-related]").first.click()
    if page.locator("#toggle-nav-sidebar").is_visible():
        page.click("#toggle-nav-sidebar")  # more room for the story
    page.evaluate("window.scrollTo(0, 0)")
    page.click(".submit-row input[name=_continue]")
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1, page.content()[:3000]

    story.refresh_from_db()
    types = [b["type"] for b in story.body]
    assert types == ["paragraph", "quote", "paragraph", "related"]
    assert "<strong>inspected</strong>" in story.body[0]["html"]
    # The one linked in the body and the suggestion, both kept by the one save.
    assert story.related_headlines.filter(target__isnull=False).count() == 2
    assert story.body[-1]["id"] in set(story.related_headlines.values_list("id", flat=True))
    assert story.revisions.count() == 1
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems


def test_without_javascript_the_body_is_editable_json(desk_story, site, browser, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    _editor, story = desk_story
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    login(page, site.url)
    page.goto(f"{site.url}/admin/articles/article/{story.pk}/change/")
    area = page.locator("textarea#id_body")
    assert area.is_visible()
    blocks = json.loads(area.input_value())
    blocks.append({"type": "paragraph", "html": "Added <em>without</em> a script."})
    area.fill(json.dumps(blocks))
    page.click(".submit-row input[name=_continue]")
    story.refresh_from_db()
    assert story.body[-1] == {"type": "paragraph", "html": "Added <em>without</em> a script."}
    context.close()


def test_desk_and_revision_screens(desk_story, site, browser, shots, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    editor, story = desk_story
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    login(page, site.url)
    page.goto(f"{site.url}/desk/")
    assert page.get_by_role("link", name="Harbour budget vote on Thursday", exact=True).count() == 1

    # Two saves make two revisions to compare.
    change = f"{site.url}/admin/articles/article/{story.pk}/change/"
    page.goto(change)
    page.fill("#id_headline", "Harbour wall repairs begin")
    page.click(".submit-row input[name=_continue]")
    page.goto(change)
    page.fill("#id_headline", "Harbour wall repairs start after storms")
    page.locator(".body-blocks .ProseMirror").nth(1).click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Night crossings are cancelled until March.")
    page.click(".submit-row input[name=_continue]")
    page.goto(f"{site.url}/admin/articles/article/{story.pk}/revisions/")
    assert page.locator("table.revision-compare ins").count() >= 2
    page.screenshot(path=str(shots / "revision-compare.png"), full_page=False)


def test_photo_upload_and_focal_point(desk_story, site, browser, tmp_path, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from articles.models import Photo

    upload = tmp_path / "breakwater.jpg"
    upload.write_bytes(factories.image_file(size=(800, 500)).read())
    page = browser.new_page(viewport={"width": 1280, "height": 1200})
    login(page, site.url)
    page.goto(f"{site.url}/admin/articles/photo/add/")
    assert page.locator(".photo-drop input[type=file]").count() == 1  # the drop zone wraps it
    page.set_input_files("input[name=image]", str(upload))
    page.fill("#id_caption", "The breakwater at low tide")
    page.fill("#id_alt_text", "Concrete blocks along a harbour wall")
    page.fill("#id_credit", "Desk Agency")
    page.click(".submit-row input[name=_continue]")
    photo = Photo.objects.get(caption="The breakwater at low tide")
    assert photo.renditions.filter(spec="social").exists()

    picture = page.locator("[data-focal-picker] img")
    picture.scroll_into_view_if_needed()
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    assert page.locator(".focal-dot").is_visible()
    page.click(".submit-row input[name=_continue]")
    photo.refresh_from_db()
    assert abs(photo.focal_x - 0.25) < 0.02 and abs(photo.focal_y - 0.75) < 0.02
