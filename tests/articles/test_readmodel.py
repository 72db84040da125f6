"""The story page's read model: stored once, served in a fixed few queries, never stale.

Each test changes one thing a page shows, by the path an editor (or the importer) uses, and
checks the next request shows the change: that is the promise of articles/readmodel/.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import readmodel
from articles.models import (
    Article,
    Correction,
    Photo,
    RelatedHeadline,
    StoryPage,
    StoryRedirect,
)
from articles.photos import release
from articles.photos.renditions import ensure_renditions
from articles.publishing.steps import AddCorrection
from articles.times import machine_time
from tests import factories
from tests.reader_fixtures import rich_story

pytestmark = pytest.mark.django_db

# The story row with its stored page, the linked stories live now, the latest headlines, the
# masthead's sections: nothing else, so no column is loaded late (the body was, for photo keys).
MAX_PAGE_QUERIES = 4


def page(client, story) -> str:
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.fixture
def story(db):
    return rich_story(2, headline="Lock gates reopen")


def test_a_stored_page_costs_the_same_few_queries_for_a_small_and_a_large_story(client):
    small = rich_story(1, headline="One of everything")
    large = rich_story(10, headline="Ten of everything")
    for story in (small, large):
        page(client, story)  # builds and stores the page
    small_count = queries(client, small.get_absolute_url())
    large_count = queries(client, large.get_absolute_url())
    assert small_count == large_count <= MAX_PAGE_QUERIES


def test_the_first_read_stores_the_page_and_later_reads_use_it(client, story):
    assert not StoryPage.objects.filter(article=story).exists()
    first = page(client, story)
    stored = StoryPage.objects.get(article=story)
    assert stored.source and "Lock gates reopen" in stored.parts["header"]
    assert set(stored.photos.values_list("pk", flat=True)) == readmodel.build.shown_photo_ids(
        Article.objects.get(pk=story.pk)
    )
    # Served from the stored parts: a rebuild would have loaded the bylines.
    with CaptureQueriesContext(connection) as captured:
        second = client.get(story.get_absolute_url()).content.decode()
    assert not any("articles_byline" in q["sql"] for q in captured.captured_queries)
    assert first == second


def test_publishing_writes_the_page_before_anyone_reads_it(
    editor, django_capture_on_commit_callbacks
):
    story = factories.article("Written at publish time")
    with django_capture_on_commit_callbacks(execute=True):
        story.publish(by=editor)
    assert "Written at publish time" in StoryPage.objects.get(article=story).parts["header"]


def test_a_draft_preview_is_built_but_never_stored(client, editor):
    draft = factories.article("Only a draft")
    client.force_login(editor)
    response = client.get(reverse("desk:preview", args=[draft.pk]))
    assert "Only a draft" in response.content.decode()
    assert not StoryPage.objects.filter(article=draft).exists()


def test_an_edit_of_the_story_shows_at_once(client, story):
    page(client, story)
    story.headline, story.dek = "Lock gates stay shut", "A new dek for the story."
    story.save()
    html = page(client, story)
    assert "Lock gates stay shut" in html and "A new dek for the story." in html
    assert '<h1 id="story-headline">Lock gates reopen</h1>' not in html


def test_a_correction_shows_at_once(client, story, editor):
    page(client, story)
    AddCorrection(story, editor, "The gates are on the east side.").execute()
    assert "The gates are on the east side." in page(client, story)


def test_a_correction_saved_outside_the_workflow_shows_at_once(client, story):
    page(client, story)
    Correction.objects.create(article=story, note="A date was wrong.")
    assert "A date was wrong." in page(client, story)


def test_renaming_a_writer_or_a_quoted_person_shows_at_once(client, story):
    page(client, story)
    writer = story.bylines.first().person
    writer.name = "Renamed Writer"
    writer.save()
    speaker = story.quotes.first().speaker
    speaker.name = "Renamed Speaker"
    speaker.save()
    html = page(client, story)
    assert "Renamed Writer" in html and "Renamed Speaker" in html


def test_editing_a_quote_or_a_related_headline_shows_at_once(client, story):
    page(client, story)
    quote = story.quotes.first()
    quote.text = "Words changed after the fact."
    quote.save()
    link = story.related_headlines.first()
    link.headline = "A headline the desk wrote"
    link.save()
    html = page(client, story)
    assert "Words changed after the fact." in html and "A headline the desk wrote" in html


def test_a_photo_edit_and_its_public_copies_show_at_once(
    client, django_capture_on_commit_callbacks
):
    photo = factories.photo(caption="The first caption.")  # a file, no renditions yet
    story = factories.published("Photo story", lead_photo=photo)
    assert "<picture" not in page(client, story)  # the original is never shown
    ensure_renditions(photo)
    with django_capture_on_commit_callbacks(execute=True):
        release.sync_photos([photo.pk])  # as the task worker does once renditions exist
    public = photo.renditions.get(spec="w800", format="jpeg").url
    assert public and StoryPage.objects.get(article=story).source  # rebuilt, not just stale
    html = page(client, story)
    assert '<source type="image/webp"' in html and public in html
    photo.caption = "A better caption."
    photo.save()
    assert "A better caption." in page(client, story)
    with django_capture_on_commit_callbacks(execute=True):
        release.withdraw(photo.pk)  # its public copies go: no page may print their addresses
    assert StoryPage.objects.get(article=story).source
    assert public not in page(client, story)


def test_an_inline_photo_edit_shows_at_once(client, story):
    page(client, story)
    inline = Photo.objects.get(pk=[b["id"] for b in story.body if b["type"] == "photo"][0])
    inline.caption = "The inline caption, corrected."
    inline.save()
    assert "The inline caption, corrected." in page(client, story)


def test_tags_and_sections_show_their_new_names(client, story):
    page(client, story)
    story.tags.add("Canals")  # no save of the story itself
    tag = story.tags.get(name="topic-0")
    tag.name = "Locks and weirs"
    tag.save()
    story.section.name = "Waterways"
    story.section.save()
    html = page(client, story)
    assert ">Canals</a>" in html and ">Locks and weirs</a>" in html
    assert '<p class="kicker"><a href="/section/world/">Waterways</a></p>' in html


def test_linked_stories_are_read_live_never_stored(client, story, editor):
    page(client, story)
    target = story.related_headlines.first().target
    Article.objects.filter(pk=target.pk).update(headline="The target was retitled")
    assert "The target was retitled" in page(client, story)
    target.refresh_from_db()
    target.unpublish(by=editor)
    assert "The target was retitled" not in page(client, story)


def test_a_scheduled_link_appears_when_its_time_comes(client, story, editor):
    later = factories.article("Comes out later")
    later.publish(by=editor, at=timezone.now() + timedelta(hours=1))
    RelatedHeadline.objects.create(article=story, target=later, position=9)
    story.body = [*story.body, {"type": "related", "id": story.related_headlines.last().pk}]
    story.save()
    assert "Comes out later" not in page(client, story)
    # Time passes: only the target's own row says when it goes live.
    Article.objects.filter(pk=later.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    later.refresh_from_db()
    html = page(client, story)
    link = f'<a href="{later.get_absolute_url()}">Comes out later</a>'
    assert f"<strong>RELATED</strong> {link}" in html  # inline
    box = html[html.index('id="related-heading"') : html.index('id="latest-heading"')]
    assert link in box


def test_changed_site_settings_rebuild_every_page(client, story, settings):
    page(client, story)
    settings.NEWSROOM_SITE_URL = "https://news.example"
    assert f'<link rel="canonical" href="https://news.example{story.get_absolute_url()}">' in (
        page(client, story)
    )


def test_the_rebuild_command_writes_missing_and_stale_pages_only(client, story):
    from io import StringIO

    from django.core.management import call_command

    draft = factories.article("A draft has no page")
    page(client, story)
    Article.objects.filter(pk=story.pk).update(version=99)  # as if edited by a bulk path
    published = set(Article.objects.filter(status="published").values_list("pk", flat=True))
    out = StringIO()
    call_command("rebuild_story_pages", stdout=out)
    assert f"Built {len(published)} story pages." in out.getvalue()  # the stale one and the rest
    assert set(StoryPage.objects.values_list("article_id", flat=True)) == published
    assert not StoryPage.objects.filter(article=draft).exists()
    out = StringIO()
    call_command("rebuild_story_pages", stdout=out)
    assert out.getvalue().strip() == "Built 0 story pages."


def test_feeds_print_the_same_from_stored_pages_in_fewer_queries(client, story):
    url = reverse("feeds:latest-rss")
    built_now = client.get(url).content  # no stored pages yet: built in bulk, not stored
    assert not StoryPage.objects.exists()
    readmodel.rebuild(Article.objects.published().values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as captured:
        stored = client.get(url).content
    assert stored == built_now
    assert len(captured) <= 3  # the stories with their pages, the live linked stories


def test_a_story_that_cannot_be_built_never_breaks_the_rebuild(monkeypatch, story, client):
    from articles.readmodel import store

    other = factories.published("A story that builds")
    real = store.build_parts

    def broken(article, photos=None, preview=False):
        if article.pk == story.pk:
            raise ValueError("corrupt body")
        return real(article, photos, preview)

    monkeypatch.setattr(store, "build_parts", broken)
    assert readmodel.rebuild([story.pk, other.pk]) == 1
    assert StoryPage.objects.filter(article=other).exists()
    assert not StoryPage.objects.filter(article=story).exists()


def test_a_stored_page_never_outlives_what_readers_may_see(client, editor):
    story = factories.published("Once public")
    url = story.get_absolute_url()
    page(client, story)
    assert StoryPage.objects.filter(article=story).exists()
    story.unpublish(by=editor)
    assert client.get(url).status_code == 404
    assert "Once public" not in client.get(reverse("feeds:latest-rss")).content.decode()
    story.refresh_from_db()
    story.publish(by=editor)
    page(client, story)
    story.kill(by=editor, note="Legal")
    assert client.get(url).status_code == 410
    scheduled = factories.article("Not yet")
    scheduled.publish(by=editor, at=timezone.now() + timedelta(hours=1))
    readmodel.rebuild([scheduled.pk])  # stored ahead of its time, as publishing writes it
    scheduled.refresh_from_db()
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert "Not yet" not in client.get(reverse("feeds:latest-rss")).content.decode()


def test_the_stored_page_prints_typography_and_machine_times(client):
    story = factories.published('The "big" lock -- reopened')
    AddCorrection(story, factories.user("Editor"), "A name was misspelt.").execute()
    story.refresh_from_db()
    header = readmodel.page_parts(story)["header"]
    assert "The \u201cbig\u201d lock \u2014 reopened" in header
    # Times as HTML wants them (to the second), the update being the correction's.
    assert f'datetime="{machine_time(story.last_changed)}"' in header
    assert "Updated" in header and "." not in machine_time(story.last_changed)


def test_an_old_address_marks_the_page_stale(client, story):
    page(client, story)
    StoryRedirect.objects.create(article=story, old_path="/world/2020/01/01/old-slug/")
    assert StoryPage.objects.get(article=story).source == ""
    assert client.get("/world/2020/01/01/old-slug/").status_code == 301
