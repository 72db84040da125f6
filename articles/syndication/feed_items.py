"""What a feed says about one story, built once per story and defensively.

Feeds and sitemaps are read by machines that reject a whole document for one bad byte, so every
string that leaves here has the characters XML 1.0 forbids removed, and a story that cannot be
rendered is logged and left out instead of taking the feed down.
"""

import logging
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from django.db.models import Prefetch
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from articles.body import html_to_text, sanitise_inline_html
from articles.dateline import dateline_text
from articles.models import Article, Photo, Rendition
from articles.syndication.jsonld import absolute
from newsroom.site import site_url as newsroom_site_url

logger = logging.getLogger(__name__)

# C0 controls except tab, newline and carriage return; lone surrogates; the two non-characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# The rendition a feed reader gets: wide enough for a reading pane, small enough to fetch.
FEED_RENDITION_SPECS = ("w1200", "w800", "w480")


def xml_text(value) -> str:
    """``value`` as text that any XML 1.0 parser accepts (forbidden characters removed)."""
    if value is None:
        return ""
    return _NOT_XML.sub("", str(value))


def plain_text(value) -> str:
    """Editor or wire text as one line of plain text: markup dropped, whitespace collapsed.

    Feed readers decode titles and names once more and often render them as HTML, so the
    result must hold no markup even after decoding: text typed as ``&lt;img ...&gt;`` is
    decoded and stripped again until nothing changes.
    """
    text = xml_text(value)
    for _ in range(4):
        stripped = html_to_text(text)
        if stripped == text:
            break
        text = stripped
    return xml_text(text)


def site_url(path: str) -> str:
    """An absolute URL on the canonical site (``newsroom.site.site_url``: the setting when set).

    Feeds and sitemaps are cached by shared caches, so they must not echo the Host header.
    """
    return absolute(path, newsroom_site_url())


def site_host() -> str:
    return urlsplit(newsroom_site_url()).hostname or "localhost"


@dataclass
class MediaPhoto:
    url: str
    width: int | None
    height: int | None
    mime_type: str
    caption: str
    credit: str
    alt_text: str


@dataclass
class FeedEntry:
    """One story as feeds print it; every string is already safe for XML."""

    pk: int
    title: str
    link: str
    guid: str
    summary: str
    content_html: str
    published: datetime
    updated: datetime
    creators: list[tuple[str, str]] = field(default_factory=list)  # (name, absolute URL)
    categories: list[str] = field(default_factory=list)
    photo: MediaPhoto | None = None


def story_guid(article: Article) -> str:
    """A tag URI (RFC 4151) from the story's id and creation date: stable across edits."""
    minted = (article.created_at or article.published_at).date().isoformat()
    return f"tag:{site_host()},{minted}:story/{article.pk}"


def media_photo(photo: Photo | None) -> MediaPhoto | None:
    """The feed rendition of a publishable photo, from prefetched renditions."""
    if photo is None or not photo.is_publishable:
        return None
    # Public copies only: the original is never published, and a photo of no public story
    # has no public renditions.
    renditions = {(r.spec, r.format): r for r in photo.renditions.all() if r.public_file}
    for spec in FEED_RENDITION_SPECS:
        rendition = renditions.get((spec, "jpeg"))
        if rendition:
            url, width, height = rendition.url, rendition.width, rendition.height
            break
    else:
        return None
    suffix = urlsplit(url).path.rsplit(".", 1)[-1].lower()
    mime = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
    return MediaPhoto(
        url=xml_text(site_url(url)),
        width=width,
        height=height,
        mime_type=mime.get(suffix, "image/jpeg"),
        caption=plain_text(photo.caption),
        credit=plain_text(photo.credit_line or photo.credit),
        alt_text=plain_text(photo.alt_text),
    )


def figure_html(photo: MediaPhoto) -> str:
    caption = " ".join(part for part in (photo.caption, photo.credit) if part)
    return format_html(
        '<figure><img src="{}" alt="{}"{}>{}</figure>',
        photo.url,
        photo.alt_text,
        mark_safe(f' width="{int(photo.width)}" height="{int(photo.height)}"')
        if photo.width and photo.height
        else "",
        format_html("<figcaption>{}</figcaption>", caption) if caption else "",
    )


def body_html(article: Article, photos: dict[int, Photo], lead: MediaPhoto | None) -> str:
    """The story body as self-contained HTML, links to other stories as they are now (ninjs).

    Feeds print the same from the stored segments (``body_segments``) instead.
    """
    live = {r.target_id: r.target for r in article.related_headlines.all() if r.target_id}
    content = []
    for segment in body_segments(article, photos, lead):
        if "html" in segment:
            content.append(segment["html"])
        elif live[segment["story"]].is_live:
            target = live[segment["story"]]
            url = target.get_absolute_url()
            content.append(related_line(url, segment["text"] or plain_text(target.headline)))
    return "\n".join(content)


def related_line(path: str, text: str) -> str:
    """A RELATED line to another story of the site."""
    return format_html('<p>Related: <a href="{}">{}</a></p>', xml_text(site_url(path)), text)


