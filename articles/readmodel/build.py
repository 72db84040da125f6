"""Render a story's own parts from its rows (loaded with ``with_page_relations()``).

Every string here comes out of an autoescaping template or nh3 (paragraphs), exactly as the
page used to render them on each request; ``store.py`` keeps the result.
"""

from django.conf import settings
from django.template.loader import render_to_string

from articles.body import render_blocks
from articles.dateline import dateline_text
from articles.models import Article
from articles.syndication.feed_items import feed_parts, inline_photos

# Which part holds which template: rendered once per build, never per request.
FRAGMENTS = {
    "feeds": "articles/story/feeds.html",
    "head": "articles/story/head.html",
    "header": "articles/story/header.html",
    "figure": "articles/story/figure.html",
    "footer": "articles/story/footer.html",
}


def build_parts(article: Article, photos: dict | None = None, preview: bool = False) -> dict:
    """The story's own parts as JSON-ready data: HTML fragments, body segments, box links.

    The body is a list of segments: ``{"html": ...}`` for everything fixed, and
    ``{"story": id, "text": ...}`` where an inline RELATED line points at another story, whose
    liveness, headline and address are looked up when the page is served. ``feed`` holds what
    feeds print (``syndication.feed_items.feed_parts``), its body in segments of the same kind.
    ``photos`` are the publishable photos placed in bodies (``inline_photos``), when a caller
    builds many stories at once; otherwise they are looked up here.

    A ``preview`` (the desk's, never stored) shows photos at signed private addresses and
    RELATED lines as they stand now, unlinked ones marked for the editor.
    """
    if photos is None:
        photos = inline_photos([article])
    context = {
        "article": article,
        "corrections": list(article.corrections.all()),
        "preview": preview,
        "SITE_NAME": settings.NEWSROOM_SITE_NAME,
    }
    parts = {name: render_to_string(template, context) for name, template in FRAGMENTS.items()}
    parts["summary"] = article.summary
    parts["feed"] = feed_parts(article, photos)
    parts["body"] = body_segments(article, photos, preview)
    parts["related"] = [
        {"story": link.target_id, "text": link.headline}
        if link.target_id
        else {"url": link.outside_url, "text": link.text}
        for link in article.related_headlines.all()
        if link.target_id or link.outside_url
    ]
    # Named for the cache's surrogate keys, so a read never loads the body to find them.
    parts["photos"] = sorted(shown_photo_ids(article))
    return parts


def body_segments(article: Article, photos: dict, preview: bool = False) -> list[dict]:
    blocks = render_blocks(article, photos)
    # The dateline opens the first paragraph, even when a photo block comes first.
    dateline_at = next((i for i, b in enumerate(blocks) if b.type == "paragraph"), None)
    line = dateline_text(article)
    segments: list[dict] = []
    for i, block in enumerate(blocks):
        if block.type == "related" and block.obj.target_id and not preview:
            segments.append({"story": block.obj.target_id, "text": block.obj.headline})
            continue
        html = render_to_string(
            "articles/story/block.html",
            {"block": block, "dateline": line if i == dateline_at else "", "preview": preview},
        )
        if segments and "html" in segments[-1]:
            segments[-1]["html"] += html
        else:
            segments.append({"html": html})
    return segments


def shown_photo_ids(article: Article) -> set[int]:
    """Every photo the page can show: the lead photo and the photos placed in the body."""
    ids = {b["id"] for b in article.body or [] if b.get("type") == "photo"}
    if article.lead_photo_id:
        ids.add(article.lead_photo_id)
    return ids
