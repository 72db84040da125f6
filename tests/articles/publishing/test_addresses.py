"""Published addresses keep working (issue 11, defect 3): old ones answer 301, killed 410."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, StoryRedirect
from tests import factories
from tests.desk_fixtures import open_and_post

pytestmark = pytest.mark.django_db


def follow(client, path):
    response = client.get(path)
    return response.status_code, response.get("Location")


def test_republishing_on_another_day_redirects_the_old_address(client, editor):
    story = factories.published("Ferry timetable changes", hours_ago=72, by=editor)
    old = story.get_absolute_url()
    story.unpublish(by=editor)
    story.publish(by=editor)
    story.refresh_from_db()
    new = story.get_absolute_url()
    assert new != old
    assert follow(client, old) == (301, new)
    assert client.get(new).status_code == 200
    assert StoryRedirect.objects.filter(old_path=old, article=story).exists()


def test_moving_a_story_to_another_section_redirects(client, editor):
    story = factories.published("Council budget passes", by=editor)
    old = story.get_absolute_url()
    client.force_login(editor)
    business = factories.section("Business")
    response = open_and_post(client, story, section=str(business.pk))
    assert response.status_code == 302
    client.logout()
    story.refresh_from_db()
    assert story.section == business
    assert follow(client, old) == (301, story.get_absolute_url())


def test_a_new_slug_redirects_through_the_table(client, editor):
    story = factories.published("Bridge closes for repairs", by=editor)
    old = story.get_absolute_url()
    client.force_login(editor)
    open_and_post(client, story, slug="bridge-repairs-begin")
    client.logout()
    story.refresh_from_db()
    assert story.slug == "bridge-repairs-begin"
    assert follow(client, old) == (301, story.get_absolute_url())


def test_a_killed_story_answers_410_at_every_address_it_had(client, editor):
    story = factories.published("Storm warning lifted", by=editor)
    old = story.get_absolute_url()
    client.force_login(editor)
    open_and_post(client, story, slug="storm-warning-ends")
    client.logout()
    story.refresh_from_db()
    story.kill(by=editor, note="Legal.")
    assert client.get(old).status_code == 410
    assert client.get(story.get_absolute_url()).status_code == 410


def test_a_draft_never_leaks_through_an_old_address(client, editor):
    story = factories.published("Market reopens", by=editor)
    old = story.get_absolute_url()
    story.unpublish(by=editor)
    assert client.get(old).status_code == 404


def test_addresses_of_stories_never_published_are_not_kept(editor):
    story = factories.article("Quiet draft")
    Article.objects.filter(pk=story.pk).update(slug="renamed-draft")
    factories.published("Another", by=editor)
    assert not StoryRedirect.objects.exists()


def test_redirects_are_editable_in_the_admin(client, editor):
    story = factories.published("Tram line extended", by=editor)
    admin_user = factories.user("Admin")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:articles_storyredirect_add"),
        {"old_path": "/news/2020/01/01/tram/", "article": story.pk},
    )
    assert response.status_code == 302
    client.logout()
    assert follow(client, "/news/2020/01/01/tram/") == (301, story.get_absolute_url())


def test_scheduled_republication_redirects_once_it_is_live(client, editor):
    story = factories.published("Library hours", hours_ago=50, by=editor)
    old = story.get_absolute_url()
    story.unpublish(by=editor)
    story.publish(by=editor, at=timezone.now() + timedelta(minutes=5))
    assert client.get(old).status_code == 404  # not public yet
    Article.objects.filter(pk=story.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    story.refresh_from_db()
    assert follow(client, old) == (301, story.get_absolute_url())
