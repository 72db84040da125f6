"""What a story page reads on every request: the stories it links to, live now, in one query.

Inline RELATED lines, the desk's related headlines and the stored suggestions all point at
other stories, and the aside lists the latest ones. Whether each is live, and its headline and
address, can change without any write to this story (a scheduled story's time comes, another
expires or is killed), so they are read when the page is served: one query, as plain rows.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.safestring import mark_safe

from articles.addresses import story_path
from articles.models import Article

RELATED_BOX_SIZE = 6
LATEST_HEADLINES = 5


@dataclass(frozen=True, slots=True)
class StoryLink:
    pk: int
    headline: str
    url: str
    published_at: datetime


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
    return {link.pk: link for link in _links(Article.objects.published().filter(pk__in=ids))}


def live_links(article: Article, parts: dict) -> tuple[dict[int, StoryLink], list[StoryLink]]:
    """(the linked stories readers may see now, by id; the latest headlines): two queries
    of plain rows, each on an index whatever the size of the archive."""
    newest = Article.objects.published().exclude(pk=article.pk).latest_first()
    return live_stories(linked_ids(article, parts)), _links(newest[:LATEST_HEADLINES])


def _links(stories) -> list[StoryLink]:
    # Public stories always have a publication time (a check constraint says so).
    rows = stories.values_list("pk", "headline", "slug", "published_at", "section__slug")
    return [
        StoryLink(pk, headline, story_path(section or "news", published, slug), published)
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
