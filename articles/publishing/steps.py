"""Workflow steps: one class per mutation, ``check()`` then ``execute()``, and their registry.

Every path (the story form's buttons, admin bulk actions, the importer, commands, tests) goes
through these classes. ``check()`` asks the permission policy (``publishing/policy.py``) *who*
may, and the step itself *when*: the story's state and whether it can be published.

``STEPS`` names every step once: the workflow buttons, the transition form, the admin's bulk
actions and docs/desk.md's table are all derived from it, and a button is offered exactly when
the server would accept the step (``offered_steps``), publishability aside.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.models import Article, Correction, Status, StatusChange
from articles.publishing import policy as rules
from articles.publishing.addresses import remember_address
from articles.publishing.policy import policy
from articles.publishing.tasks import refresh_suggestions
from articles.signals import StoryEvent, announce
from newsroom.queue import enqueue_on_commit


class TransitionNotAllowed(PermissionDenied):
    """The user may not make this transition."""


class InvalidTransition(ValidationError):
    """The story is not in a state (or shape) that allows this transition."""


def can_edit(user, article: Article) -> bool:
    """Whether ``user`` may change ``article``'s content (the policy's ``edit`` rule)."""
    return policy.may(user, rules.EDIT, article)


class ArticleAction:
    """A workflow transition. Subclasses say who (``name``, a policy action), when
    (``applies_to``), what (``apply``) and what receivers hear (``story_event``)."""

    name = ""
    to_status: str = ""
    verb = "change"
    past_tense = "changed"
    story_event = StoryEvent.UPDATED

    def __init__(self, article: Article, user, note: str = ""):
        self.article = article
        self.user = user
        self.note = note.strip()

    @classmethod
    def applies_to(cls, article: Article) -> bool:
        """Whether the story's state allows this step (the state part of ``check()``)."""
        raise NotImplementedError

    def check(self) -> None:
        """Raise TransitionNotAllowed or InvalidTransition; change nothing."""
        if not policy.may(self.user, self.name, self.article):
            raise TransitionNotAllowed(f"You may not {self.verb} this story.")
        if not self.applies_to(self.article):
            raise InvalidTransition(
                f"A story that is {self.article.state_label.lower()} cannot be {self.past_tense}."
            )

    def apply(self) -> None:
        self.article.status = self.to_status

    def event(self) -> StoryEvent:
        """What receivers of ``story_changed`` hear once the step has committed."""
        return self.story_event

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
                version=self.article.version,
            )
            article = self.article
            if article.status == Status.PUBLISHED:
                enqueue_on_commit(refresh_suggestions, article.pk)
                remember_address(article)
            announce(article, self.event())
        return True


class SubmitForEdit(ArticleAction):
    name = rules.SUBMIT
    to_status = Status.READY
    verb = "submit"
    past_tense = "submitted for edit"
    story_event = StoryEvent.SUBMITTED

    @classmethod
    def applies_to(cls, article):
        """A draft (submitting needs a headline, a byline and a body)"""
        return article.status == Status.DRAFT

    def check(self) -> None:
        super().check()
        problems = self.article.content_problems()
        if problems:
            raise InvalidTransition(f"Cannot submit for edit: {'; '.join(problems)}.")


class Publish(ArticleAction):
    """Publish now; a scheduled (or expired) story is published now too."""

    name = rules.PUBLISH
    to_status = Status.PUBLISHED
    verb = "publish"
    past_tense = "published"

    def __init__(self, article, user, at: datetime | None = None, note: str = ""):
        super().__init__(article, user, note)
        self.at = at

    @classmethod
    def applies_to(cls, article):
        """Not live, expired or killed (a scheduled story is published now)."""
        # An expired story comes back once its unpublish time is cleared or moved.
        return article.status != Status.KILLED and not article.is_live and not article.is_expired

    def is_noop(self) -> bool:
        # A second click on "publish" (or "schedule" for the same time) publishes nothing.
        if self.at is None:
            return self.article.is_live
        return self.article.status == Status.PUBLISHED and self.article.published_at == self.at

    def check(self) -> None:
        super().check()
        if self.at is not None and timezone.is_naive(self.at):
            raise InvalidTransition("The publish time needs a time zone.")
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


class Schedule(Publish):
    """Publish at a time: the story appears at that moment, with no job to run."""

    name = rules.SCHEDULE
    verb = "schedule"
    past_tense = "scheduled"

    # Publish.applies_to: a live story would vanish until then, so it is unpublished first.

    def check(self) -> None:
        if self.at is None:
            raise InvalidTransition("Give the time the story should appear.")
        super().check()


class Unpublish(ArticleAction):
    name = rules.UNPUBLISH
    to_status = Status.UNPUBLISHED
    verb = "unpublish"
    past_tense = "unpublished"
    story_event = StoryEvent.UNPUBLISHED

    @classmethod
    def applies_to(cls, article):
        """Published and not scheduled (live or expired)."""
        return article.status == Status.PUBLISHED and not article.is_scheduled


class Kill(ArticleAction):
    """Retract a story with a note: it answers 410 Gone and leaves every list and feed."""

    name = rules.KILL
    to_status = Status.KILLED
    verb = "kill"
    past_tense = "killed"
    story_event = StoryEvent.KILLED

    @classmethod
    def applies_to(cls, article):
        """Live, expired or unpublished."""
        return article.status == Status.UNPUBLISHED or (
            article.status == Status.PUBLISHED and not article.is_scheduled
        )

    def check(self) -> None:
        super().check()
        if not self.note:
            raise InvalidTransition("Say why the story is killed.")

    def apply(self) -> None:
        self.article.status = Status.KILLED
        self.article.kill_note = self.note


