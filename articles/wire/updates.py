"""Wire updates waiting for the desk: compare with the desk's version, merge or dismiss.

A newer version of a story the desk has edited is kept as a ``WireUpdate`` (see
``importer.py``). ``compare_update()`` shows it beside the story as the desk has it now;
``MergeWireUpdate`` makes the agency's text the story's (the desk's version stays in the
history, where an editor can compare and restore it); ``DismissWireUpdate`` keeps the desk's
text. Both are action classes like the publishing steps: ``check()``, then ``execute()``.
"""

from __future__ import annotations

import html

from django.db import transaction
from django.utils import timezone

from articles.models import Article, WireUpdate
from articles.publishing import revisions
from articles.publishing.steps import InvalidTransition, TransitionNotAllowed, can_edit
from articles.wire import WireStory
from articles.wire.files import ImportRefused, read_copy


def story_of(update: WireUpdate) -> WireStory:
    """The story the update carries (its copy may be a message of several)."""
    stories = read_copy(update.copy, update.received_at.date())
    wanted = update.article.wire_id
    return next((s for s in stories if s.agency_id == wanted), stories[0])


def compare_update(update: WireUpdate) -> list[revisions.Row]:
    """Side-by-side rows: the story as the desk has it (left), the agency's version (right)."""
    article = update.article
    desk = _readable(revisions.snapshot(article))
    story = story_of(update)
    dateline = story.dateline
    wire = {
        "headline": story.headline,
        "bylines": [[None, name, "author"] for name in story.bylines],
        "dateline": [
            dateline.place if dateline else "",
            dateline.date.isoformat() if dateline else "",
            dateline.agency if dateline else "",
        ],
        "body": [
            _paragraph(b.text if b.type == "paragraph" else f"RELATED {b.text}")
            for b in story.blocks
        ],
    }
    keys = ("headline", "bylines", "dateline", "body")
    return revisions.compare({k: desk.get(k) for k in keys}, wire)


def _paragraph(text: str) -> dict:
    return {"type": "paragraph", "html": html.escape(text)}


def _readable(snapshot: dict) -> dict:
    """A snapshot whose related blocks read as "RELATED headline", like the wire's lines."""
    related = {row[0]: row[3] for row in snapshot.get("related", [])}
    body = [
        _paragraph(f"RELATED {related.get(block.get('id'), '')}")
        if block.get("type") == "related"
        else block
        for block in snapshot.get("body", [])
    ]
    return {**snapshot, "body": body}


class _Resolve:
    """Shared by merge and dismiss: only a pending update, only by someone who may edit."""

    verb = "resolve"

    def __init__(self, update: WireUpdate, user):
        self.update = update
        self.user = user

    def check(self) -> None:
        if not can_edit(self.user, self.update.article):
            raise TransitionNotAllowed(f"You may not {self.verb} wire updates of this story.")
        if self.update.state != WireUpdate.State.PENDING:
            raise InvalidTransition(
                f"This wire update is already {self.update.get_state_display().lower()}."
            )

    def _close(self, state: str) -> None:
        self.update.state = state
        self.update.resolved_by = self.user
        self.update.resolved_at = timezone.now()
        self.update.save(update_fields=["state", "resolved_by", "resolved_at"])

    def _lock(self) -> None:
        self.update = (
            WireUpdate.objects.select_for_update().select_related("article").get(pk=self.update.pk)
        )


class MergeWireUpdate(_Resolve):
    """The agency's version becomes the story's text, as a new revision."""

    verb = "merge"

    def execute(self) -> Article:
        from articles.wire.importer import ImportWireStory  # the importer imports this module

        with transaction.atomic():
            self._lock()
            self.check()
            story = story_of(self.update)
            if not story.paragraphs:
                raise ImportRefused("The update carries no text to merge.")
            importer = ImportWireStory(self.update.copy, self.user)
            article = importer.replace_text(self.update.article, story)
            self._close(WireUpdate.State.MERGED)
        return article


class DismissWireUpdate(_Resolve):
    """The desk keeps its text; the agency's version stays on record as dismissed."""

    verb = "dismiss"

    def execute(self) -> None:
        with transaction.atomic():
            self._lock()
            self.check()
            self._close(WireUpdate.State.DISMISSED)
