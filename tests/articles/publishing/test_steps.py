import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from articles.models import Status
from articles.publishing.steps import Kill, Publish, SubmitForEdit, Unpublish
from tests import factories

pytestmark = pytest.mark.django_db


def test_publish_records_history_and_bumps_version(editor):
    story = factories.article()
    assert Publish(story, editor).execute()
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED and story.published_at and story.version == 2
    change = story.history.get()
    assert (change.user, change.from_status, change.to_status) == (editor, "draft", "published")


def test_double_publish_publishes_once(editor):
    story = factories.article()
    assert Publish(story, editor).execute()
    assert not Publish(story, editor).execute()
    assert story.history.count() == 1


def test_reporter_cannot_publish_and_nothing_changes(reporter):
    story = factories.article(created_by=reporter)
    with pytest.raises(PermissionDenied):
        Publish(story, reporter).execute()
    story.refresh_from_db()
    assert story.status == Status.DRAFT and not story.history.exists()


def test_reporter_submits_own_draft_but_not_others(reporter):
    own = factories.article(created_by=reporter)
    assert SubmitForEdit(own, reporter).execute()
    other = factories.article()
    with pytest.raises(PermissionDenied):
        SubmitForEdit(other, reporter).execute()


def test_unpublishable_story_is_refused_with_reasons(editor):
    story = factories.article(authors=0, paragraphs=())
    with pytest.raises(ValidationError) as exc:
        Publish(story, editor).execute()
    assert "byline" in str(exc.value) and "body" in str(exc.value)


def test_kill_needs_a_note(editor):
    story = factories.published(by=editor)
    with pytest.raises(ValidationError):
        Kill(story, editor, note=" ").execute()
    assert Kill(story, editor, note="Source retracted").execute()
    story.refresh_from_db()
    assert story.status == Status.KILLED and story.kill_note == "Source retracted"


def test_unpublish_only_from_published(editor):
    with pytest.raises(ValidationError):
        Unpublish(factories.article(), editor).execute()
