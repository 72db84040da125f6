"""Wire copy into the newsroom: a parsed ``WireStory`` becomes a draft, in one transaction.

``ImportWireStory(text, user, ...).execute()`` is the one path for the ``import_story`` command,
the admin's "Import wire copy" page and the benchmark. Like the publishing steps, it checks
permissions on the server first, then either writes the whole story or nothing: article,
bylines, people, quotes, related headlines and photo are made in one transaction, and an image
file stored for a story that fails is deleted again.

Decisions an editor should know (see docs/wire-import.md):

- Every format (plain text, NITF, NewsML-G2, ninjs) goes this one way: ``read_stories`` turns
  the copy into ``WireStory``s, and everything after is shared.
- A story is identified by the agency's id (NITF doc-id, NewsML-G2 guid, ninjs uri) where the
  format has one, else by its text: the same text (compared after normalising line endings,
  spacing and Unicode) is one story; importing it again returns the existing article as
  "already present"; ``update=True`` re-imports into it.
- A newer version from the agency updates its story. Untouched by the desk (its words are as
  the wire left them, ``Article.wire_digest``), the new text replaces the old as a new revision;
  edited by the desk, it waits as a ``WireUpdate`` for an editor to merge or dismiss. Withheld,
  canceled and killed flag the story (``Article.wire_status``) and delete nothing.
- People are reused by normalised name; the description copy gives them fills an empty
  ``Person.description`` and never replaces text already there.
- Extracted quotes are filed unconfirmed: they are suggestions until an editor confirms them.
- A lead photo that arrives as metadata only cannot be published (readers would see no image).
  Publishing such a story sets the photo aside as a ``photo`` body block: it stays linked to the
  story, the page skips it (``render_blocks`` shows publishable photos only), and an editor makes
  it the lead photo again once its file is in.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.body import paragraph
from articles.models import (
    Article,
    Byline,
    Photo,
    Quote,
    RelatedHeadline,
    Section,
    WireStatus,
    WireSubject,
    WireUpdate,
)
from articles.models.article import match_key
from articles.photos.tasks import make_renditions
from articles.publishing import policy as rules
from articles.publishing import revisions
from articles.publishing.policy import policy
from articles.publishing.steps import Publish, TransitionNotAllowed
from articles.wire import WireStory
from articles.wire.files import (  # noqa: F401 -- re-exported: callers import the whole path from here
    MAX_WIRE_BYTES,
    ImportRefused,
    decode_wire_bytes,
    normalise_wire_text,
    parse_copy,
    read_copy,
    read_wire_file,
    wire_fingerprint,
    wire_image,
)
from articles.wire.lookups import People, existing_story, stories_headlined
from newsroom.monitoring import metrics
from newsroom.queue import enqueue_on_commit
from people.names import normalise_name

logger = logging.getLogger("newsroom.wire")

# Foreign keys the importer set from rows it just read or made: no need to query them again.
_OWN_ROWS = ["section", "lead_photo", "created_by"]
# What "the desk edited it" compares: the words and their relations, not section or tags.
_CONTENT_KEYS = ("headline", "dek", "body", "bylines", "lead_photo", "related", "dateline")


class Outcome:
    IMPORTED = "imported"
    PRESENT = "already present"
    UPDATED = "updated"
    PENDING = "update waiting"  # a newer version kept for the desk to merge or dismiss


@dataclass
class ImportResult:
    """What happened to one piece of wire copy."""

    article: Article
    outcome: str
    pending_photo: Photo | None = None  # a lead photo without its file, set aside to publish
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One line for a person: what happened and which article it is."""
        a = self.article
        text = f"{self.outcome}: \u201c{a.headline}\u201d (article {a.pk}, {a.slug}, {a.status})"
        if a.is_scheduled:
            text += f", appears {timezone.localtime(a.published_at).isoformat()}"
        return "; ".join([text, *self.notes])


def content_digest(snapshot: dict) -> str:
    """sha256 of a revision snapshot's words and relations: equal digests, same story text."""
    words = {key: snapshot.get(key) for key in _CONTENT_KEYS}
    return hashlib.sha256(json.dumps(words, sort_keys=True, default=str).encode()).hexdigest()


headline_key = match_key  # how related lines (and quoted words) are matched


def license_for(agency: str) -> tuple[str, str]:
    """``(license_url, rights)`` for a wire photo marked "License Photo".

    "License Photo" is the text of a link on the agency's page, not licence terms: the copy
    carries the words but not the address. ``NEWSROOM_WIRE_LICENSE_URLS`` maps an agency
    ("UPI") to its licensing page, which readers then get as the "License Photo" link. Without
    one nothing is recorded (the words alone would print as if they were the rights).
    """
    urls = getattr(settings, "NEWSROOM_WIRE_LICENSE_URLS", {}) or {}
    return urls.get(agency) or urls.get(agency.upper(), ""), ""


