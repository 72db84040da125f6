"""What a story page reads on every request: the stories it links to that are live now, and
the latest headlines.

Inline RELATED lines, the desk's related headlines and the stored suggestions all point at
other stories, and the aside lists the latest ones. Whether each is live, and its headline and
address, can change without any write to this story (a scheduled story's time comes, another
expires or is killed), so they are read when the page is served: two queries of plain rows,
compiled once per process.
"""

from dataclasses import dataclass

from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles.models import Article
from articles.publishing.addresses import story_paths
from newsroom.prepared import PreparedRead

RELATED_BOX_SIZE = 6
LATEST_HEADLINES = 5


@dataclass(frozen=True, slots=True)
class StoryLink:
    pk: int
    headline: str
    url: str


def _links_among(moment, ids):
    return _as_links(Article.objects.published(moment).filter(pk__in=ids))


def _newest_but(moment, ids):
    newest = Article.objects.published(moment).exclude(pk=ids[0]).latest_first()
    return _as_links(newest)[:LATEST_HEADLINES]


def _as_links(stories):
    # The time as text: parsed only when the site's time zone needs it (addresses.story_paths).
    return stories.annotate(published_text=Cast("published_at", CharField())).values_list(
        "pk", "headline", "slug", "published_text", "section__slug"
    )


# Compiled once per process (newsroom/prepared.py): the same two reads run on every page.
LINKS_AMONG = PreparedRead(Article, "published_at", _links_among)
NEWEST_BUT = PreparedRead(Article, "published_at", _newest_but)


def linked_ids(article: Article, parts: dict) -> set[int]:
    ids = {segment["story"] for segment in parts["body"] if "story" in segment}
    ids.update(item["story"] for item in parts["related"] if "story" in item)
    ids.update(article.suggested_related or ())
    ids.discard(article.pk)
    return ids


def live_stories(ids) -> dict[int, StoryLink]:
    """The stories among ``ids`` that readers may see now, by id (one query, or none)."""
    if not ids:
        return {}
    rows = LINKS_AMONG.rows(timezone.now(), sorted(ids))
    return {link.pk: link for link in _story_links(rows)}


def live_links(article: Article, parts: dict) -> tuple[dict[int, StoryLink], list[StoryLink]]:
    """(the linked stories readers may see now, by id; the latest headlines): two queries
    of plain rows, each on an index whatever the size of the archive."""
    newest = _story_links(NEWEST_BUT.rows(timezone.now(), [article.pk]))
    return live_stories(linked_ids(article, parts)), newest


def _story_links(rows) -> list[StoryLink]:
    path = story_paths()
    return [
        StoryLink(pk, headline, path(section or "news", published, slug))
        for pk, headline, slug, published, section in rows
    ]


def story_body(parts: dict, linked: dict[int, StoryLink]) -> list[dict]:
    """The body's segments for the template; RELATED lines to stories readers can't see go."""
    body = []
    for segment in parts["body"]:
        if "html" in segment:
            body.append({"html": mark_safe(segment["html"])})  # noqa: S308 - built escaped
        elif segment["story"] in linked:
            story = linked[segment["story"]]
            body.append({"url": story.url, "text": segment["text"] or story.headline})
    return body


def related_box(article: Article, parts: dict, linked: dict[int, StoryLink]) -> list[dict]:
    """The desk's related headlines first, then the stored suggestions; six in all.

    Links to stories readers can't see (draft, killed, expired) are left out.
    """
    box, seen = [], {article.pk}
    for item in parts["related"]:
        if "url" in item:
            box.append({"text": item["text"], "url": item["url"]})
            continue
        story = linked.get(item["story"])
        if story is None or story.pk in seen:
            continue
        seen.add(story.pk)
        box.append({"text": item["text"] or story.headline, "url": story.url})
    room = RELATED_BOX_SIZE - len(box)
    for pk in article.suggested_related or ():
        if room <= 0:
            break
        if pk in linked and pk not in seen:
            seen.add(pk)
            box.append({"text": linked[pk].headline, "url": linked[pk].url})
            room -= 1
    return box
