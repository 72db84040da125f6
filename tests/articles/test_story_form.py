"""The one-screen story form: steps that save and act in one click, new stories, the lead photo,
new related and pull-quote blocks in one save, times in the newsroom's zone."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Photo, Status
from tests import factories
from tests.desk_fixtures import body_json, change_url, form_data, open_and_post

pytestmark = pytest.mark.django_db


def test_save_and_publish_keeps_the_edit_and_publishes_in_one_click(client, editor):
    story = factories.article(headline="Old headline")
    client.force_login(editor)
    response = open_and_post(
        client, story, headline="New headline", body=body_json("New copy."), _step="publish"
    )
    assert response.status_code == 302
    assert response["Location"] == change_url(story)
    story.refresh_from_db()
    assert story.headline == "New headline" and story.is_live
    assert story.body == [{"type": "paragraph", "html": "New copy."}]
    # One save (a revision) and one step, numbered in one sequence.
    assert story.revisions.get().version == 2
    assert story.history.get().version == 3 == story.version


def test_a_refused_step_keeps_nothing_and_shows_the_form_as_sent(client, editor):
    story = factories.article(headline="Needs a byline", authors=0)
    client.force_login(editor)
    response = open_and_post(
        client, story, headline="Edited before publishing", dek="A new dek.", _step="publish"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "it needs at least one byline" in html
    assert 'value="Edited before publishing"' in html and "A new dek." in html
    story.refresh_from_db()
    assert story.headline == "Needs a byline" and story.status == Status.DRAFT
    assert story.version == 1 and not story.revisions.exists() and not story.history.exists()


def test_schedule_asks_for_a_time_in_the_newsroom_zone(client, editor, settings):
    settings.TIME_ZONE = settings.NEWSROOM_TIME_ZONE = "Europe/Berlin"
    story = factories.article()
    client.force_login(editor)
    response = open_and_post(client, story, _step="schedule")
    assert response.status_code == 200
    assert "Give the time the story should appear." in response.content.decode()
    story.refresh_from_db()
    assert story.status == Status.DRAFT

    when = datetime.now(ZoneInfo("Europe/Berlin")).replace(second=0, microsecond=0)
    when += timedelta(days=2)
    typed = when.strftime("%Y-%m-%dT%H:%M")
    response = open_and_post(client, story, step_at=typed, _step="schedule")
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.is_scheduled and story.published_at == when
    # The form shows the scheduled time again, in the zone, with the zone's name beside it.
    html = client.get(change_url(story)).content.decode()
    assert f'value="{when.strftime("%Y-%m-%dT%H:%M")}"' in html
    assert "CET" in html or "CEST" in html


def test_a_reporter_cannot_publish_through_the_form_but_submits(client, reporter):
    story = factories.article(created_by=reporter)
    client.force_login(reporter)
    response = open_and_post(client, story, headline="Reporter's edit", _step="publish")
    assert response.status_code == 200
    assert "Save and publish" not in response.content.decode()
    story.refresh_from_db()
    assert story.status == Status.DRAFT and story.headline != "Reporter's edit"

    response = open_and_post(client, story, headline="Reporter's edit", _step="submit")
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Status.READY and story.headline == "Reporter's edit"


@pytest.mark.parametrize(
    "authors, paragraphs, headline, problem",
    [
        (0, ["Copy."], "A headline", "it needs at least one byline"),
        (1, [], "A headline", "it needs a body"),
        (1, ["Copy."], " ", "This field is required"),
    ],
)
def test_submit_for_edit_needs_a_headline_a_byline_and_a_body(
    client, reporter, authors, paragraphs, headline, problem
):
    story = factories.article(created_by=reporter, authors=authors, paragraphs=paragraphs)
    client.force_login(reporter)
    response = open_and_post(client, story, headline=headline, _step="submit")
    assert problem in response.content.decode()
    story.refresh_from_db()
    assert story.status == Status.DRAFT


def test_the_submit_step_itself_refuses_an_empty_story(reporter):
    from articles.publishing.steps import InvalidTransition

    story = factories.article(created_by=reporter, paragraphs=[])
    with pytest.raises(InvalidTransition, match="needs a body"):
        story.submit_for_edit(by=reporter)


def test_a_new_story_opens_with_a_paragraph_and_the_writers_byline(client, reporter):
    me = factories.person("Rita Reporter", user=reporter)
    client.force_login(reporter)
    add = reverse("admin:articles_article_add")
    page = client.get(add)
    form = page.context["adminform"].form
    assert json.loads(form["body"].value()) == [{"type": "paragraph", "html": ""}]
    inlines = page.context["inline_admin_formsets"]
    bylines = next(f for f in inlines if f.formset.prefix == "bylines")
    assert [sub.initial["person"] for sub in bylines.formset.forms] == [me.pk]

    data = form_data(page, headline="A fresh story", body=body_json("Fresh copy."), _step="submit")
    assert client.post(add, data).status_code == 302
    story = Article.objects.get(headline="A fresh story")
    assert [b.person for b in story.bylines.all()] == [me]
    assert story.status == Status.READY and story.created_by == reporter


def test_related_and_pull_quote_blocks_for_new_rows_need_one_save(client, editor):
    target = factories.published(headline="Flood barrier budget approved")
    story = factories.article(paragraphs=["First.", "Second."])
    speaker = factories.person("Ana Speaker")
    client.force_login(editor)
    page = client.get(change_url(story))
    body = [
        {"type": "paragraph", "html": "First."},
        {"type": "related", "row": "related_headlines-0"},
        {"type": "paragraph", "html": "Second."},
        {"type": "quote", "row": "quotes-0"},
        {"type": "related", "row": "someone_elses-0"},  # not a row of this form: dropped
    ]
    data = form_data(page, body=json.dumps(body))
    data.update(
        {
            "related_headlines-TOTAL_FORMS": "1",
            "related_headlines-0-target": str(target.pk),
            "related_headlines-0-headline": "Flood barrier budget approved",
            "related_headlines-0-position": "0",
            "quotes-TOTAL_FORMS": "1",
            "quotes-0-speaker": str(speaker.pk),
            "quotes-0-text": "We start on Monday.",
            "quotes-0-position": "2",
        }
    )
    response = client.post(change_url(story), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    story.refresh_from_db()
    related, quote = story.related_headlines.get(), story.quotes.get()
    assert story.body == [
        {"type": "paragraph", "html": "First."},
        {"type": "related", "id": related.pk},
        {"type": "paragraph", "html": "Second."},
        {"type": "quote", "id": quote.pk},
    ]
    assert story.revisions.get().snapshot["body"] == story.body  # the history has the ids too


def test_the_lead_photo_is_uploaded_and_described_in_place(client, editor):
    story = factories.article()
    client.force_login(editor)
    page = client.get(change_url(story))
    data = form_data(
        page, lead_photo_alt="Sandbags along a river wall", lead_photo_caption="The levee."
    )
    data["lead_photo_file"] = factories.image_file("levee.jpg", size=(800, 500))
    assert client.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    photo = story.lead_photo
    assert photo.alt_text == "Sandbags along a river wall" and photo.caption == "The levee."
    assert photo.image and photo.renditions.filter(spec="thumb").exists()
    html = client.get(change_url(story)).content.decode()
    assert photo.renditions.get(spec="thumb", format="jpeg").url in html
    assert "repeats the caption" in html  # the warning is in the page, hidden until it applies

    response = open_and_post(client, story, lead_photo_alt="The levee.")
    photo.refresh_from_db()
    assert photo.alt_text == "The levee."
    assert response.status_code == 302


def test_a_file_that_is_not_a_picture_is_refused_with_the_form_intact(client, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    story = factories.article()
    client.force_login(editor)
    page = client.get(change_url(story))
    data = form_data(page, headline="Kept headline")
    data["lead_photo_file"] = SimpleUploadedFile("x.jpg", b"not a picture", "image/jpeg")
    response = client.post(change_url(story), data)
    assert response.status_code == 200
    assert 'value="Kept headline"' in response.content.decode()
    assert not Photo.objects.exists()


def test_desk_times_carry_the_year_and_the_zone_and_no_microseconds(client, editor, settings):
    settings.TIME_ZONE = settings.NEWSROOM_TIME_ZONE = "America/New_York"
    story = factories.article(headline="Embargoed")
    at = timezone.now().replace(microsecond=123456) + timedelta(days=3)
    story.publish(by=editor, at=at)
    client.force_login(editor)
    html = client.get(reverse("desk:dashboard")).content.decode()
    local = timezone.localtime(at, ZoneInfo("America/New_York"))
    shown = local.strftime("%b %-d, %Y, %H:%M")
    assert shown in html and local.tzname() in html
    assert f'<time datetime="{local.replace(microsecond=0).isoformat()}">' in html
    assert ".123456" not in html


def test_one_history_entry_point_on_the_story_page(client, editor):
    story = factories.article()
    client.force_login(editor)
    html = client.get(change_url(story)).content.decode()
    assert html.count(reverse("admin:articles_article_revisions", args=[story.pk])) == 1
    assert reverse("admin:articles_article_history", args=[story.pk]) not in html
