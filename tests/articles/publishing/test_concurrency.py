"""Two editors on one story: stale saves are refused and no text is lost; presence."""

import threading

import pytest
from django.db import connection

from articles.models import Article, Revision
from articles.publishing import revisions
from tests import factories
from tests.desk_fixtures import body_json, change_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editors(client, django_user_model):
    from django.test import Client

    first, second = factories.user("Editor"), factories.user("Editor")
    a, b = Client(), Client()
    a.force_login(first)
    b.force_login(second)
    return a, b


def test_exactly_one_of_two_saves_from_the_same_version_wins(two_editors):
    a, b = two_editors
    story = factories.article(headline="Harbour cranes idle")
    form_a = form_data(a.get(change_url(story)), headline="A's headline", body=body_json("A."))
    form_b = form_data(b.get(change_url(story)), headline="B's headline", body=body_json("B."))

    assert a.post(change_url(story), form_a).status_code == 302
    refused = b.post(change_url(story), form_b)

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Not saved" in page and "Headline" in page and "Body" in page  # what changed
    assert 'value="B&#x27;s headline"' in page  # B's text is still in the form
    story.refresh_from_db()
    assert story.headline == "A's headline" and story.version == 2
    kept = {r.kind: r.snapshot["headline"] for r in story.revisions.all()}
    assert kept == {Revision.Kind.SAVED: "A's headline", Revision.Kind.UNSAVED: "B's headline"}


def test_the_loser_may_save_over_after_seeing_the_conflict(two_editors):
    a, b = two_editors
    story = factories.article()
    form_a = form_data(a.get(change_url(story)), headline="First")
    form_b = form_data(b.get(change_url(story)), headline="Second")
    a.post(change_url(story), form_a)
    b.post(change_url(story), form_b)
    response = b.post(change_url(story), {**form_b, "_overwrite_version": "2"})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.headline == "Second" and story.version == 3
    # Both saved texts are in the history.
    saved = story.revisions.filter(kind=Revision.Kind.SAVED).values_list("snapshot", flat=True)
    assert {s["headline"] for s in saved} == {"First", "Second"}


def test_a_save_racing_past_validation_is_still_refused(two_editors, monkeypatch):
    """The other save commits after this one's validation, before its guarded UPDATE."""
    from articles.admin.forms import ArticleAdminForm

    a, b = two_editors
    story = factories.article(headline="Original")
    form_a = form_data(a.get(change_url(story)), headline="Winner")
    form_b = form_data(b.get(change_url(story)), headline="Racer")
    assert a.post(change_url(story), form_a).status_code == 302

    check_version = ArticleAdminForm._check_version
    calls = []

    def validated_before_the_winner_committed(self, cleaned):
        calls.append(1)
        if len(calls) == 1:
            self.expected_version = 1  # what validation saw a moment earlier
            return None
        return check_version(self, cleaned)

    monkeypatch.setattr(ArticleAdminForm, "_check_version", validated_before_the_winner_committed)
    response = b.post(change_url(story), form_b)
    assert len(calls) == 2  # the guarded UPDATE refused, and the form was shown again
    assert response.status_code == 200 and "Not saved" in response.content.decode()
    story.refresh_from_db()
    assert story.headline == "Winner" and story.version == 2
    assert story.revisions.filter(kind=Revision.Kind.UNSAVED).get().snapshot["headline"] == "Racer"


def test_a_workflow_step_makes_an_open_form_stale(client, editor):
    story = factories.article()
    client.force_login(editor)
    data = form_data(client.get(change_url(story)), headline="Edited while published")
    story.publish(by=editor)
    response = client.post(change_url(story), data)
    assert response.status_code == 200 and "workflow state only" in response.content.decode()


def test_claim_version_is_a_conditional_update():
    story = factories.article()
    assert revisions.claim_version(story, 1) == 2
    with pytest.raises(revisions.StaleVersion) as exc:
        revisions.claim_version(Article.objects.get(pk=story.pk), 1)
    assert exc.value.current == 2


@pytest.mark.postgres
# serialized_rollback: after this test's flush, PostgreSQL's sequences give content types new
# ids, and the next serialized_rollback test would restore the old ones on top (duplicates).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_threads_claiming_one_version_have_one_winner():
    story = factories.article()
    results, barrier = [], threading.Barrier(4)

    def claim():
        barrier.wait()
        try:
            revisions.claim_version(Article.objects.get(pk=story.pk), 1)
            results.append("won")
        except revisions.StaleVersion:
            results.append("told")
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["told", "told", "told", "won"]


# -- presence ---------------------------------------------------------------------------


def test_presence_shows_who_else_has_the_story_open(two_editors, monkeypatch):
    from django.urls import reverse

    from articles.desk import views

    a, b = two_editors
    story = factories.article()
    url = reverse("desk:presence", args=[story.pk])
    assert a.post(url).json() == {"others": []}
    others = b.post(url).json()["others"]
    assert len(others) == 1 and others[0]["name"].startswith("user")
    assert a.post(url)["Cache-Control"] == "private, no-store"

    now = views.time.time()
    monkeypatch.setattr(views.time, "time", lambda: now + views.PRESENCE_FRESH + 1)
    assert a.post(url).json() == {"others": []}  # b stopped pinging: gone


def test_presence_lives_in_the_shared_cache_not_in_the_process():
    from django.core.cache import cache

    from articles.desk.views import presence_key

    story = factories.article()
    user = factories.user("Editor")
    from django.test import Client

    c = Client()
    c.force_login(user)
    from django.urls import reverse

    c.post(reverse("desk:presence", args=[story.pk]))
    assert str(user.pk) in cache.get(presence_key(story.pk))


def test_presence_needs_staff_and_post(client, editor):
    from django.urls import reverse

    story = factories.article()
    url = reverse("desk:presence", args=[story.pk])
    assert client.post(url).status_code == 302  # to the login page
    client.force_login(editor)
    assert client.get(url).status_code == 405
