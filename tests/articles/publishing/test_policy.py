"""The permission policy, cell by cell: every role x every action x every story state.

Each cell is asserted twice: through the policy and the step registry (what the desk offers),
and through the real endpoint with a forged POST (what the server does). The expected table is
written out here by hand, from the rules as the docs state them, not derived from the code.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Status
from articles.publishing import policy as rules
from articles.publishing.policy import policy
from articles.publishing.steps import STEPS, offered_steps
from tests import factories
from tests.desk_fixtures import change_url, form_data

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reporter-own", "reporter-other", "photo-editor", "editor", "admin"]
STATES = ["draft", "ready", "scheduled", "live", "expired", "unpublished", "killed"]

# When each step applies (the story's state), whoever takes it.
WHEN = {
    rules.SUBMIT: {"draft"},
    rules.PUBLISH: {"draft", "ready", "scheduled", "unpublished"},
    rules.SCHEDULE: {"draft", "ready", "scheduled", "unpublished"},
    rules.UNSCHEDULE: {"scheduled"},
    rules.UNPUBLISH: {"live", "expired"},
    rules.KILL: {"live", "expired", "unpublished"},
    rules.RETURN: {"ready", "unpublished"},
    rules.CORRECT: {"scheduled", "live", "expired"},
}
EVERY = set(STATES)
# Who may, in which states (before the step's own "when").
WHO = {
    "anonymous": {},
    "photo-editor": {rules.VIEW: EVERY},
    "reporter-other": {rules.VIEW: EVERY, rules.CREATE: EVERY},
    "reporter-own": {
        rules.VIEW: EVERY,
        rules.CREATE: EVERY,
        rules.HISTORY: EVERY,
        **{a: {"draft"} for a in (rules.EDIT, rules.SUBMIT, rules.SHARE, rules.RESTORE)},
        rules.CONFIRM_QUOTES: {"draft"},
    },
    "editor": {action: EVERY for action in rules.RULES if action != rules.PARTNERS},
    "admin": {action: EVERY for action in rules.RULES},
}


def who(role: str, action: str, state: str) -> bool:
    """The policy's answer: may this role do this to a story in this state (steps aside)."""
    return state in WHO[role].get(action, set())


def expected(role: str, action: str, state: str) -> bool:
    """What the server does: the policy's "who" and, for a step, the step's "when"."""
    return who(role, action, state) and (action not in WHEN or state in WHEN[action])


def make_user(role: str):
    if role == "anonymous":
        return AnonymousUser()
    group = {
        "reporter-own": "Reporter",
        "reporter-other": "Reporter",
        "photo-editor": "Photo editor",
        "editor": "Editor",
        "admin": "Admin",
    }[role]
    return factories.user(group)


def story_in(state: str, owner) -> Article:
    chief = factories.user("Editor")
    story = factories.article(created_by=owner)
    factories.quote(story, confirmed=False)
    now = timezone.now()
    if state == "ready":
        story.submit_for_edit(by=chief)
    elif state == "scheduled":
        story.publish(by=chief, at=now + timedelta(hours=3))
    elif state in ("live", "expired", "unpublished", "killed"):
        story.publish(by=chief, at=now - timedelta(hours=2))
        if state == "expired":
            Article.objects.filter(pk=story.pk).update(unpublish_at=now - timedelta(minutes=5))
        elif state == "unpublished":
            story.unpublish(by=chief)
        elif state == "killed":
            story.kill(by=chief, note="Legal.")
    story.refresh_from_db()
    return story


@pytest.fixture(params=ROLES)
def role(request):
    return request.param


@pytest.fixture(params=STATES)
def state(request):
    return request.param


@pytest.fixture
def cell(role, state):
    user = make_user(role)
    owner = user if role == "reporter-own" else factories.user("Reporter")
    return role, state, user, story_in(state, owner)


def test_the_policy_and_the_offered_steps_follow_the_table(cell):
    role, state, user, story = cell
    for action in rules.RULES:
        assert policy.may(user, action, story) == who(role, action, state), (role, state, action)
    offered = {step.name for step in offered_steps(user, story)}
    assert offered == {name for name in STEPS if expected(role, name, state)}, (role, state)


def test_the_policy_queryset_agrees_with_the_single_story_answer(cell):
    role, state, user, story = cell
    for action in rules.RULES:
        in_queryset = policy.stories(user, action).filter(pk=story.pk).exists()
        assert in_queryset == policy.may(user, action, story), (role, state, action)


def login(client, user):
    if user.is_authenticated:
        client.force_login(user)


def snapshot(story):
    story.refresh_from_db()
    return (story.status, story.published_at, story.corrections.count())


@pytest.mark.parametrize("step", list(STEPS))
def test_each_step_through_the_endpoint(client, cell, step):
    role, state, user, story = cell
    login(client, user)
    before = snapshot(story)
    at = timezone.localtime() + timedelta(days=1, minutes=7)
    data = {"action": step, "note": "Because.", "kind": "correction"}
    data["at"] = at.strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("admin:articles_article_transition", args=[story.pk]), data)
    changed = snapshot(story) != before
    assert changed == expected(role, step, state), (role, state, step, response.status_code)
    assert response.status_code in (302, 403)


def test_editing_through_the_endpoint(client, cell):
    role, state, user, story = cell
    editor = factories.user("Editor")
    client.force_login(editor)
    page = client.get(change_url(story))
    data = form_data(page, headline="A forged new headline")
    client.logout()
    login(client, user)
    response = client.post(change_url(story), data)
    story.refresh_from_db()
    edited = story.headline == "A forged new headline"
    assert edited == expected(role, rules.EDIT, state), (role, state, response.status_code)
    assert response.status_code in (200, 302, 403)


