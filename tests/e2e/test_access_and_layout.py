"""Journeys 6 and 7: keyboard only, axe-core on the pages people use most, and no horizontal
scrolling at desktop, laptop and phone widths."""

import pytest

from articles.photos.renditions import ensure_renditions
from tests import factories
from tests.e2e.helpers import WIDTHS, axe_violations, login, overflow, staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def newsroom(db):
    """A live story with everything a page shows, and a draft with quotes and related lines."""
    editor = staff("Editor", "maria", "Maria Okafor")
    world = factories.section("World")
    target = factories.published(headline="Port cranes stand idle after strike", section=world)
    photo = factories.photo(caption="Cranes at dusk.", alt_text="Three cranes over an empty quay")
    ensure_renditions(photo)
    live = factories.article(
        headline="Harbour reopens as dockworkers return after a week-long strike",
        dek="Ships queue outside the breakwater.",
        section=world,
        lead_photo=photo,
        dateline_place="ROTTERDAM",
        dateline_agency="UPI",
        paragraphs=[
            '"We are back to work," a docker said -- relieved, like everyone here.',
            "The port authority expects the queue to clear by Friday.",
        ],
    )
    live.tags.add("Shipping")
    line = factories.related(live, target=target)
    live.body = [*live.body, {"type": "related", "id": line.pk}]
    live.save()
    factories.quote(live, text="We are back to work.", confirmed=True)
    live.publish(by=editor)
    draft = factories.article(
        headline="A long draft headline that an editor has to read in full before publishing it",
        section=world,
        paragraphs=['"Not yet," the minister said.', "More copy follows here."],
    )
    factories.quote(draft, text="Not yet.", confirmed=False)
    factories.related(draft, headline="An unlinked related headline from the wire copy")
    return {"live": live, "draft": draft}


def test_keyboard_only_and_axe_on_the_pages_people_use(newsroom, site, browser, shots):
    base = site.url
    live, draft = newsroom["live"], newsroom["draft"]
    page = browser.new_page(viewport={"width": 1280, "height": 1000})

    # The reader's article page with Tab and Enter: skip link first, then on to a byline.
    page.goto(base + live.get_absolute_url())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('rel')") == "author":
            break
    else:
        raise AssertionError("no byline link reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/people/**")

    problems = {}
    for path in ("/", live.get_absolute_url(), "/search/?q=harbour"):
        page.goto(base + path)
        problems[path] = axe_violations(page)

    # The editor's story form with Tab and Enter: type a headline, Enter saves it.
    login(page, base, "maria")
    form = f"{base}/admin/articles/article/{draft.pk}/change/"
    page.goto(form)
    page.focus("#id_headline")
    page.keyboard.press("Control+A")
    page.keyboard.type("Minister says not yet to port plan")
    page.keyboard.press("Tab")  # on to the summary, as a keyboard user moves
    page.keyboard.press("Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".messagelist .success").count() == 1
    draft.refresh_from_db()
    assert draft.headline == "Minister says not yet to port plan"
    # Confirm a quote beside its paragraph with the keyboard alone.
    page.focus("[data-confirm-quote]")
    page.keyboard.press("Enter")
    assert page.locator(".block-quote.is-confirmed").count() == 1

    for path in (form, f"{base}/desk/"):
        page.goto(path)
        problems[path] = axe_violations(page)
    found = {path: found for path, found in problems.items() if found}
    assert not found, "\n".join(f"{path}: {v}" for path, vs in found.items() for v in vs)


def test_no_horizontal_overflow_at_desktop_laptop_and_phone_widths(
    newsroom, site, browser, shots, readme_shots
):
    base = site.url
    live, draft = newsroom["live"], newsroom["draft"]
    wide = {}
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 900})
        login(page, base, "maria")
        pages = {
            "story-form": f"{base}/admin/articles/article/{draft.pk}/change/",
            "desk": f"{base}/desk/",
            "article": base + live.get_absolute_url(),
        }
        for name, url in pages.items():
            page.goto(url)
            page.wait_for_load_state("networkidle")
            extra = overflow(page)
            if extra > 0:
                wide[(name, width)] = extra
            page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
        if width == 1280:
            page.goto(pages["desk"])
            page.screenshot(path=str(readme_shots / "desk.png"), full_page=True)
        page.close()
    assert wide == {}
