"""Journeys 4 and 5: two editors on one story (the second save is refused and keeps its text),
autosave bringing back a closed tab's work, and scheduling on a controllable clock."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests import factories
from tests.e2e.helpers import login, staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def story(db):
    staff("Editor", "maria", "Maria Okafor")
    staff("Editor", "sam", "Sam Lindqvist")
    return factories.article(
        headline="Harbour wall repairs begin after winter storms",
        dek="Crews start on the breakwater this week.",
        paragraphs=["Work crews began repairing the harbour wall on Monday."],
    )


def change_url(base, story) -> str:
    return f"{base}/admin/articles/article/{story.pk}/change/"


def test_two_editors_and_a_closed_tab(story, site, browser, shots):
    base = site.url
    maria = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    sam = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    login(maria, base, "maria")
    login(sam, base, "sam")
    maria.goto(change_url(base, story))
    sam.goto(change_url(base, story))

    maria.fill("#id_headline", "Harbour wall repairs start after storms")
    maria.click(".side-buttons input[name=_continue]")
    maria.locator(".messagelist .success").wait_for()

    sam.fill("#id_dek", "Sam's own summary, typed while Maria saved.")
    sam.click(".side-buttons input[name=_continue]")
    conflict = sam.locator(".desk-conflict")
    conflict.wait_for()
    assert "Not saved" in conflict.inner_text()
    assert sam.input_value("#id_dek") == "Sam's own summary, typed while Maria saved."
    sam.screenshot(path=str(shots / "conflict.png"), full_page=True)
    story.refresh_from_db()
    assert story.headline == "Harbour wall repairs start after storms"
    assert story.dek == "Crews start on the breakwater this week."
    assert story.revisions.filter(kind="unsaved").exists()  # Sam's words are in the history

    # Maria types on, then her tab closes before she saves.
    maria.goto(change_url(base, story))
    maria.fill("#id_headline", "Harbour wall repairs: divers inspect the footings")
    maria.wait_for_timeout(2500)  # autosave keeps the words every 1.5 s
    context = maria.context
    maria.close()
    again = context.new_page()
    again.goto(change_url(base, story))
    box = again.locator("[data-autosave-box]")
    box.wait_for(state="visible")
    assert "Unsaved work on this story" in box.inner_text()
    again.click("[data-autosave-restore]")
    assert again.input_value("#id_headline") == "Harbour wall repairs: divers inspect the footings"
    again.click(".side-buttons input[name=_continue]")
    again.locator(".messagelist .success").wait_for()
    story.refresh_from_db()
    assert story.headline == "Harbour wall repairs: divers inspect the footings"
    # The save went through: the kept words are gone, nothing is offered again.
    again.goto(change_url(base, story))
    again.wait_for_timeout(300)
    assert again.locator("[data-autosave-box]").is_hidden()


def test_scheduling_in_the_newsroom_time_zone(story, site, browser, shots, clock, settings):
    settings.TIME_ZONE = settings.NEWSROOM_TIME_ZONE = "Europe/Oslo"
    base = site.url
    editor = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    login(editor, base, "maria")
    editor.goto(change_url(base, story))
    assert editor.locator(".side-publishing .desk-zone").first.inner_text() in ("CET", "CEST")
    # Two minutes ahead, as the editor reads the newsroom's clock.
    at = timezone.localtime(timezone.now() + timedelta(minutes=2)).replace(second=0, microsecond=0)
    editor.fill("#id_step_at", at.strftime("%Y-%m-%dT%H:%M"))
    editor.click("button[name=_step][value=schedule]")
    editor.locator(".messagelist .success").wait_for()
    assert "appears" in editor.locator(".messagelist").inner_text().lower()
    assert editor.input_value("#id_step_at") == at.strftime("%Y-%m-%dT%H:%M")  # still shown
    editor.screenshot(path=str(shots / "scheduled.png"), full_page=True)
    story.refresh_from_db()
    assert story.is_scheduled and story.published_at == at

    reader = browser.new_context().new_page()
    address = base + Article.objects.get(pk=story.pk).get_absolute_url()
    assert reader.goto(address).status == 404
    reader.goto(base + "/")
    assert reader.locator("main a", has_text=story.headline).count() == 0

    clock.advance(minutes=3)
    assert reader.goto(address).status == 200
    reader.goto(base + "/")
    assert reader.locator("main a", has_text=story.headline).count() >= 1
