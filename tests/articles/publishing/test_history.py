"""One history: saves and steps in one timeline, restore asks first, diffs name things."""

import pytest
from django.urls import reverse

from articles.publishing import revisions
from tests import factories
from tests.desk_fixtures import open_and_post

pytestmark = pytest.mark.django_db


def test_steps_and_saves_share_one_timeline_without_gaps(client, editor):
    story = factories.article(headline="First words")
    client.force_login(editor)
    open_and_post(client, story, headline="Second words")  # v2
    open_and_post(client, story, _step="publish")  # v3 (save) and v4 (step)
    page = client.get(reverse("admin:articles_article_revisions", args=[story.pk]))
    versions = [version for _kind, version, _at, _entry in page.context["timeline"]]
    assert sorted(versions) == [2, 3, 4]
    assert "Workflow: draft → <strong>published</strong>" in page.content.decode()


def test_restoring_asks_first_and_says_the_live_page_changed(client, editor):
    story = factories.published(headline="The live headline")
    client.force_login(editor)
    open_and_post(client, story, headline="A later headline")
    old = story.revisions.get()
    revisions.record(story, editor, note="a second revision")  # something older to go back to
    url = reverse("admin:articles_article_restore", args=[story.pk, old.pk])
    confirm = client.get(url)
    html = confirm.content.decode()
    assert "This story is live" in html and "Restore version" in html
    story.refresh_from_db()
    assert story.revisions.filter(kind="restored").count() == 0  # asking changed nothing

    response = client.post(url, {"version": story.version}, follow=True)
    assert "The live page changed" in response.content.decode()
    story.refresh_from_db()
    restored = story.revisions.get(kind="restored")
    assert restored.version == story.version and story.headline == "A later headline"


def test_diffs_name_links_speakers_and_confirmations_not_ids(editor):
    target = factories.published(headline="Port cranes stand idle")
    story = factories.article()
    speaker = factories.person("Noor Haddad")
    quote = factories.quote(story, speaker=speaker, text="We will reopen.", confirmed=False)
    line = factories.related(story, target=target, headline="Cranes idle")
    photo = factories.photo(caption="Cranes at dusk")
    story.body = [
        *story.body,
        {"type": "related", "id": line.pk},
        {"type": "photo", "id": photo.pk},
    ]
    story.save()
    before = revisions.snapshot(story)
    quote.confirmed = True
    quote.save()
    after = revisions.snapshot(story)
    rows = {row.label: row for row in revisions.compare(before, after)}
    assert rows["Quotes"].changed
    assert "Noor Haddad" in rows["Quotes"].new and "confirmed" in rows["Quotes"].new
    assert "Port cranes stand idle" in rows["Related headlines"].new
    body = " ".join(str(row.new) for label, row in rows.items() if label.startswith("Body"))
    assert "Port cranes stand idle" in body and "Cranes at dusk" in body
    assert f"#{line.pk}" not in body
