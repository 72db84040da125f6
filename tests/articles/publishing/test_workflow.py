"""Workflow through the admin: each role against each step, scheduling and its boundary."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction, Status
from articles.publishing.steps import Unschedule
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ["Reporter", "Editor", "Photo editor", "Admin"]

# step -> (how to prepare the story, extra POST data, the roles allowed to take it)
STEPS = {
    "submit": ("own draft", {}, {"Reporter", "Editor", "Admin"}),
    "publish": ("ready", {}, {"Editor", "Admin"}),
    "schedule": ("ready", {"at": "future"}, {"Editor", "Admin"}),
    "unschedule": ("scheduled", {}, {"Editor", "Admin"}),
    "unpublish": ("live", {}, {"Editor", "Admin"}),
    "kill": ("live", {"note": "Source recanted."}, {"Editor", "Admin"}),
    "return": ("ready", {}, {"Editor", "Admin"}),
    "correct": ("live", {"note": "An earlier version misspelt a name."}, {"Editor", "Admin"}),
}


def prepare(state: str, user):
    chief = factories.user("Editor")
    story = factories.article(created_by=user)
    if state in ("ready", "scheduled", "live"):
        story.submit_for_edit(by=chief)
    if state == "scheduled":
        story.publish(by=chief, at=timezone.now() + timedelta(hours=3))
    if state == "live":
        story.publish(by=chief)
    story.refresh_from_db()
    return story


def state_of(story):
    story.refresh_from_db()
    return (
        story.status,
        story.published_at,
        story.version,
        story.history.count(),
        story.corrections.count(),
    )


def transition(client, story, step, extra):
    data = {"action": step, **extra}
    if data.get("at") == "future":
        at = timezone.localtime() + timedelta(days=1)
        data["at"] = at.strftime("%Y-%m-%dT%H:%M")
    url = reverse("admin:articles_article_transition", args=[story.pk])
    return client.post(url, data, follow=True)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", STEPS)
def test_each_role_against_each_step(client, role, step):
    state, extra, allowed = STEPS[step]
    user = factories.user(role)
    story = prepare(state, user)
    before = state_of(story)
    client.force_login(user)
    response = transition(client, story, step, extra)
    assert response.status_code in (200, 403)
    after = state_of(story)
    if role in allowed:
        assert after != before, f"{role} should be able to {step}"
        if step != "correct":
            assert story.history.first().user == user
    else:
        assert after == before, f"{role} must not be able to {step}"


def test_expected_states_after_each_step(client, editor):
    client.force_login(editor)
    expected = {
        "publish": Status.PUBLISHED,
        "schedule": Status.PUBLISHED,
        "unschedule": Status.READY,
        "unpublish": Status.UNPUBLISHED,
        "kill": Status.KILLED,
        "return": Status.DRAFT,
        "correct": Status.PUBLISHED,
    }
    for step, status in expected.items():
        state, extra, _ = STEPS[step]
        story = prepare(state, editor)
        transition(client, story, step, extra)
        story.refresh_from_db()
        assert story.status == status, step
    scheduled = Article.objects.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())
    assert scheduled.exists()


def test_publishing_an_incomplete_story_shows_why(client, editor):
    story = factories.article(authors=0, paragraphs=())
    client.force_login(editor)
    response = transition(client, story, "publish", {})
    text = response.content.decode()
    assert response.status_code == 200
    assert "needs at least one byline" in text and "needs a body" in text
    assert state_of(story)[0] == Status.DRAFT


def test_lead_photo_without_alt_text_blocks_publishing(client, editor):
    story = factories.article(lead_photo=factories.photo(alt_text=""))
    client.force_login(editor)
    response = transition(client, story, "publish", {})
    assert "no alt text" in response.content.decode()
    assert state_of(story)[0] == Status.DRAFT


def test_double_submitted_publish_publishes_once(client, editor):
    story = prepare("ready", editor)
    client.force_login(editor)
    transition(client, story, "publish", {})
    response = transition(client, story, "publish", {})
    assert "nothing to do" in response.content.decode()
    assert story.history.filter(to_status=Status.PUBLISHED).count() == 1


def test_schedule_without_a_time_is_a_message(client, editor):
    story = prepare("ready", editor)
    client.force_login(editor)
    response = transition(client, story, "schedule", {})
    assert "Give the time" in response.content.decode()
    assert state_of(story)[0] == Status.READY


def test_kill_needs_a_note_and_says_so(client, editor):
    story = prepare("live", editor)
    client.force_login(editor)
    response = transition(client, story, "kill", {})
    assert "Say why" in response.content.decode()
    assert state_of(story)[0] == Status.PUBLISHED


def test_correction_is_dated_and_announced(client, editor, django_capture_on_commit_callbacks):
    from articles.signals import story_changed

    story = prepare("live", editor)
    seen = []

    def listener(sender, article, **kwargs):
        seen.append(article.pk)

    story_changed.connect(listener)
    client.force_login(editor)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            transition(client, story, "correct", {"note": "Fixed a date.", "kind": "update"})
    finally:
        story_changed.disconnect(listener)
    correction = Correction.objects.get(article=story)
    assert correction.kind == "update" and correction.created_by == editor
    assert correction.created_at is not None and seen and set(seen) == {story.pk}


def test_correction_on_a_draft_is_refused(client, editor):
    story = factories.article()
    client.force_login(editor)
    response = transition(client, story, "correct", {"note": "Too early."})
    assert "go on published stories" in response.content.decode()
    assert not story.corrections.exists()


def test_a_live_story_cannot_be_scheduled_into_the_future(client, editor):
    story = prepare("live", editor)
    client.force_login(editor)
    response = transition(client, story, "schedule", {"at": "future"})
    assert "cannot be scheduled" in response.content.decode()
    assert story.published_at == Article.objects.get(pk=story.pk).published_at


# -- the scheduled-visibility boundary ------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """Set the time every ``timezone.now()`` call sees."""

    class Clock:
        def set(self, moment):
            monkeypatch.setattr(timezone, "now", lambda: moment)

    return Clock()


def public_addresses(story):
    return [
        story.get_absolute_url(),
        reverse("articles:home"),
        reverse("articles:section", kwargs={"slug": story.section.slug}),
        reverse("feeds:latest-rss"),
        reverse("feeds:section-rss", kwargs={"slug": story.section.slug}),
        reverse("feeds:news-sitemap"),
    ]


def visible_everywhere(client, story) -> list[bool]:
    from django.core.cache import cache

    cache.clear()  # the boundary is about the query, not about how long a page is cached
    seen = []
    detail = client.get(story.get_absolute_url())
    seen.append(detail.status_code == 200)
    for url in public_addresses(story)[1:]:
        response = client.get(url)
        assert response.status_code == 200, url
        seen.append(story.headline in response.content.decode())
    seen.append(Article.objects.published().filter(pk=story.pk).exists())
    return seen


def test_scheduled_story_appears_exactly_at_its_time(client, editor, clock):
    at = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    story = factories.article(headline="Embargoed harbour report")
    story.publish(by=editor, at=at)
    story.refresh_from_db()
    assert story.is_scheduled

    clock.set(at - timedelta(seconds=1))
    assert not any(visible_everywhere(client, story))
    clock.set(at)
    assert all(visible_everywhere(client, story))


def test_unpublish_time_removes_the_story_exactly_then(client, editor, clock):
    story = factories.published(headline="Ferry timetable for the summer", by=editor)
    until = (timezone.now() + timedelta(days=1)).replace(microsecond=0)
    Article.objects.filter(pk=story.pk).update(unpublish_at=until)
    story.refresh_from_db()

    clock.set(until - timedelta(seconds=1))
    assert all(visible_everywhere(client, story))
    clock.set(until)
    assert not any(visible_everywhere(client, story))


def heard(django_capture_on_commit_callbacks, action):
    """(article pk, event) pairs that ``story_changed`` carried while ``action`` ran."""
    from articles.signals import story_changed

    seen = []

    def listener(sender, article, event, **kwargs):
        seen.append((article.pk, event))

    story_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            action()
    finally:
        story_changed.disconnect(listener)
    return seen


def test_each_step_names_its_event(editor, django_capture_on_commit_callbacks):
    from articles.signals import StoryEvent

    story = prepare("ready", editor)
    later = timezone.now() + timedelta(hours=2)
    steps = [
        (lambda: story.publish(by=editor, at=later), StoryEvent.SCHEDULED),
        (lambda: Unschedule(story, editor).execute(), StoryEvent.UNSCHEDULED),
        (lambda: story.publish(by=editor), StoryEvent.PUBLISHED),
        (lambda: story.unpublish(by=editor), StoryEvent.UNPUBLISHED),
        (lambda: story.kill(by=editor, note="Legal."), StoryEvent.KILLED),
    ]
    for action, event in steps:
        assert heard(django_capture_on_commit_callbacks, action) == [(story.pk, event)]


def test_deleting_a_story_is_announced_with_its_id(editor, django_capture_on_commit_callbacks):
    from articles.signals import StoryEvent

    story = prepare("live", editor)
    pk = story.pk
    assert heard(django_capture_on_commit_callbacks, story.delete) == [(pk, StoryEvent.DELETED)]
