"""What the importer looks up before it writes: the story a copy already is, the people it
names, and the stories its related lines point at. Each is one query, whatever the copy holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from articles.models import Article, Status
from articles.models.article import match_key
from articles.wire import WireStory
from people.models import Person
from people.names import normalise_name


@dataclass
class Found:
    """What one lookup tells the importer before it writes a copy's story."""

    article: Article | None  # the story this copy already is, if any
    slug_taken: bool  # the headline's plain slug belongs to another story
    targets: dict[str, int]  # related-line key -> the story it links to


def existing_story(story: WireStory, fingerprint: str, slug: str = "") -> Found:
    """The story this copy already is (the same agency id, else the same text), whether
    ``slug`` is taken, and the stories its related lines name: one query on ``Article``."""
    keys = {match_key(b.text)[:400] for b in story.blocks if b.type == "related"}
    match = Q(source_fingerprint=fingerprint)
    if story.agency_id:
        match |= Q(wire_id=story.agency_id[:255])
    if slug:
        match |= Q(slug=slug)
    if keys:
        match |= Q(headline_key__in=keys)
    rows = list(
        Article.objects.filter(match)
        .order_by()
        .values_list(
            "pk", "wire_id", "source_fingerprint", "slug", "headline_key", "status", "published_at"
        )
    )
    by_id = [row[0] for row in rows if story.agency_id and row[1] == story.agency_id]
    by_text = [row[0] for row in rows if row[2] == fingerprint]
    pk = (by_id or by_text or [None])[0]
    return Found(
        article=Article.objects.get(pk=pk) if pk else None,
        slug_taken=bool(slug) and any(row[3] == slug and row[0] != pk for row in rows),
        targets=_best_targets([row for row in rows if row[4] in keys], exclude=pk),
    )


def stories_headlined(headlines: list[str], exclude: int | None) -> dict[str, int]:
    """Existing stories whose headline matches, by headline key (one indexed lookup)."""
    if not headlines:
        return {}
    rows = (
        Article.objects.filter(headline_key__in={match_key(h)[:400] for h in headlines})
        .order_by()
        .values_list(
            "pk", "wire_id", "source_fingerprint", "slug", "headline_key", "status", "published_at"
        )
    )
    return _best_targets(list(rows), exclude=exclude)


def _best_targets(rows: list[tuple], exclude: int | None) -> dict[str, int]:
    """Per headline key, the story a related line links to: never a killed one or the story
    itself; a published one wins, then the latest. The few matching rows are ranked here."""
    found: dict[str, tuple] = {}
    for pk, _, _, _, key, status, published_at in rows:
        if pk == exclude or status == Status.KILLED:
            continue
        rank = (status == Status.PUBLISHED, published_at is not None, published_at, pk)
        if key not in found or rank > found[key][0]:
            found[key] = (rank, pk)
    return {key: pk for key, (_, pk) in found.items()}


class People:
    """Person rows for one story: found by normalised name, created once, described once."""

    def __init__(self, story: WireStory):
        # Everyone the story names, in one query on the key Person.objects.named() uses;
        # the oldest row wins if a name has two.
        names = {normalise_name(n) for n in [*story.bylines, *(q.speaker for q in story.quotes)]}
        self._by_key: dict[str, Person] = {}
        found = (
            Person.objects.filter(normalised_name__in=names)
            .only("id", "name", "normalised_name", "slug", "description")  # what a story uses
            .order_by("-pk")
        )
        for person in found:
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
