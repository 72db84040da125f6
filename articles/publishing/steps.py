"""Workflow transitions: one class per mutation, ``check()`` then ``execute()``.

Every path — admin actions, the change form, bulk actions, commands, tests — goes through
these classes, so permissions and rules are enforced in one place on the server.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.models import Article, Correction, Status, StatusChange
from articles.signals import StoryEvent, announce


class TransitionNotAllowed(PermissionDenied):
    """The user may not make this transition."""


class InvalidTransition(ValidationError):
    """The story is not in a state (or shape) that allows this transition."""


def can_edit(user, article: Article) -> bool:
    """Editors edit anything; reporters edit their own stories while they are drafts."""
    if not user or not user.is_active:
        return False
    if user.has_perm("articles.edit_any_article"):
        return True
    if not user.has_perm("articles.change_article"):
        return False
    return article.status == Status.DRAFT and is_own(user, article)


def is_own(user, article: Article) -> bool:
    if article.pk is None or article.created_by_id == user.pk:
        return True
    return article.bylines.filter(person__user=user).exists()


class ArticleAction:
    allowed_from: tuple[str, ...] = ()
    to_status: str = ""
    permission = "articles.publish_article"
    verb = "change"

    def __init__(self, article: Article, user, note: str = ""):
        self.article = article
        self.user = user
        self.note = note.strip()

    def check(self) -> None:
        """Raise TransitionNotAllowed or InvalidTransition; change nothing."""
        if not self.user or not self.user.is_active or not self.user.has_perm(self.permission):
            raise TransitionNotAllowed(f"You may not {self.verb} stories.")
        if self.article.status not in self.allowed_from:
            raise InvalidTransition(
                f"A story that is {self.article.get_status_display().lower()} cannot be "
                f"{self.past_tense}."
            )

    past_tense = "changed"

    def apply(self) -> None:
        self.article.status = self.to_status

    def event(self) -> StoryEvent:
        """What receivers of ``story_changed`` hear once the step has committed."""
        return self.story_event

    story_event = StoryEvent.UPDATED

    def is_noop(self) -> bool:
        return False

    def execute(self) -> bool:
        """Run the transition under a row lock. Returns False when there was nothing to do."""
        with transaction.atomic():
            locked = Article.objects.select_for_update().get(pk=self.article.pk)
            for field in (
                "status",
                "published_at",
                "first_published_at",
                "unpublish_at",
                "kill_note",
                "version",
                "embargoed_until",
            ):
                setattr(self.article, field, getattr(locked, field))
            if self.is_noop():
                return False
            self.check()
            from_status = self.article.status
            self.apply()
            self.article.version = F("version") + 1
            self.article.save(
                update_fields=[
                    "status",
                    "published_at",
                    "first_published_at",
                    "unpublish_at",
                    "kill_note",
                    "version",
                    "updated_at",
                ]
            )
            self.article.refresh_from_db(fields=["version"])
            StatusChange.objects.create(
                article=self.article,
                user=self.user,
                from_status=from_status,
                to_status=self.article.status,
                note=self.note,
            )
            article = self.article
            if article.status == Status.PUBLISHED:
                article.refresh_suggested_related()
            announce(article, self.event())
        return True


class SubmitForEdit(ArticleAction):
    allowed_from = (Status.DRAFT,)
    to_status = Status.READY
    permission = "articles.change_article"
    verb = "submit"
    past_tense = "submitted for edit"
    story_event = StoryEvent.SUBMITTED

    def check(self) -> None:
        super().check()
        if not can_edit(self.user, self.article):
            raise TransitionNotAllowed("You may only submit your own drafts.")


class Publish(ArticleAction):
    """Publish now, or schedule: a future ``at`` makes the story appear at that moment."""

    allowed_from = (Status.DRAFT, Status.READY, Status.PUBLISHED, Status.UNPUBLISHED)
    to_status = Status.PUBLISHED
    verb = "publish"
    past_tense = "published"

    def __init__(self, article, user, at: datetime | None = None, note: str = ""):
        super().__init__(article, user, note)
        self.at = at

    def is_noop(self) -> bool:
        # A second click on "publish" (or "schedule" for the same time) publishes nothing.
        if self.at is None:
            return self.article.is_live
        return self.article.status == Status.PUBLISHED and self.article.published_at == self.at

    def check(self) -> None:
        super().check()
        if self.at is not None and timezone.is_naive(self.at):
            raise InvalidTransition("The publish time needs a time zone.")
        if self.at is not None and self.at > timezone.now() and self.article.is_live:
            # Scheduling a live story would make it vanish until then: unpublish it first.
            raise InvalidTransition("A live story cannot be scheduled; unpublish it first.")
        if self.article.unpublish_at and self.article.unpublish_at <= (self.at or timezone.now()):
            raise InvalidTransition("The unpublish time must be after the publish time.")
        try:
            self.article.check_publishable(at=self.at)
        except ValidationError as exc:
            raise InvalidTransition(exc.messages) from exc

    def event(self) -> StoryEvent:
        return StoryEvent.SCHEDULED if self.article.is_scheduled else StoryEvent.PUBLISHED

    def apply(self) -> None:
        now = timezone.now()
        self.article.status = Status.PUBLISHED
        self.article.published_at = self.at or now
        if self.article.first_published_at is None and self.article.published_at <= now:
            self.article.first_published_at = self.article.published_at
        self.article.kill_note = ""


class Unpublish(ArticleAction):
    allowed_from = (Status.PUBLISHED,)
    to_status = Status.UNPUBLISHED
    verb = "unpublish"
    past_tense = "unpublished"
    story_event = StoryEvent.UNPUBLISHED


class Kill(ArticleAction):
    """Retract a story with a note: it answers 410 Gone and leaves every list and feed."""

    allowed_from = (Status.PUBLISHED, Status.UNPUBLISHED)
    to_status = Status.KILLED
    verb = "kill"
    past_tense = "killed"
    story_event = StoryEvent.KILLED

    def check(self) -> None:
        super().check()
        if not self.note:
            raise InvalidTransition("Say why the story is killed.")

    def apply(self) -> None:
        self.article.status = Status.KILLED
        self.article.kill_note = self.note


class ReturnToDraft(ArticleAction):
    allowed_from = (Status.READY, Status.UNPUBLISHED)
    to_status = Status.DRAFT
    permission = "articles.edit_any_article"
    verb = "return"
    past_tense = "returned to draft"
    story_event = StoryEvent.RETURNED


class Unschedule(ArticleAction):
    """Take a scheduled story off the schedule, back to ready for edit, before its time comes."""

    allowed_from = (Status.PUBLISHED,)
    to_status = Status.READY
    verb = "unschedule"
    past_tense = "unscheduled"
    story_event = StoryEvent.UNSCHEDULED

    def check(self) -> None:
        super().check()
        if not self.article.is_scheduled:
            raise InvalidTransition("Only a scheduled story can be unscheduled; unpublish it.")

    def apply(self) -> None:
        self.article.status = Status.READY
        self.article.published_at = None


class AddCorrection:
    """Append a dated correction or update note to a published story; readers and feeds see it.

    Not a transition: the status stays, the version is not bumped (an editor's open form is not
    stale because of it), but ``updated_at`` moves and readers' caches hear of it after commit.
    """

    permission = "articles.add_correction"

    def __init__(self, article: Article, user, note: str, kind: str = Correction.Kind.CORRECTION):
        self.article = article
        self.user = user
        self.note = note.strip()
        self.kind = kind

    def check(self) -> None:
        if not self.user or not self.user.is_active or not self.user.has_perm(self.permission):
            raise TransitionNotAllowed("You may not add corrections.")
        if self.article.status != Status.PUBLISHED:
            raise InvalidTransition("Corrections and updates go on published stories.")
        if self.kind not in Correction.Kind.values:
            raise InvalidTransition("Choose a correction or an update.")
        if not self.note:
            raise InvalidTransition("Write the text of the correction.")

    def execute(self) -> Correction:
        with transaction.atomic():
            locked = Article.objects.select_for_update().get(pk=self.article.pk)
            self.article.status = locked.status
            self.check()
            correction = Correction.objects.create(
                article=self.article, kind=self.kind, note=self.note, created_by=self.user
            )
            Article.objects.filter(pk=self.article.pk).update(updated_at=timezone.now())
            # story_changed follows from the post_save receiver in publishing/signal_handlers.
        return correction
