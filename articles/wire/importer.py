"""Wire copy into the newsroom: a parsed ``WireStory`` becomes a draft, in one transaction.

``ImportWireStory(text, user, ...).execute()`` is the one path for the ``import_story`` command,
the admin's "Import wire copy" page and the benchmark. Like the publishing steps, it checks
permissions on the server first, then either writes the whole story or nothing: article,
bylines, people, quotes, related headlines and photo are made in one transaction, and an image
file stored for a story that fails is deleted again.

Decisions an editor should know (see docs/wire-import.md):

- The same text (compared after normalising line endings, spacing and Unicode) is one story:
  importing it again returns the existing article as "already present"; ``update=True``
  re-imports into it.
- People are reused by normalised name; the description copy gives them fills an empty
  ``Person.description`` and never replaces text already there.
- Extracted quotes are filed unconfirmed: they are suggestions until an editor confirms them.
- A lead photo that arrives as metadata only cannot be published (readers would see no image).
  Publishing such a story sets the photo aside as a ``photo`` body block: it stays linked to the
  story, the page skips it (``render_blocks`` shows publishable photos only), and an editor makes
  it the lead photo again once its file is in.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q, Value
from django.db.models.functions import Replace
from django.utils import timezone

from articles.body import clean_body, paragraph
from articles.models import Article, Byline, Photo, Quote, RelatedHeadline, Section, Status
from articles.photos.renditions import ensure_renditions
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
    read_wire_file,
    wire_fingerprint,
    wire_image,
)
from people.models import Person
from people.names import normalise_name

# Foreign keys the importer set from rows it just read or made: no need to query them again.
_OWN_ROWS = ["section", "lead_photo", "created_by"]


class Outcome:
    IMPORTED = "imported"
    PRESENT = "already present"
    UPDATED = "updated"


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


def headline_key(text: str) -> str:
    """How headlines (and quoted words) are matched: case, spacing and Unicode form ignored."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


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
        """Import the story; on ``ImportRefused`` or ``TransitionNotAllowed`` nothing is written."""
        self.check()
        story = parse_copy(self.text, self.today)
        fingerprint = wire_fingerprint(self.text)
        existing = Article.objects.filter(source_fingerprint=fingerprint).first()
        if existing is not None and not self.update:
            return ImportResult(existing, Outcome.PRESENT)
        if existing is not None and not policy.may(self.user, rules.EDIT, existing):
            raise TransitionNotAllowed(f"You may not change the story \u201c{existing}\u201d.")
        try:
            with transaction.atomic():
                if existing is None:
                    result = self._create(story, fingerprint)
                else:
                    result = self._update(existing, story)
                if self.publish:
                    self._publish(result)
                if result.article.lead_photo_id and result.article.lead_photo.image:
                    self._stored.extend(
                        r.file for r in ensure_renditions(result.article.lead_photo)
                    )
        except IntegrityError:
            self._discard_files()
            # The same copy, imported at the same moment by someone else.
            existing = Article.objects.filter(source_fingerprint=fingerprint).first()
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

    def _create(self, story: WireStory, fingerprint: str) -> ImportResult:
        people = _People(story)
        dateline = story.dateline
        article = Article.objects.create(
            headline=story.headline,
            dateline_place=dateline.place[:100] if dateline else "",
            dateline_date=dateline.date if dateline else None,
            dateline_agency=dateline.agency[:50] if dateline else "",
            section=self.section,
            source_fingerprint=fingerprint,
            created_by=self.user,
            lead_photo=self._new_photo(story),
        )
        Byline.objects.bulk_create(
            Byline(article=article, person=people.get(name), position=position)
            for position, name in enumerate(_unique(story.bylines))
        )
        article.body = self._body(article, story, previous={})
        self._file_quotes(article, story, people, keep=[])
        article.full_clean(exclude=_OWN_ROWS, validate_unique=False, validate_constraints=False)
        article.save(update_fields=["body", "updated_at"])
        revisions.record(article, self.user, note="Imported from wire copy.")
        return ImportResult(article, Outcome.IMPORTED)

    def _update(self, article: Article, story: WireStory) -> ImportResult:
        """Re-import into ``article``: see docs/wire-import.md for what is kept."""
        article = Article.objects.select_for_update().get(pk=article.pk)
        people = _People(story)
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
        article.body = self._body(article, story, previous) + set_aside
        self._file_quotes(article, story, people, keep=confirmed)
        self._refresh_photo(article, story, set_aside)
        article.full_clean(exclude=_OWN_ROWS, validate_unique=False, validate_constraints=False)
        article.save(update_fields=["body", "lead_photo", "updated_at"])
        # A content edit like an admin save: the version moves on (an editor's open form gets a
        # conflict, not a silent overwrite), a revision is kept, caches hear if it is live.
        revisions.claim_version(article, article.version)  # the row is locked: it matches
        revisions.record(article, self.user, note="Re-imported from wire copy.")
        revisions.announce_if_live(article)
        return ImportResult(article, Outcome.UPDATED)

    def _body(self, article: Article, story: WireStory, previous: dict) -> list[dict]:
        """Body blocks in wire order; related headlines become rows linked where they can be."""
        wanted = [b.text for b in story.blocks if b.type == "related"]
        targets = _stories_headlined(wanted, exclude=article.pk)
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
        return clean_body(blocks)

    def _file_quotes(self, article, story: WireStory, people: _People, keep: list[Quote]) -> None:
        """File the extracted quotes as unconfirmed suggestions; skip any already confirmed."""
        confirmed = {(q.speaker.normalised_name, headline_key(q.text)) for q in keep}
        quotes = []
        for found in story.quotes:
            if (
                not found.text.strip()
                or (normalise_name(found.speaker), headline_key(found.text)) in confirmed
            ):
                continue
            quotes.append(
                Quote(
                    article=article,
                    speaker=people.get(found.speaker, found.speaker_description),
                    text=found.text,
                    speaker_description=found.speaker_description[:500],
                    position=found.paragraph,
                    confirmed=False,
                )
            )
        Quote.objects.bulk_create(quotes)

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


