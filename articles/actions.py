"""Workflow transitions: one class per mutation, ``check()`` then ``execute()``.

Every path — admin actions, the change form, bulk actions, commands, tests — goes through
these classes, so permissions and rules are enforced in one place on the server.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Article, Status, StatusChange
from .signals import story_changed


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
            transaction.on_commit(lambda: story_changed.send(sender=Article, article=article))
        return True


class SubmitForEdit(ArticleAction):
    allowed_from = (Status.DRAFT,)
    to_status = Status.READY
    permission = "articles.change_article"
    verb = "submit"
    past_tense = "submitted for edit"

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
        # A second click on "publish" for a story already live publishes nothing.
        return self.at is None and self.article.is_live

    def check(self) -> None:
        super().check()
        if self.at is not None and timezone.is_naive(self.at):
            raise InvalidTransition("The publish time needs a time zone.")
        if self.article.unpublish_at and self.article.unpublish_at <= (self.at or timezone.now()):
            raise InvalidTransition("The unpublish time must be after the publish time.")
        try:
            self.article.check_publishable()
        except ValidationError as exc:
            raise InvalidTransition(exc.messages) from exc

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


class Kill(ArticleAction):
    """Retract a story with a note: it answers 410 Gone and leaves every list and feed."""

    allowed_from = (Status.PUBLISHED, Status.UNPUBLISHED)
    to_status = Status.KILLED
    verb = "kill"
    past_tense = "killed"

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
