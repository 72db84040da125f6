"""What the importer looks up before it writes: the story a copy already is, the people it
names, and the stories its related lines point at. Each is one query, whatever the copy holds.
"""

from __future__ import annotations

from django.db.models import Q

from articles.models import Article, Status
from articles.models.article import match_key
from articles.wire import WireStory
from people.models import Person
from people.names import normalise_name


def existing_story(
    story: WireStory, fingerprint: str, slug: str = ""
) -> tuple[Article | None, bool]:
    """The story this copy already is (the same agency id, else the same text), and whether
    ``slug`` is taken: one small query for what a new story's import needs to know."""
    match = Q(source_fingerprint=fingerprint)
    if story.agency_id:
        match |= Q(wire_id=story.agency_id[:255])
    if slug:
        match |= Q(slug=slug)
    found = list(
        Article.objects.filter(match).order_by().values_list("pk", "wire_id", "source_fingerprint")
    )
    by_id = [pk for pk, wire_id, _ in found if story.agency_id and wire_id == story.agency_id]
    by_text = [pk for pk, _, copy in found if copy == fingerprint]
    pk = (by_id or by_text or [None])[0]
    taken = any(pk_ not in by_id + by_text for pk_, _, _ in found)
    return (Article.objects.get(pk=pk) if pk else None), taken


def stories_headlined(headlines: list[str], exclude: int | None) -> dict[str, int]:
    """Existing stories whose headline matches, by headline key; a published one wins, then
    the latest. One indexed lookup; the few rows that match are ranked here."""
    if not headlines:
        return {}
    candidates = (
        Article.objects.filter(headline_key__in={match_key(h)[:400] for h in headlines})
        .exclude(status=Status.KILLED)
        .order_by()
        .values_list("pk", "headline_key", "status", "published_at")
    )
    found: dict[str, tuple] = {}
    for pk, key, status, published_at in candidates:
        if pk == exclude:
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