class ReturnToDraft(ArticleAction):
    name = rules.RETURN
    to_status = Status.DRAFT
    verb = "return"
    past_tense = "returned to draft"
    story_event = StoryEvent.RETURNED

    @classmethod
    def applies_to(cls, article):
        """Ready for edit or unpublished."""
        return article.status in (Status.READY, Status.UNPUBLISHED)


class Unschedule(ArticleAction):
    """Take a scheduled story off the schedule, back to ready for edit, before its time comes."""

    name = rules.UNSCHEDULE
    to_status = Status.READY
    verb = "unschedule"
    past_tense = "unscheduled"
    story_event = StoryEvent.UNSCHEDULED

    @classmethod
    def applies_to(cls, article):
        """Scheduled."""
        return article.is_scheduled

    def apply(self) -> None:
        self.article.status = Status.READY
        self.article.published_at = None


class AddCorrection:
    """Append a dated correction or update note to a published story; readers and feeds see it.

    Not a transition: the status stays, the version is not bumped (an editor's open form is not
    stale because of it), but the story's ``changed_at`` moves and readers' caches hear of it.
    """

    name = rules.CORRECT

    def __init__(self, article: Article, user, note: str, kind: str = Correction.Kind.CORRECTION):
        self.article = article
        self.user = user
        self.note = note.strip()
        self.kind = kind

    @classmethod
    def applies_to(cls, article: Article) -> bool:
        """Published (live, scheduled or expired)."""
        return article.status == Status.PUBLISHED

    def check(self) -> None:
        if not policy.may(self.user, self.name, self.article):
            raise TransitionNotAllowed("You may not add corrections.")
        if not self.applies_to(self.article):
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
            if self.article.is_live:
                self.article.mark_changed()
            announce(self.article, StoryEvent.CORRECTED)
        return correction


# -- the registry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkflowStep:
    """A step as the desk offers it: its button, what it asks for, and how to run it."""

    name: str
    label: str
    action: type
    asks_time: bool = False  # "Publish at"
    asks_note: str = ""  # what the note field is for, when the step needs one
    asks_kind: bool = False  # correction or update
    in_bulk: bool = False  # offered as an admin action on many stories at once
    form_label: str = ""  # the story form's button, which saves the edits first
    primary: bool = False  # the form's main button when offered

    @property
    def button(self) -> str:
        return self.form_label or self.label

    def applies_to(self, article: Article) -> bool:
        return self.action.applies_to(article)

    def make(self, article: Article, user, *, at=None, note: str = "", kind: str = ""):
        """The action object for this step, from what the desk's form sent."""
        if self.action is AddCorrection:
            return AddCorrection(article, user, note=note, kind=kind or Correction.Kind.CORRECTION)
        if issubclass(self.action, Publish):
            return self.action(article, user, at=at, note=note)
        return self.action(article, user, note=note)


STEPS: dict[str, WorkflowStep] = {
    step.name: step
    for step in (
        WorkflowStep(
            rules.SUBMIT,
            "Submit for edit",
            SubmitForEdit,
            in_bulk=True,
            form_label="Save and submit",
            primary=True,
        ),
        WorkflowStep(
            rules.PUBLISH,
            "Publish now",
            Publish,
            in_bulk=True,
            form_label="Save and publish",
            primary=True,
        ),
        WorkflowStep(
            rules.SCHEDULE, "Schedule", Schedule, asks_time=True, form_label="Save and schedule"
        ),
        WorkflowStep(rules.UNSCHEDULE, "Unschedule", Unschedule, in_bulk=True),
        WorkflowStep(
            rules.UNPUBLISH, "Unpublish", Unpublish, in_bulk=True, form_label="Save and unpublish"
        ),
        WorkflowStep(rules.KILL, "Kill", Kill, asks_note="why it is killed"),
        WorkflowStep(rules.RETURN, "Return to draft", ReturnToDraft, in_bulk=True),
        WorkflowStep(
            rules.CORRECT,
            "Add correction or update",
            AddCorrection,
            asks_note="the text of the correction",
            asks_kind=True,
        ),
    )
}


def offered_steps(user, article: Article) -> list[WorkflowStep]:
    """The steps this user may take on this story now: the buttons the desk shows."""
    return [
        step
        for step in STEPS.values()
        if step.applies_to(article) and policy.may(user, step.name, article)
    ]


def steps_table() -> str:
    """The registry as the Markdown table docs/desk.md shows (a test keeps the two equal)."""
    rows = [
        "| step | button | who (policy) | when | asks for |",
        "| --- | --- | --- | --- | --- |",
    ]
    for step in STEPS.values():
        who = ", ".join(
            f"`{g.permission}`" + (" (own drafts)" if g.own else "") for g in rules.RULES[step.name]
        )
        asks = [
            label
            for label, wanted in (
                ("a time", step.asks_time),
                (f"a note: {step.asks_note}", step.asks_note),
                ("correction or update", step.asks_kind),
            )
            if wanted
        ]
        when = (step.action.applies_to.__doc__ or "").strip().rstrip(".")
        label = step.button + (" (also in bulk)" if step.in_bulk else "")
        rows.append(f"| `{step.name}` | {label} | {who} | {when} | {', '.join(asks) or '—'} |")
    return "\n".join(rows)
