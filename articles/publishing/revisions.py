"""Revisions: every save of a story keeps a JSON snapshot that editors compare and restore.

Why our own small model rather than django-reversion: a story's revision must hold its
relations as the reader sees them (bylines with roles, tags, ordered related headlines, the
photos in the body), and the body's blocks point at related-headline ids that a restore must
keep pointing at the right rows. A snapshot we write ourselves is one readable JSON document per
save that the compare view reads directly; reversion's follow/serialise machinery (with taggit's
generic through model) would be more code to bend than this module.

The version guard lives here too: ``claim_version`` is the only way a content edit moves
``Article.version`` on, so two editors saving one story cannot both win.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.body import clean_body
from articles.models import Article, Byline, Photo, RelatedHeadline, Revision, Status
from articles.publishing.addresses import remember_address
from articles.publishing.compare import (  # noqa: F401 -- the compare view reads them from here
    TRACKED_FIELDS,
    WORD_DIFF_BUDGET,
    Row,
    compare,
)
from articles.signals import StoryEvent, announce


class StaleVersion(Exception):
    """Someone saved the story after this editor opened it."""

    def __init__(self, expected: int, current: int):
        super().__init__(f"The story is at version {current}, not {expected}.")
        self.expected = expected
        self.current = current


def claim_version(article: Article, expected: int) -> int:
    """Move ``article`` from version ``expected`` to the next one, or raise StaleVersion.

    One conditional UPDATE: of two concurrent saves opened at the same version exactly one
    matches the row; the other updates nothing and is told.
    """
    claimed = Article.objects.filter(pk=article.pk, version=expected).update(
        version=F("version") + 1
    )
    if not claimed:
        current = Article.objects.filter(pk=article.pk).values_list("version", flat=True).first()
        raise StaleVersion(expected, current or 0)
    article.version = expected + 1
    return article.version


def snapshot(article: Article, *, bylines=None, related=None, tags=None, quotes=None) -> dict:
    """The story's words and relations as JSON: what a revision keeps.

    A writer that has just made the rows may pass them (``bylines`` with their people,
    ``related`` and ``quotes`` in order, ``tags`` names) instead of having them read back.
    """
    if quotes is None:
        quotes = article.quotes.select_related("speaker").order_by("position", "id")
    if bylines is None:
        bylines = article.bylines.select_related("person").order_by("position", "id")
    if related is None:
        related = article.related_headlines.select_related("target").order_by("position", "id")
    if tags is None:
        tags = article.tags.names()
    return {
        "headline": article.headline,
        "dek": article.dek,
        "body": list(article.body or []),
        "section": [article.section_id, str(article.section)] if article.section_id else None,
        "tags": sorted(tags, key=str.lower),
        "bylines": [[b.person_id, b.person.name, b.role] for b in bylines],
        "lead_photo": [article.lead_photo_id, str(article.lead_photo)]
        if article.lead_photo_id
        else None,
        "related": [[r.id, r.target_id, r.url, r.text] for r in related],
        "quotes": [[q.id, q.speaker.name, q.text[:500], q.confirmed] for q in quotes],
        "photos": [b["id"] for b in article.body or [] if b.get("type") == "photo"],
        "dateline": [
            article.dateline_place,
            article.dateline_date.isoformat() if article.dateline_date else "",
            article.dateline_agency,
        ],
        "unpublish_at": article.unpublish_at.isoformat() if article.unpublish_at else "",
    }


def record(article: Article, user, kind=Revision.Kind.SAVED, note: str = "", data=None):
    """Keep a revision of ``article`` at its current version (``data`` overrides the snapshot)."""
    return Revision.objects.create(
        article=article,
        version=article.version,
        kind=kind,
        snapshot=data if data is not None else snapshot(article),
        note=note[:300],
        created_by=user if user and user.is_authenticated else None,
    )


def keep_unsaved(article: Article, user, *, theirs: dict, mine: dict, note: str) -> Revision:
    """Keep a refused save's words as an "unsaved" revision, checked like a save would be.

    Only a body that validates is kept as blocks (a restore must never store unchecked blocks);
    otherwise the note says why the body was left out.
    """
    data = {**theirs, **{k: v for k, v in mine.items() if k != "body"}}
    data["tags"] = sorted(mine.get("tags") or theirs["tags"], key=str.lower)
    try:
        data["body"] = clean_body(mine.get("body", theirs["body"]))
    except ValidationError as exc:
        note = f"{note}; body not kept: {' '.join(exc.messages)}"
    return record(article, user, kind=Revision.Kind.UNSAVED, note=note, data=data)


def announce_if_live(article: Article) -> None:
    """An edit touched what readers of a published story see: note when, tell caches and feeds
    after commit, and keep its old address working if it moved."""
    if article.status != Status.PUBLISHED:
        return
    if article.is_live:
        article.mark_changed()
        remember_address(article)
    announce(article, StoryEvent.UPDATED)


def content_saved(article: Article, user, *, kind=Revision.Kind.SAVED, note: str = "") -> Revision:
    """Every save of a story's words or relations ends here: the rules, the history, readers.

    A published story (live or scheduled) must stay publishable: a save that would leave it
    without a headline, a byline, a body or a usable lead photo raises ``ValidationError``
    (callers run inside a transaction, so nothing of the save is kept).
    """
    if article.status == Status.PUBLISHED:
        article.check_publishable(at=article.published_at)
    revision = record(article, user, kind=kind, note=note)
    announce_if_live(article)
    return revision


def revision_at(article: Article, version: int) -> Revision | None:
    """The saved revision that was current at ``version`` (transitions bump versions too)."""
    return (
        article.revisions.exclude(kind=Revision.Kind.UNSAVED)
        .filter(version__lte=version)
        .order_by("-version", "-id")
        .first()
    )


def changed_fields(old: dict, new: dict) -> list[str]:
    """Labels of the tracked fields that differ between two snapshots."""
    return [label for key, label in TRACKED_FIELDS if old.get(key) != new.get(key)]


# -- restore ------------------------------------------------------------------------------


def restore(revision: Revision, user, expected_version: int) -> Revision:
    """Make the story read as ``revision`` does again; itself a new, versioned save.

    The snapshot is checked like any other save (it may be a refused save's text, or older
    than today's rules): a body that does not validate, or a published story it would leave
    unpublishable, raises ``ValidationError`` and nothing changes.
    """
    data = revision.snapshot
    body = clean_body(data.get("body", []))  # before anything is written
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=revision.article_id)
        claim_version(article, expected_version)
        article.headline = data.get("headline", article.headline)
        article.dek = data.get("dek", "")
        article.section_id = (data.get("section") or [None])[0]
        photo_id = (data.get("lead_photo") or [None])[0]
        article.lead_photo_id = photo_id if Photo.objects.filter(pk=photo_id).exists() else None
        place, date, agency = (data.get("dateline") or ["", "", ""])[:3]
        article.dateline_place, article.dateline_agency = place, agency
        article.dateline_date = date or None
        id_map = _restore_related(article, data.get("related", []))
        article.body = [
            {**b, "id": id_map[b["id"]]} if b["type"] == "related" else b
            for b in body
            if b["type"] != "related" or b["id"] in id_map
        ]
        article.full_clean(validate_unique=False, validate_constraints=False)
        article.save()
        article.tags.set(data.get("tags", []))
        _restore_bylines(article, data.get("bylines", []))
        article.refresh_from_db()
        restored = content_saved(
            article, user, kind=Revision.Kind.RESTORED, note=f"Restored version {revision.version}"
        )
    return restored


def _restore_bylines(article: Article, bylines: list) -> None:
    from people.models import Person

    known = set(Person.objects.filter(pk__in=[b[0] for b in bylines]).values_list("pk", flat=True))
    article.bylines.all().delete()
    Byline.objects.bulk_create(
        Byline(article=article, person_id=pid, role=role, position=n)
        for n, (pid, _name, role) in enumerate(bylines)
        if pid in known
    )


def _restore_related(article: Article, related: list) -> dict[int, int]:
    """Put the related headlines back in order; returns old id -> row id for body blocks."""
    existing = {r.id: r for r in article.related_headlines.all()}
    live_targets = set(
        Article.objects.filter(pk__in=[r[1] for r in related if r[1]]).values_list("pk", flat=True)
    )
    id_map, keep = {}, set()
    for position, (old_id, target_id, url, text) in enumerate(related):
        target_id = target_id if target_id in live_targets else None
        if not target_id and not text:
            continue
        row = existing.get(old_id) or RelatedHeadline(article=article)
        row.target_id, row.url, row.position = target_id, "" if target_id else url, position
        row.headline = "" if target_id and text == _target_headline(target_id) else text
        row.save()
        id_map[old_id] = row.id
        keep.add(row.id)
    article.related_headlines.exclude(pk__in=keep).delete()
    return id_map


def _target_headline(target_id: int) -> str:
    return Article.objects.filter(pk=target_id).values_list("headline", flat=True).first() or ""


def stamp(revision: Revision) -> str:
    when = timezone.localtime(revision.created_at).strftime("%b %d, %H:%M")
    who = revision.created_by.get_username() if revision.created_by else "someone"
    return f"version {revision.version}, saved by {who} at {when}"