def test_history_share_restore_and_delete_through_the_endpoints(client, cell):
    role, state, user, story = cell
    login(client, user)
    history = client.get(reverse("admin:articles_article_revisions", args=[story.pk]))
    assert (history.status_code == 200) == expected(role, rules.HISTORY, state), (role, state)

    links = story.share_links.count()
    client.post(reverse("admin:articles_article_share", args=[story.pk]), {"days": "3"})
    shared = story.share_links.count() > links
    assert shared == expected(role, rules.SHARE, state), (role, state)

    revision = story.revisions.order_by("pk").first() or _revision(story)
    version = Article.objects.get(pk=story.pk).version
    url = reverse("admin:articles_article_restore", args=[story.pk, revision.pk])
    client.post(url, {"version": version})
    restored = story.revisions.filter(kind="restored").exists()
    # Restoring a killed story's text changes nothing readers see; the rule is the edit rule.
    assert restored == expected(role, rules.RESTORE, state), (role, state)

    quote = story.quotes.get()
    client.post(
        reverse("admin:articles_quote_changelist"),
        {"action": "confirm", "_selected_action": [quote.pk]},
    )
    quote.refresh_from_db()
    assert quote.confirmed == expected(role, rules.CONFIRM_QUOTES, state), (role, state)

    client.post(reverse("admin:articles_article_delete", args=[story.pk]), {"post": "yes"})
    deleted = not Article.objects.filter(pk=story.pk).exists()
    assert deleted == expected(role, rules.DELETE, state), (role, state)


def _revision(story):
    from articles.publishing import revisions

    return revisions.record(story, None, note="Starting point.")


def test_a_reporter_cannot_take_over_a_story_by_relinking_a_person(client):
    """Issue 11, defect 1: the login link of a person is not the reporter's to change."""
    victim, attacker = factories.user("Reporter"), factories.user("Reporter")
    writer = factories.person("Victim Writer", user=victim)
    draft = factories.article("The victim's draft")
    draft.bylines.update(person=writer)
    client.force_login(attacker)
    url = reverse("admin:people_person_change", args=[writer.pk])
    page = client.get(url)
    assert page.status_code in (200, 403)
    client.post(url, {"name": writer.name, "slug": writer.slug, "user": attacker.pk})
    writer.refresh_from_db()
    assert writer.user == victim
    assert not policy.may(attacker, rules.EDIT, draft)
    assert not policy.may(attacker, rules.SHARE, draft)
    # Nor may the reporter rewrite another staff member's public page.
    client.post(url, {"name": "Defaced", "slug": writer.slug, "bio": "Defaced."})
    writer.refresh_from_db()
    assert writer.name == "Victim Writer"


def test_a_reporter_edits_sources_and_their_own_page_but_never_logins(client):
    reporter = factories.user("Reporter")
    own = factories.person("Reporter Themself", user=reporter)
    source = factories.person("A Source")
    client.force_login(reporter)
    for person in (own, source):
        url = reverse("admin:people_person_change", args=[person.pk])
        client.post(url, {"name": person.name, "slug": person.slug, "bio": "New bio."})
        person.refresh_from_db()
        assert person.bio == "New bio."
    url = reverse("admin:people_person_change", args=[source.pk])
    client.post(url, {"name": source.name, "slug": source.slug, "user": reporter.pk})
    source.refresh_from_db()
    assert source.user is None


def test_an_admin_may_link_a_login(client):
    admin_user = factories.user("Admin")
    reporter = factories.user("Reporter")
    person = factories.person("New Hire")
    client.force_login(admin_user)
    url = reverse("admin:people_person_change", args=[person.pk])
    client.post(url, {"name": person.name, "slug": person.slug, "user": reporter.pk})
    person.refresh_from_db()
    assert person.user == reporter


def test_status_names_in_the_table_are_real_states():
    assert {Status.DRAFT, Status.READY, Status.PUBLISHED, Status.UNPUBLISHED, Status.KILLED} == {
        s.value for s in Status
    }


def test_the_desk_docs_show_the_registry_as_it_is():
    from articles.publishing.steps import steps_table
    from tests.support import REPO

    assert steps_table() in (REPO / "docs" / "desk.md").read_text(encoding="utf-8")


def test_each_step_through_the_story_form(client, cell):
    """The story form's buttons save and then take the step: allowed exactly when the user may
    edit the story and take the step in its state. One story per cell, put back after each step."""
    role, state, user, story = cell
    client.force_login(factories.user("Editor"))
    at = timezone.localtime() + timedelta(days=1, minutes=7)
    data = form_data(
        client.get(change_url(story)),
        step_note="Because.",
        step_kind="correction",
        step_at=at.strftime("%Y-%m-%dT%H:%M"),
    )
    client.logout()
    login(client, user)
    state_fields = ["status", "published_at", "first_published_at", "unpublish_at", "version"]
    saved = Article.objects.filter(pk=story.pk).values(*state_fields).get()
    for step in STEPS:
        Article.objects.filter(pk=story.pk).update(**saved)
        story.corrections.all().delete()
        before = snapshot(story)
        response = client.post(change_url(story), {**data, "_step": step})
        changed = snapshot(story) != before
        allowed = expected(role, rules.EDIT, state) and expected(role, step, state)
        assert changed == allowed, (role, state, step, response.status_code)
        assert response.status_code in (200, 302, 403)
