"""The editors' dashboard: its lists, its filters and a fixed number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

DESK = "/desk/"


@pytest.fixture
def newsroom(editor, reporter):
    world, sport = factories.section("World"), factories.section("Sport")
    mine = factories.article(headline="My own draft", created_by=reporter, section=world)
    ready = factories.article(headline="Waiting for an editor", section=sport)
    ready.submit_for_edit(by=editor)
    later = timezone.now() + timedelta(hours=5)
    scheduled = factories.article(headline="Embargoed budget", section=world)
    scheduled.publish(by=editor, at=later)
    live = factories.published(headline="Storm closes the port", by=editor, section=world)
    live.tags.add("storms")
    factories.related(live, headline="An unresolved link")
    factories.quote(live, text="We closed at dawn.", confirmed=False)
    return {"mine": mine, "ready": ready, "scheduled": scheduled, "live": live, "at": later}


def test_desk_url_is_in_the_desk_namespace():
    assert reverse("desk:dashboard") == DESK


def test_each_list_shows_its_stories(client, reporter, newsroom):
    client.force_login(reporter)
    page = client.get(DESK).content.decode()
    for text in (
        "My own draft",
        "Waiting for an editor",
        "Embargoed budget",
        "Storm closes the port",
        "An unresolved link",
        "We closed at dawn.",
    ):
        assert text in page, text
    at = timezone.localtime(newsroom["at"])
    # Scheduled with its time: valid in <time> (to the second), with the year and the zone.
    assert f'datetime="{at.replace(microsecond=0).isoformat()}"' in page
    assert f"{at:%b} {at.day}, {at.year}, {at:%H:%M} {at.tzname()}" in page


def test_my_drafts_are_only_mine(client, editor, newsroom):
    client.force_login(editor)
    response = client.get(DESK)
    assert list(response.context["my_drafts"]) == []


@pytest.mark.parametrize(
    "query, shown, hidden",
    [
        ({"status": "ready"}, "Waiting for an editor", "Storm closes the port"),
        ({"section": "sport"}, "Waiting for an editor", "Embargoed budget"),
        ({"q": "port storm"}, "Storm closes the port", "Embargoed budget"),
        ({"tag": "storms"}, "Storm closes the port", "Waiting for an editor"),
    ],
)
def test_filters_narrow_every_list(client, editor, newsroom, query, shown, hidden):
    from taggit.models import Tag

    from articles.models import Section

    if "section" in query:
        query = {"section": Section.objects.get(slug=query["section"]).pk}
    if "tag" in query:
        query = {"tag": Tag.objects.get(name=query["tag"]).pk}
    client.force_login(editor)
    page = client.get(DESK, query).content.decode()
    assert shown in page and hidden not in page


def test_author_and_date_filters(client, editor, newsroom):
    author = newsroom["live"].bylines.get().person
    client.force_login(editor)
    page = client.get(DESK, {"author": author.pk}).content.decode()
    assert "Storm closes the port" in page and "Embargoed budget" not in page
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = client.get(DESK, {"changed_after": tomorrow}).content.decode()
    assert "Storm closes the port" not in page


def test_desk_costs_the_same_queries_for_3_or_30_stories(client, editor, django_assert_num_queries):
    client.force_login(editor)

    def one_of_each():
        factories.article(created_by=editor, authors=2)
        factories.article(authors=2).submit_for_edit(by=editor)
        factories.article().publish(by=editor, at=timezone.now() + timedelta(hours=2))
        factories.published(by=editor)

    one_of_each()
    client.get(DESK)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(DESK)
    for _ in range(8):
        one_of_each()
    with django_assert_num_queries(len(few)):
        client.get(DESK)


def test_desk_needs_staff(client):
    assert client.get(DESK).status_code == 302


def test_admin_index_links_to_the_desk(client, editor):
    client.force_login(editor)
    assert DESK in client.get(reverse("admin:index")).content.decode()


def test_tag_suggestions_for_the_story_form(client, editor):
    story = factories.article()
    story.tags.add("Harbour", "Harvest", "Storms")
    client.force_login(editor)
    response = client.get(reverse("desk:tags"), {"q": "har"})
    assert response.json() == {"tags": ["Harbour", "Harvest"]}
    page = client.get(reverse("admin:articles_article_add")).content.decode()
    assert reverse("desk:tags") in page


def test_new_tags_are_created_by_typing_them(client, editor):
    from taggit.models import Tag

    from tests.desk_fixtures import open_and_post

    story = factories.article()
    client.force_login(editor)
    open_and_post(client, story, tags="harbour, brand new tag")
    assert Tag.objects.filter(name="brand new tag").exists()
    assert sorted(story.tags.names()) == ["brand new tag", "harbour"]