# -- the import --------------------------------------------------------------------------------


def may_import(user, publishing: bool = False) -> None:
    """Raise ``TransitionNotAllowed`` unless the policy lets ``user`` import (and publish)."""
    if not policy.may_ever(user, rules.CREATE):
        raise TransitionNotAllowed("You may not import stories.")
    if publishing and not policy.may_ever(user, rules.PUBLISH):
        raise TransitionNotAllowed("You may not publish stories.")


class ImportWireStory:
    """Import one story of wire copy: ``check()`` the user may, then ``execute()`` all or nothing.

    ``publish=True`` publishes now and ``publish_at`` schedules, both through ``Publish``;
    ``image`` (a validated ``File``) becomes the lead photo's file; ``update=True`` re-imports
    copy already present into its article.
    """

    def __init__(
        self,
        text: str,
        user,
        *,
        section: Section | None = None,
        image: File | None = None,
        publish: bool = False,
        publish_at: datetime | None = None,
        update: bool = False,
        today: date | None = None,
    ):
        self.text = text
        self.user = user
        self.section = section
        self.image = image
        self.publish = publish or publish_at is not None
        self.publish_at = publish_at
        self.update = update
        self.today = today
        self._stored: list = []  # files written to storage, deleted again if the story fails

    def check(self) -> None:
        """Raise ``TransitionNotAllowed`` unless the user may import (and publish) stories."""
        may_import(self.user, publishing=self.publish)

    def execute(self) -> ImportResult:
        """Import the copy's story (the first, if a NewsML-G2 message holds several; see
        ``execute_all``). On ``ImportRefused`` or ``TransitionNotAllowed`` nothing is written."""
        return self.execute_all()[0]

    def execute_all(self) -> list[ImportResult]:
        """Import every story in the copy, each in its own transaction. The whole copy is read
        first, so copy that cannot be read writes nothing at all."""
        try:
            results = self._execute_all()
        except ImportRefused:
            metrics.IMPORTS.labels(outcome="refused").inc()
            raise
        for result in results:
            metrics.IMPORTS.labels(outcome=result.outcome).inc()
        return results

    def _execute_all(self) -> list[ImportResult]:
        self.check()
        stories = read_copy(self.text, self.today)
        if len(stories) > 1 and self.image is not None:
            raise ImportRefused("A photo file belongs to one story; this copy holds several.")
        if len(stories) == 1:
            return [self._import(stories[0], wire_fingerprint(self.text))]
        return [
            self._import(story, wire_fingerprint(f"{self.text}\n{story.agency_id}\n{n}"))
            for n, story in enumerate(stories)
        ]

    def _import(self, story: WireStory, fingerprint: str, retried: bool = False) -> ImportResult:
        slug = Article.base_slug(story.headline)
        found = existing_story(story, fingerprint, slug)
        existing = found.article
        if existing is None:
            if story.status != WireStatus.USABLE and not story.paragraphs:
                raise ImportRefused(
                    f"The agency marks \u201c{story.headline}\u201d {story.status}, but no story "
                    f"with its id ({story.agency_id or 'none'}) is here; nothing was changed."
                )
            # A free slug is known already; a taken one is numbered on save as usual.
            slug = "" if found.slug_taken else slug
            return self._write(
                lambda: self._create(story, fingerprint, slug, found.targets),
                story,
                fingerprint,
                retried=retried,
            )
        if story.agency_id and existing.wire_id == story.agency_id:
            if story.version and story.version < existing.wire_version:
                return ImportResult(
                    existing, Outcome.PRESENT, notes=[f"version {story.version} is older"]
                )
            same = (story.version, story.status) == (existing.wire_version, existing.wire_status)
            if same and (not self.update or existing.source_fingerprint == fingerprint):
                return ImportResult(existing, Outcome.PRESENT)
            return self._write(
                lambda: self._new_version(existing, story, fingerprint), story, fingerprint
            )
        if not self.update:
            return ImportResult(existing, Outcome.PRESENT)
        if not policy.may(self.user, rules.EDIT, existing):
            raise TransitionNotAllowed(f"You may not change the story \u201c{existing}\u201d.")
        return self._write(lambda: self._update(existing, story), story, fingerprint)

    def _write(self, build, story: WireStory, fingerprint: str, retried=False) -> ImportResult:
        """Run ``build`` (and publishing) in one transaction; all or nothing. The lead photo's
        renditions are made by the task worker once it has committed."""
        try:
            with transaction.atomic():
                result = build()
                if self.publish and result.outcome != Outcome.PENDING:
                    self._publish(result)
                    self._set_digest(result.article)
                if result.article.lead_photo_id and result.article.lead_photo.image:
                    enqueue_on_commit(make_renditions, result.article.lead_photo_id)
        except IntegrityError:
            self._discard_files()
            # The same copy, imported at the same moment by someone else (or the same headline:
            # its slug was free a moment ago; the retry numbers it).
            existing = existing_story(story, fingerprint).article
            if existing is None and not retried:
                return self._import(story, fingerprint, retried=True)  # looks the slug up again
            if existing is None:
                raise
            return ImportResult(existing, Outcome.PRESENT)
        except ValidationError as exc:
            self._discard_files()
            raise ImportRefused(" ".join(exc.messages)) from None
        except BaseException:
            self._discard_files()
            raise
        return result

    # -- building -----------------------------------------------------------------------------

    def _create(
        self, story: WireStory, fingerprint: str, slug: str = "", targets: dict | None = None
    ) -> ImportResult:
        people = People(story)
        dateline = story.dateline
        article = Article.objects.create(
            headline=story.headline,
            slug=slug,
            dateline_place=dateline.place[:100] if dateline else "",
            dateline_date=dateline.date if dateline else None,
            dateline_agency=dateline.agency[:50] if dateline else "",
            section=self.section,
            source_fingerprint=fingerprint,
            created_by=self.user,
            lead_photo=self._new_photo(story),
            **_envelope(story),
        )
        linked = article.photo_ids()  # what the insert linked: the lead photo, if any
        bylines = Byline.objects.bulk_create(
            Byline(article=article, person=people.get(name), position=position)
            for position, name in enumerate(_unique(story.bylines))
        )
        article.body, related = self._body(article, story, previous={}, targets=targets)
        quotes = self._file_quotes(article, story, people, keep=[])
        _file_subjects(article, story, replace=False)
        article.full_clean(exclude=_OWN_ROWS, validate_unique=False, validate_constraints=False)
        data = revisions.snapshot(article, bylines=bylines, related=related, tags=[], quotes=quotes)
        article.wire_digest = content_digest(data)
        article.save(update_fields=["body", "wire_digest", "updated_at"], linked_photos=linked)
        revisions.record(article, self.user, note="Imported from wire copy.", data=data)
        return ImportResult(article, Outcome.IMPORTED)

    def replace_text(self, article: Article, story: WireStory) -> Article:
        """Make ``story`` (a newer wire version) the story's text: the merge of a wire update.
        Call inside a transaction; the desk's version stays in the revision history."""
        note = f"Merged wire version {story.version}."
        return self._update(article, story, wire_version=True, note=note).article

    def _update(
        self, article: Article, story: WireStory, *, wire_version: bool = False, note: str = ""
    ):
        """Re-import into ``article``: see docs/wire-import.md for what is kept. A newer wire
        version of a story the desk has not touched (``wire_version``) also replaces the
        headline and dateline, and drops confirmations of quotes the new text no longer has."""
        article = Article.objects.select_for_update().get(pk=article.pk)
        people = People(story)
        have = set(article.bylines.values_list("person__normalised_name", flat=True))
        start = article.bylines.count()
        Byline.objects.bulk_create(
            Byline(article=article, person=people.get(name), position=start + n)
            for n, name in enumerate(
                name for name in _unique(story.bylines) if normalise_name(name) not in have
            )
        )
        # An editor's links for a headline survive: the same headline keeps its target or URL.
        previous = {
            headline_key(r.text): (r.target_id, r.url)
            for r in article.related_headlines.select_related("target")
            if r.is_resolved
        }
        article.related_headlines.all().delete()
        confirmed = list(article.quotes.filter(confirmed=True).select_related("speaker"))
        article.quotes.filter(confirmed=False).delete()

        set_aside = [
            b for b in article.body or [] if b.get("type") == "photo"
        ]  # photo blocks: an editor's, or a pending lead photo
        body, _ = self._body(article, story, previous)
        article.body = body + set_aside
        fields = ["body", "lead_photo", "updated_at"]
        if wire_version:
            article.headline = story.headline
            dateline = story.dateline
            article.dateline_place = dateline.place[:100] if dateline else ""
            article.dateline_date = dateline.date if dateline else None
            article.dateline_agency = dateline.agency[:50] if dateline else ""
            fields += ["headline", "dateline_place", "dateline_date", "dateline_agency"]
        self._file_quotes(article, story, people, keep=confirmed, drop_stale=wire_version)
        self._refresh_photo(article, story, set_aside)
        article.full_clean(exclude=_OWN_ROWS, validate_unique=False, validate_constraints=False)
        article.save(update_fields=fields)
        # A content edit like an admin save: the version moves on (an editor's open form gets a
        # conflict, not a silent overwrite), a revision is kept, caches hear if it is live.
        revisions.claim_version(article, article.version)  # the row is locked: it matches
        if not note:
            note = (
                f"Wire version {story.version} replaced the text."
                if wire_version
                else "Re-imported from wire copy."
            )
        revisions.record(article, self.user, note=note)
        revisions.announce_if_live(article)
        self._set_digest(article)
        return ImportResult(article, Outcome.UPDATED)

    def _new_version(self, article: Article, story: WireStory, fingerprint: str) -> ImportResult:
        """A newer version (or a new status) of a story the agency sent before."""
        article = Article.objects.select_for_update().get(pk=article.pk)
        was = article.wire_status
        notes: list[str] = []
        result = ImportResult(article, Outcome.UPDATED, notes=notes)
        if story.paragraphs:
            untouched = article.wire_digest == content_digest(revisions.snapshot(article))
            if untouched and policy.may(self.user, rules.EDIT, article):
                result = self._update(article, story, wire_version=True)
                result.notes = notes
                article = result.article
                article.source_fingerprint = fingerprint
                notes.append(f"replaced by wire version {story.version}")
            else:
                article.wire_updates.pending().update(state=WireUpdate.State.SUPERSEDED)
                WireUpdate.objects.create(
                    article=article,
                    version=story.version,
                    copy=self.text,
                    headline=story.headline[:300],
                )
                result.outcome = Outcome.PENDING
                notes.append(
                    f"the desk has edited it: wire version {story.version} waits for an editor"
                )
        for name, value in _envelope(story).items():
            setattr(article, name, value)
        article.save(update_fields=[*_envelope(story), "source_fingerprint", "updated_at"])
        _file_subjects(article, story, replace=True)
        if story.status != was and story.status != WireStatus.USABLE:
            notes.append(f"the agency {story.status} it")
            if article.is_live:
                notes.append("IT IS LIVE: an editor must decide; nothing was unpublished")
                logger.warning(
                    "Agency %s live story %s (article %s): %s",
                    story.status,
                    story.agency_id,
                    article.pk,
                    story.ed_note or "no note",
                )
        return result

    def _set_digest(self, article: Article) -> None:
        """Remember the story's words as the wire leaves them (unequal later = desk edits)."""
        article.wire_digest = content_digest(revisions.snapshot(article))
        Article.objects.filter(pk=article.pk).update(wire_digest=article.wire_digest)

    def _body(self, article: Article, story: WireStory, previous: dict, targets=None):
        """Body blocks in wire order, and the related-headline rows (linked where they can be,
        to ``targets`` when the caller looked them up already) that the blocks point at."""
        wanted = [b.text for b in story.blocks if b.type == "related"]
        if targets is None:
            targets = stories_headlined(wanted, exclude=article.pk)
        rows = []
        for position, headline in enumerate(wanted):
            key = headline_key(headline)
            target_id, url = previous.get(key) or (targets.get(key), "")
            rows.append(
                RelatedHeadline(
                    article=article,
                    headline=headline[:300],
                    target_id=target_id,
                    url=url,
                    position=position,
                )
            )
        rows = _bulk_create(RelatedHeadline, rows)
        related = iter(rows)
        blocks = [
            paragraph(block.text)
            if block.type == "paragraph"
            else {"type": "related", "id": next(related).pk}
            for block in story.blocks
        ]
        return blocks, rows  # sanitised by full_clean() (Article.clean) before saving

    def _file_quotes(
        self, article, story: WireStory, people: People, keep: list[Quote], drop_stale=False
    ) -> list[Quote]:
        """File the extracted quotes as unconfirmed suggestions; a quote already confirmed is
        not filed twice (it moves to its new paragraph). With ``drop_stale``, a confirmed quote
        whose words the new text no longer has is removed with the text it confirmed. Returns
        the quotes filed now, in story order."""
        found = {(normalise_name(q.speaker), headline_key(q.text)): q for q in story.quotes}
        confirmed = set()
        for quote in keep:
            key = (quote.speaker.normalised_name, headline_key(quote.text))
            if key in found:
                confirmed.add(key)
                if quote.position != found[key].paragraph:
                    quote.position = found[key].paragraph
                    quote.save(update_fields=["position"])
            elif drop_stale:
                quote.delete()
        quotes = []
        for key, found_quote in found.items():
            if not found_quote.text.strip() or key in confirmed:
                continue
            quotes.append(
                Quote(
                    article=article,
                    speaker=people.get(found_quote.speaker, found_quote.speaker_description),
                    text=found_quote.text,
                    speaker_description=found_quote.speaker_description[:500],
                    position=found_quote.paragraph,
                    confirmed=False,
                )
            )
        filed = _bulk_create(Quote, quotes)
        return sorted(filed, key=lambda quote: (quote.position, quote.pk))

    def _new_photo(self, story: WireStory) -> Photo | None:
        if story.photo is None and self.image is None:
            return None
        photo = Photo()
        self._apply_photo_metadata(photo, story, alt_was="")
        if self.image is not None:
            photo.image.save(self.image.name, self.image, save=False)
            self._stored.append(photo.image)
        photo.full_clean(exclude=["image"])  # the file was validated before the transaction
        photo.save()
        return photo

    def _refresh_photo(self, article: Article, story: WireStory, set_aside: list[dict]) -> None:
        """Update the lead (or set-aside) photo's wire metadata; create it if the wire adds one."""
        photo = article.lead_photo
        if photo is None and set_aside:
            photo = Photo.objects.filter(pk__in=[b["id"] for b in set_aside], image="").first()
        if photo is None:
            article.lead_photo = self._new_photo(story)
            return
        if story.photo is not None:
            self._apply_photo_metadata(photo, story, alt_was=photo.caption)
        if self.image is not None:
            photo.image.save(self.image.name, self.image, save=False)
            self._stored.append(photo.image)
            if article.lead_photo_id is None:  # its file is in: it can lead the story again
                article.lead_photo = photo
                article.body = [
                    b for b in article.body if not (b["type"] == "photo" and b["id"] == photo.pk)
                ]
        photo.save()

    def _apply_photo_metadata(self, photo: Photo, story: WireStory, alt_was: str) -> None:
        wire = story.photo
        if wire is None:
            return
        photo.caption = wire.caption
        photo.credit = wire.credit[:200]
        photo.is_file_photo = wire.file_photo
        # The caption stands in as alt text until an editor writes their own.
        if not photo.alt_text or photo.alt_text == alt_was[:300]:
            photo.alt_text = wire.caption[:300]
        if wire.licensed:
            agency = story.dateline.agency if story.dateline else wire.credit.split("/")[-1]
            photo.license_url, photo.rights = license_for(agency.strip())

    def _publish(self, result: ImportResult) -> None:
        article = result.article
        photo = article.lead_photo
        if photo is not None and not photo.image:
            # Readers must not get a story whose lead photo has no picture; keep it linked.
            article.lead_photo = None
            article.body = [*article.body, {"type": "photo", "id": photo.pk}]
            article.save(update_fields=["lead_photo", "body", "updated_at"])
            result.pending_photo = photo
            result.notes.append(
                f"its wire photo (photo {photo.pk}) has no image file yet: kept as pending "
                "metadata that readers don't see until an editor adds the file"
            )
        try:
            Publish(article, self.user, at=self.publish_at).execute()
        except ValidationError as exc:
            raise ImportRefused(f"Cannot publish: {' '.join(exc.messages)}") from None
        article.refresh_from_db()

    def _discard_files(self) -> None:
        for stored in self._stored:
            if stored and stored.name:
                stored.storage.delete(stored.name)
        self._stored.clear()


# -- helpers -----------------------------------------------------------------------------------


def _envelope(story: WireStory) -> dict:
    """The agency's metadata as Article fields."""
    return {
        "wire_id": story.agency_id[:255],
        "wire_version": story.version,
        "wire_status": story.status,
        "wire_note": story.ed_note,
        "wire_urgency": story.urgency,
        "embargoed_until": story.embargo,
    }


def _file_subjects(article: Article, story: WireStory, *, replace: bool) -> None:
    if replace:
        article.wire_subjects.exclude(name__in=story.subjects).delete()
        have = set(article.wire_subjects.values_list("name", flat=True))
    else:
        have = set()
    names = [name[:200] for name in story.subjects if name[:200] not in have]
    if names:
        WireSubject.objects.bulk_create(WireSubject(article=article, name=n) for n in names)


def _bulk_create(model, rows: list) -> list:
    """bulk_create, falling back to one insert each where the database returns no ids."""
    made = model.objects.bulk_create(rows)
    for row in made:
        if row.pk is None:
            row.save()
    return made


def _unique(names: list[str]) -> list[str]:
    seen, kept = set(), []
    for name in names:
        key = normalise_name(name)
        if key not in seen:
            seen.add(key)
            kept.append(name)
    return kept
