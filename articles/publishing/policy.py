"""Who may do what to which story: the one place that decides.

Like Wagtail's permission policies, one object answers both questions every caller has:

* ``policy.may(user, action, story)``: may this user do this to this story, now?
* ``policy.stories(user, action)``: which stories may this user do it to (a queryset)?

Both read the same table of rules below, so the admin, its actions and inlines, the desk, the
workflow buttons, the importer and the management commands can never disagree.

A rule names a Django permission (held through the role groups of migration 0002) and, for
roles that may only touch their own work, an ownership condition: a story is a user's own
when they created it or a byline names the person linked to their login. Which login a
person is linked to is itself guarded (``people.policy``): only those who manage user
accounts may change it, so ownership cannot be taken over by editing a person.

Workflow steps add *when* (the story's state, publishability) in their own ``check()``; a
step is allowed when this policy says *who* and the step says *when*.

The decisions, in words (docs/desk.md repeats them):

* Reporters and editors write new stories (and import wire copy).
* Editors edit any story; reporters edit their own stories while they are drafts.
* Quotes, bylines and related headlines follow the story: whoever may edit the story may add,
  change, confirm or delete them.
* Submitting for edit: whoever may edit the draft. Publishing, scheduling, unscheduling,
  unpublishing and killing: editors. Returning to draft: editors. Corrections: whoever holds
  ``add_correction`` (editors).
* Restoring a revision: whoever may edit the story. Reading its history: editors on any
  story, reporters on their own.
* Share links: editors, and whoever may edit the story.
* Deleting: whoever holds ``delete_article`` (editors).
* Placing a live story on the front page (lead, top stories): editors.
* Partners' access (API keys, webhooks and resending their deliveries): the Admin role.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from articles.models import Article, Byline, Status


@dataclass(frozen=True)
class Grant:
    """One way to be allowed: hold ``permission``; and, if ``own``, only on one's own stories;
    and, if ``states``, only on stories in those states."""

    permission: str
    own: bool = False
    states: frozenset[str] | None = None

    def query(self, user) -> Q:
        condition = Q()
        if self.states is not None:
            condition &= Q(status__in=self.states)
        if self.own:
            # The bylines as ids, not a join: no story twice, and the database reads the
            # user's few bylines instead of pairing every story with its bylines.
            bylined = Byline.objects.filter(person__user=user).values("article_id")
            condition &= Q(created_by=user) | Q(pk__in=bylined)
        return condition

    def holds(self, user, story: Article) -> bool:
        if self.states is not None and story.status not in self.states:
            return False
        return not self.own or is_own(user, story)


def is_own(user, story: Article) -> bool:
    """A story the user created, or one with a byline for the person linked to their login.

    The Python twin of ``Grant.query``'s ownership condition; an unsaved story is its author's.
    """
    if story.pk is None or story.created_by_id == user.pk:
        return True
    return story.bylines.filter(person__user=user).exists()


ANY = None
DRAFTS = frozenset({Status.DRAFT})

VIEW = "view"
CREATE = "create"
EDIT = "edit"
HISTORY = "history"
RESTORE = "restore"
SHARE = "share"
DELETE = "delete"
CONFIRM_QUOTES = "confirm_quotes"
SUBMIT = "submit"
PUBLISH = "publish"
SCHEDULE = "schedule"
UNSCHEDULE = "unschedule"
UNPUBLISH = "unpublish"
KILL = "kill"
RETURN = "return"
CORRECT = "correct"
PARTNERS = "partners"
FRONT = "front"

_EDITING = (
    Grant("articles.edit_any_article"),
    Grant("articles.change_article", own=True, states=DRAFTS),
)
_EDITORS = (Grant("articles.publish_article"),)

RULES: dict[str, tuple[Grant, ...]] = {
    VIEW: (Grant("articles.view_article"),),
    CREATE: (Grant("articles.add_article"),),
    EDIT: _EDITING,
    CONFIRM_QUOTES: _EDITING,
    RESTORE: _EDITING,
    SUBMIT: _EDITING,
    HISTORY: (Grant("articles.edit_any_article"), Grant("articles.change_article", own=True)),
    SHARE: (*_EDITORS, *_EDITING),
    DELETE: (Grant("articles.delete_article"),),
    PUBLISH: _EDITORS,
    SCHEDULE: _EDITORS,
    UNSCHEDULE: _EDITORS,
    UNPUBLISH: _EDITORS,
    KILL: _EDITORS,
    RETURN: (Grant("articles.edit_any_article"),),
    CORRECT: (Grant("articles.add_correction"),),
    # Not about one story: API keys and webhooks (resending deliveries), for the Admin role.
    PARTNERS: (Grant("articles.change_webhookendpoint"),),
    FRONT: _EDITORS,
}


class StoryPolicy:
    """The answers, for one story or as a queryset; see the module docstring for the rules."""

    actions = tuple(RULES)

    def _grants(self, user, action: str) -> list[Grant]:
        if action not in RULES:
            raise ValueError(f"No rule for {action!r}: one of {', '.join(RULES)}.")
        if user is None or not user.is_active or not user.is_staff:
            return []
        return [grant for grant in RULES[action] if user.has_perm(grant.permission)]

    def may_ever(self, user, action: str) -> bool:
        """Whether ``user`` may do ``action`` to some story (menus, bulk actions: no query)."""
        return bool(self._grants(user, action))

    def may(self, user, action: str, story: Article) -> bool:
        """Whether ``user`` may do ``action`` to ``story`` (who, not when: steps add when)."""
        return any(grant.holds(user, story) for grant in self._grants(user, action))

    def stories(self, user, action: str, queryset: QuerySet | None = None) -> QuerySet:
        """The stories (of ``queryset``, default all) ``user`` may do ``action`` to."""
        queryset = Article.objects.all() if queryset is None else queryset
        grants = self._grants(user, action)
        if not grants:
            return queryset.none()
        conditions = [grant.query(user) for grant in grants]
        if any(not condition for condition in conditions):
            return queryset  # a grant without conditions: every story
        condition = conditions[0]
        for other in conditions[1:]:
            condition |= other
        return queryset.filter(condition)

    def own_stories(self, user, queryset: QuerySet | None = None) -> QuerySet:
        """The user's own stories (the desk's "my drafts" list)."""
        queryset = Article.objects.all() if queryset is None else queryset
        return queryset.filter(Grant("", own=True).query(user))


policy = StoryPolicy()