class _People:
    """Person rows for one story: found by normalised name, created once, described once."""

    def __init__(self, story: WireStory):
        # Everyone the story names, in one query on the key Person.objects.named() uses;
        # the oldest row wins if a name has two.
        names = {normalise_name(n) for n in [*story.bylines, *(q.speaker for q in story.quotes)]}
        self._by_key: dict[str, Person] = {}
        for person in Person.objects.filter(normalised_name__in=names).order_by("-pk"):
            self._by_key[person.normalised_name] = person

    def get(self, name: str, description: str = "") -> Person:
        key = normalise_name(name)
        person = self._by_key.get(key)
        if person is None:
            person = Person.objects.create(name=name[:200], description=description[:500])
            self._by_key[key] = person
        if description and not person.description:
            # Fill an empty description; never replace one an editor (or earlier copy) wrote.
            person.description = description[:500]
            person.save(update_fields=["description", "updated_at"])
        return person


def _stories_headlined(headlines: list[str], exclude: int | None) -> dict[str, int]:
    """Existing stories whose headline matches, by headline key; published ones win."""
    if not headlines:
        return {}
    # Spaces are squeezed out in the query (portable); Python then compares word by word.
    match = Q()
    for headline in headlines:
        match |= Q(squeezed__iexact="".join(headline.split()))
    wanted = {headline_key(headline) for headline in headlines}
    found: dict[str, tuple[int, str]] = {}
    candidates = (
        Article.objects.annotate(squeezed=Replace("headline", Value(" "), Value("")))
        .filter(match)
        .exclude(status=Status.KILLED)
        .exclude(pk=exclude)
        .values_list("pk", "headline", "status")
        .order_by("-published_at", "-pk")
    )
    for pk, headline, status in candidates:
        key = headline_key(headline)
        if key not in wanted:
            continue
        better = status == Status.PUBLISHED and found.get(key, (0, ""))[1] != Status.PUBLISHED
        if key not in found or better:
            found[key] = (pk, status)
    return {key: pk for key, (pk, _) in found.items()}


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
