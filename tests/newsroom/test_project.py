"""Whole-project checks: migrations, demo content, the admin and the front page."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, Quote, RelatedHeadline, Status

pytestmark = pytest.mark.django_db


def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())


def test_roles_exist_with_their_powers():
    from django.contrib.auth.models import Group

    editor = Group.objects.get(name="Editor")
    reporter = Group.objects.get(name="Reporter")
    assert editor.permissions.filter(codename="publish_article").exists()
    assert not reporter.permissions.filter(codename="publish_article").exists()
    assert Group.objects.filter(name__in=["Photo editor", "Admin"]).count() == 2


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())


def test_demo_content_is_idempotent(demo):
    counts = (Article.objects.count(), Quote.objects.count(), RelatedHeadline.objects.count())
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert (
        Article.objects.count(),
        Quote.objects.count(),
        RelatedHeadline.objects.count(),
    ) == counts
    assert "0 stories created" in out.getvalue()


def test_demo_has_a_draft_a_scheduled_story_and_linked_related(demo):
    assert Article.objects.drafts().count() == 1
    assert Article.objects.scheduled().count() == 1
    assert Article.objects.published().count() >= 5
    assert not RelatedHeadline.objects.unresolved().exists()
    multi = Article.objects.get(slug="glacier-survey-finds-faster-melt-at-high-altitude")
    assert multi.bylines.count() == 3 and multi.lead_photo.renditions.count() == 10


def test_home_page_lists_published_demo_stories_only(client, demo):
    response = client.get(reverse("articles:home"))
    assert response.status_code == 200
    html = response.content.decode()
    for story in Article.objects.published():
        assert story.headline in html
    assert "Rail unions and operators" not in html  # the draft
    assert "next week&#x27;s budget" not in html and "next week's budget" not in html


def test_article_page_renders_blocks(client, demo):
    story = Article.objects.get(slug="river-towns-brace-for-second-flood-crest")
    response = client.get(story.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "VIENNA" in html and "RELATED" in html and "Photo by Tomas Berg/Newsroom" in html


def test_unpublished_story_is_not_found(client, demo):
    draft = Article.objects.get(status=Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("model", ["article", "photo", "quote", "relatedheadline", "section"])
def test_admin_changelists_have_constant_queries(
    admin_client, demo, model, django_assert_max_num_queries
):
    url = reverse(f"admin:articles_{model}_changelist")
    with django_assert_max_num_queries(12):
        response = admin_client.get(url)
    assert response.status_code == 200


def test_admin_changelist_calls_a_future_story_scheduled(admin_client, demo):
    html = admin_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert ">Scheduled<" in html and ">Draft<" in html


def test_admin_article_form_shows_inlines(admin_client, demo):
    story = Article.objects.get(slug="glacier-survey-finds-faster-melt-at-high-altitude")
    response = admin_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Jonas Müller" in html and "Ingrid Haugen" in html
    assert "river-towns" in html or "River towns brace" in html


def test_person_admin_changelist(admin_client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert admin_client.get(reverse("admin:people_person_changelist")).status_code == 200


def test_seed_demo_never_uses_the_documented_password_without_debug(settings, monkeypatch):
    """Issue 11, defect 13: production settings get no admin / newsroom-demo back door."""
    from django.contrib.auth import authenticate

    monkeypatch.delenv("NEWSROOM_DEMO_PASSWORD", raising=False)
    settings.DEBUG = False
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert authenticate(username="admin", password="newsroom-demo") is None
    assert "Admin login: admin / " in out.getvalue()


def test_login_with_an_unsafe_next_lands_on_the_desk(client):
    from tests import factories

    factories.user("Editor", username="night-editor")
    response = client.post(
        "/admin/login/?next=https://evil.example/",
        {"username": "night-editor", "password": "pw", "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == "/desk/"
