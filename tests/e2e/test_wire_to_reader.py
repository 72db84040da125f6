"""Journeys 1-3: a reporter imports wire copy and prepares it, an editor publishes it in one click,
a reader finds it everywhere it should be."""

import re
from pathlib import Path

import pytest

from articles.models import Article, Status
from tests import factories
from tests.e2e.helpers import login, staff, watch_console

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIRE = Path(__file__).resolve().parent / "fixtures" / "lighthouse-keepers.txt"


def typographic(text: str) -> str:
    """What readers see of stored text: the apostrophe curled."""
    return text.replace("'", "\u2019")


@pytest.fixture
def newsroom(db):
    """A reporter, an editor, a published story to link to, and a section."""
    reporter = staff("Reporter", "ingrid", "Ingrid Solberg")
    editor = staff("Editor", "maria", "Maria Okafor")
    world = factories.section("World")
    target = factories.published(
        headline="Coast guard rescues fishing fleet near Svalbard", section=world, by=editor
    )
    factories.person("Tor Halvorsen")  # the second byline the reporter adds
    return {"reporter": reporter, "editor": editor, "target": target, "section": world}


def test_from_wire_copy_to_the_reader(newsroom, site, browser, readme_shots, tmp_path):
    shots = readme_shots
    base = site.url
    picture = tmp_path / "lighthouse.jpg"
    picture.write_bytes(factories.image_file(size=(1200, 800), colour=(30, 60, 90)).read())

    # -- 1. The reporter imports the copy with its photo and prepares the story ----------------
    reporter_page = browser.new_page(viewport={"width": 1280, "height": 1000})
    problems = watch_console(reporter_page)
    login(reporter_page, base, "ingrid")
    reporter_page.click("text=Import wire copy")
    reporter_page.fill("#id_text", WIRE.read_text(encoding="utf-8"))
    reporter_page.set_input_files("#id_photo", str(picture))
    reporter_page.wait_for_selector(".photo-preview", state="visible")  # before any upload
    reporter_page.fill("#id_alt_text", "A keeper on a spiral iron stair inside a lighthouse tower")
    reporter_page.select_option("#id_section", label="World")
    reporter_page.screenshot(path=str(shots / "wire-import.png"), full_page=True)
    reporter_page.click("input[type=submit]")
    reporter_page.wait_for_url(re.compile(r"/admin/articles/article/\d+/change/"))
    story = Article.objects.get(headline__startswith="Lighthouse keepers")

    reporter_page.fill("#id_headline", "Lighthouse keepers return to Norway's coast")
    # A second byline, picked from the people the newsroom knows.
    reporter_page.click("#bylines-group .add-row a")
    reporter_page.locator("#bylines-group .select2-selection").last.click()
    reporter_page.keyboard.type("Halvorsen")
    reporter_page.locator(".select2-results__option", has_text="Tor Halvorsen").click()
    # A tag, with the tag widget.
    reporter_page.fill("#id_tags_entry", "Coast guard")
    reporter_page.keyboard.press("Enter")
    assert reporter_page.locator(".tag-chip", has_text="Coast guard").count() == 1

    # The first RELATED line, linked in place by words of the story it should point at.
    related = reporter_page.locator(".body-block-related").first
    assert "Not linked yet" in related.inner_text()
    related.locator("input[type=search]").fill("fishing Svalbard")
    related.locator(".related-results button").first.click()
    assert "Coast guard rescues fishing fleet near Svalbard" in related.inner_text()
    # The wire's link text differs from the story's headline: one click makes them agree.
    warning = related.locator(".desk-warning")
    assert warning.is_visible()
    warning.locator("[data-use-headline]").click()
    assert not warning.is_visible()

    # Quotes beside their paragraphs: confirm each where it stands.
    confirms = reporter_page.locator("[data-confirm-quote]")
    assert confirms.count() >= 2
    for n in range(confirms.count()):
        confirms.nth(n).click()
    assert reporter_page.locator(".block-quote.is-confirmed").count() == confirms.count()
    assert reporter_page.locator("button[name=_step][value=publish]").count() == 0
    reporter_page.screenshot(path=str(shots / "article-form.png"), full_page=True)
    reporter_page.click("button[name=_step][value=submit]")
    reporter_page.locator(".messagelist .success").wait_for()

    story.refresh_from_db()
    assert story.status == Status.READY
    assert story.headline == "Lighthouse keepers return to Norway's coast"
    assert [b.person.name for b in story.bylines.order_by("position", "id")] == [
        "Ingrid Solberg",
        "Tor Halvorsen",
    ]
    assert [t.name for t in story.tags.all()] == ["Coast guard"]
    link = story.related_headlines.get(target=newsroom["target"])
    assert link.text == newsroom["target"].headline
    assert not story.quotes.filter(confirmed=False).exists()
    assert story.lead_photo.image and story.lead_photo.alt_text.startswith("A keeper")
    # The reporter cannot publish: the server refuses a forged step too (tested elsewhere).
    assert reporter_page.locator("button[name=_step]").count() == 0

    # -- 2. The editor finds it on the desk, previews, edits and publishes in one click --------
    editor_context = browser.new_context(viewport={"width": 1280, "height": 1000})
    editor_page = editor_context.new_page()
    problems += watch_console(editor_page)
    login(editor_page, base, "maria")
    ready = editor_page.locator("section[aria-label='Ready for edit']")
    ready.get_by_role("link", name=f"preview of {story.headline}").click()
    editor_page.wait_for_url("**/desk/preview/**")
    assert editor_page.locator("h1").inner_text() == typographic(story.headline)
    assert editor_page.locator(".preview-banner").count() == 1
    editor_page.go_back()
    ready.get_by_role("link", name=story.headline, exact=True).click()
    editor_page.wait_for_url("**/change/")
    paragraph = editor_page.locator(".body-block-paragraph .ProseMirror").last
    paragraph.click()
    editor_page.keyboard.press("Control+End")
    editor_page.keyboard.type(" Keepers will also log seabird counts.")
    editor_page.click("button[name=_step][value=publish]")
    editor_page.locator(".messagelist .success").wait_for()
    assert "publish now: done" in editor_page.locator(".messagelist").inner_text().lower()
    story.refresh_from_db()
    assert story.is_live
    editor_page.click("text=Live page")
    live = editor_context.pages[-1]
    live.wait_for_load_state()
    assert "Keepers will also log seabird counts." in live.content()

    # -- 3. A reader finds the story and everything hanging off it ----------------------------
    reader = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    problems += watch_console(reader)
    reader.goto(base + "/")
    reader.screenshot(path=str(shots / "home.png"), full_page=True)
    reader.locator("main a", has_text=story.headline).first.click()
    reader.wait_for_url("**" + story.get_absolute_url())
    assert reader.locator("h1").inner_text() == typographic(story.headline)
    bylines = reader.locator(".byline a[rel=author]")
    assert bylines.all_inner_texts() == ["Ingrid Solberg", "Tor Halvorsen"]
    assert reader.locator(".dateline").inner_text() == "BERGEN, NORWAY, Feb. 12 (UPI) \u2014"
    figure = reader.locator("figure.lead-photo")
    assert "Photo by Ola Brekke/UPI" in figure.text_content()
    assert figure.locator("img").get_attribute("alt").startswith("A keeper")
    related_link = reader.locator(".related-inline a", has_text=newsroom["target"].headline)
    assert related_link.get_attribute("href") == newsroom["target"].get_absolute_url()
    assert "\u201cMachines kept the lights on" in reader.locator(".story-body").inner_text()
    reader.screenshot(path=str(shots / "article.png"), full_page=True)
    bylines.first.click()
    reader.wait_for_url("**/people/**")
    assert reader.locator("main", has_text=story.headline).count() == 1
    reader.go_back()
    reader.locator(".tags a", has_text="Coast guard").click()
    reader.wait_for_url("**/tag/**")
    assert reader.locator("main a", has_text=story.headline).count() == 1
    feed = reader.request.get(base + "/feeds/rss/").text()
    item = feed[feed.index("<title>Lighthouse keepers") :]
    item = item[: item.index("</item>")]
    assert re.search(r'<enclosure [^>]*type="image/jpeg"', item)
    assert not [p for p in problems if "Content Security Policy" in p or "Failed to load" in p], (
        problems
    )