def body_segments(
    article: Article, photos: dict[int, Photo], lead: MediaPhoto | None
) -> list[dict]:
    """The story body as self-contained HTML for content:encoded / atom:content, in segments:
    ``{"html": ...}``, and ``{"story": id, "text": ...}`` where a RELATED line points at another
    story (whether it is live is known only when the feed is served)."""
    parts = [figure_html(lead)] if lead else []
    segments: list[dict] = []
    related = {r.id: r for r in article.related_headlines.all()}
    quotes = {q.id: q for q in article.quotes.all()}
    # The dateline opens the first paragraph, as on the story page.
    dateline = escape(plain_text(dateline_text(article)))
    for block in article.body or []:
        kind, ref = block.get("type"), block.get("id")
        if kind == "paragraph":
            text = sanitise_inline_html(xml_text(block.get("html", "")))
            if dateline:
                text, dateline = f"<strong>{dateline}</strong> {text}", ""
            parts.append(f"<p>{text}</p>")
        elif kind == "related" and ref in related:
            link = related[ref]
            if link.target_id:
                segments += [{"html": xml_text("\n".join(str(p) for p in parts))}] if parts else []
                segments.append({"story": link.target_id, "text": plain_text(link.headline)})
                parts = []
            elif link.outside_url:
                parts.append(
                    format_html(
                        '<p>Related: <a href="{}">{}</a></p>',
                        link.outside_url,
                        plain_text(link.text),
                    )
                )
        elif kind == "photo" and ref in photos:
            inline = media_photo(photos[ref])
            if inline:
                parts.append(figure_html(inline))
        elif kind == "quote" and ref in quotes:
            quote = quotes[ref]
            parts.append(
                format_html(
                    "<blockquote><p>{}</p><footer>{}</footer></blockquote>",
                    plain_text(quote.text),
                    plain_text(quote.speaker.name),
                )
            )
    if parts:
        segments.append({"html": xml_text("\n".join(str(p) for p in parts))})
    return segments


def inline_photos(articles) -> dict[int, Photo]:
    """Every photo placed in these bodies, in one query (plus one for renditions)."""
    ids = {
        block.get("id")
        for article in articles
        for block in article.body or []
        if block.get("type") == "photo" and isinstance(block.get("id"), int)
    }
    if not ids:
        return {}
    return (
        Photo.objects.publishable()
        .prefetch_related(Prefetch("renditions", queryset=Rendition.objects.order_by("width")))
        .in_bulk(ids)
    )


def feed_parts(article: Article, photos: dict[int, Photo]) -> dict:
    """What a feed prints about ``article`` from its own rows, for its stored page.

    Read from the relations ``with_page_relations()`` loaded; ``photos`` are its inline photos.
    """
    lead = media_photo(article.lead_photo)
    creators = [
        (plain_text(b.person.name), site_url(b.person.get_absolute_url()))
        for b in article.bylines.all()
        if b.role != "photographer"
    ]
    categories = [plain_text(article.section.name)] if article.section_id else []
    categories += [plain_text(t.name) for t in article.tags.all()]
    return {
        # The dek, or the opening words when there is none: a summary is never blank.
        "summary": escape(plain_text(article.summary)),
        "content": body_segments(article, photos, lead),
        "creators": [c for c in creators if c[0]],
        "categories": [c for c in categories if c],
        "photo": asdict(lead) if lead else None,
    }


def feed_entry(article: Article, feed: dict, linked: dict) -> FeedEntry:
    """A feed entry from the story row, its stored feed part and the live linked stories."""
    content = []
    for segment in feed["content"]:
        if "html" in segment:
            content.append(segment["html"])
        elif segment["story"] in linked:
            story = linked[segment["story"]]
            content.append(related_line(story.url, segment["text"] or plain_text(story.headline)))
    return FeedEntry(
        pk=article.pk,
        title=plain_text(article.headline),
        link=xml_text(site_url(article.get_absolute_url())),
        guid=xml_text(story_guid(article)),
        summary=feed["summary"],
        content_html="\n".join(str(c) for c in content),
        published=article.published_at,
        updated=article.last_changed,
        creators=[tuple(c) for c in feed["creators"]],
        categories=list(feed["categories"]),
        photo=MediaPhoto(**feed["photo"]) if feed["photo"] else None,
    )


def feed_entries(articles) -> list[FeedEntry]:
    """Feed entries for ``articles`` (loaded ``with_stored_page()``), from their stored pages.

    Stories whose page is missing or stale are built together in a fixed number of queries
    (not stored: a feed never writes); a story that fails is logged and left out.
    """
    from articles.readmodel import live_stories, parts_for

    articles = list(articles)
    parts = parts_for(articles)
    ids = {
        segment["story"]
        for story_parts in parts.values()
        for segment in story_parts["feed"]["content"]
        if "story" in segment
    }
    linked = live_stories(ids)
    entries = []
    for article in articles:
        try:
            entries.append(feed_entry(article, parts[article.pk]["feed"], linked))
        except Exception:
            logger.exception("Left story %s out of a feed: it could not be rendered", article.pk)
    return entries
