"""The story body: an ordered list of typed blocks stored in one JSON field.

    {"type": "paragraph", "html": "<p>-free inline HTML, sanitised by nh3</p>"}
    {"type": "related", "id": <RelatedHeadline id>}
    {"type": "photo", "id": <Photo id>}
    {"type": "quote", "id": <Quote id>}            (a pull quote)

Rendering fetches each referenced type in one query, so 1 or 30 blocks cost the same.
"""

import re
from dataclasses import dataclass
from html import unescape
from typing import Any

import nh3
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.safestring import mark_safe

from articles.typography import smarten_html

INLINE_TAGS = {"a", "em", "strong", "i", "b", "br", "sup", "sub", "abbr", "cite", "q", "s"}
INLINE_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
REFERENCE_TYPES = ("related", "photo", "quote")
BLOCK_TYPES = ("paragraph", *REFERENCE_TYPES)
# Bounds on what one save may store (and so on what a page, a feed or a compare must process):
# a long feature is 10,000 words and 150 blocks; these leave room and stop abuse.
MAX_BLOCKS = 600
MAX_BODY_CHARACTERS = 200_000
# Lone surrogates can arrive through JSON escapes ("\ud800") but no database stores them.
_SURROGATE = re.compile("[\ud800-\udfff]")


def sanitise_inline_html(html: str) -> str:
    """Keep links and emphasis, drop everything else (scripts, styles, event handlers)."""
    return nh3.clean(
        html,
        tags=INLINE_TAGS,
        attributes=INLINE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def safe_url(url: str) -> str:
    """``url`` if it is an http(s) address a reader may follow, else "" (never javascript:).

    Forms validate URLs already; this guards every link printed from a stored one, whatever
    path (an import, a restore, the shell) wrote it.
    """
    squeezed = re.sub(r"[\x00-\x20]", "", url or "")
    return url.strip() if squeezed.lower().startswith(("http://", "https://")) else ""


def html_to_text(html: str) -> str:
    if "<" not in html and "&" not in html:
        return " ".join(html.split())  # no markup, no entities: what nh3 would return
    return " ".join(unescape(nh3.clean(html, tags=set())).split())


def escape_surrogates(text: str) -> str:
    """``text`` with any lone surrogate written as its JSON escape: a page can't carry them."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def paragraph(text: str) -> dict:
    """A paragraph block from plain text (wire copy): the text is escaped, not interpreted."""
    return {"type": "paragraph", "html": nh3.clean_text(text).replace("&#32;", " ")}


def clean_body(blocks: Any) -> list[dict]:
    """Validate the block list and sanitise paragraph HTML; raise ValidationError if malformed."""
    if blocks in (None, ""):
        return []
    if not isinstance(blocks, list):
        raise ValidationError("The body must be a list of blocks.")
    if len(blocks) > MAX_BLOCKS:
        raise ValidationError(
            f"The body has {len(blocks)} blocks; the most a story holds is {MAX_BLOCKS}."
        )
    cleaned, characters = [], 0
    for index, block in enumerate(blocks, start=1):
        if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
            raise ValidationError(
                f"Block {index}: type must be one of {', '.join(BLOCK_TYPES)}.", code="body"
            )
        if block["type"] == "paragraph":
            html = block.get("html")
            if not isinstance(html, str):
                raise ValidationError(f"Block {index}: a paragraph needs its html text.")
            if _SURROGATE.search(html):
                raise ValidationError(f"Block {index}: the text holds an invalid character.")
            characters += len(html)
            if characters > MAX_BODY_CHARACTERS:
                raise ValidationError(
                    f"The body is longer than {MAX_BODY_CHARACTERS:,} characters; split the story."
                )
            html = sanitise_inline_html(html)
            if html:
                cleaned.append({"type": "paragraph", "html": html})
            continue
        ref = block.get("id")
        if isinstance(ref, bool) or not isinstance(ref, int) or not 0 < ref < 2**63:
            raise ValidationError(f"Block {index}: a {block['type']} block needs a numeric id.")
        cleaned.append({"type": block["type"], "id": ref})
    return cleaned


def body_is_empty(blocks) -> bool:
    return not any(
        b.get("type") == "paragraph" and html_to_text(b.get("html", "")) for b in blocks or []
    )


def body_text(blocks) -> str:
    """The paragraphs as plain text, for search and descriptions."""
    return "\n\n".join(
        html_to_text(b["html"]) for b in blocks or [] if b.get("type") == "paragraph"
    )


@dataclass
class RenderedBlock:
    type: str
    html: str = ""
    obj: Any = None


def render_blocks(article, photos: dict | None = None) -> list[RenderedBlock]:
    """Resolve block references using the article's prefetched relations and one photo query
    (none when ``photos``, the inline photos of a whole list of stories, is given).

    Blocks whose target was deleted, is not publishable, or belongs to another story are dropped.
    """
    from articles.models import Photo, Rendition

    related = {r.id: r for r in article.related_headlines.all()}
    quotes = {q.id: q for q in article.quotes.all()}
    photo_ids = [b["id"] for b in article.body or [] if b.get("type") == "photo"]
    if photos is None:
        photos = (
            Photo.objects.publishable()
            .prefetch_related(Prefetch("renditions", queryset=Rendition.objects.order_by("width")))
            .in_bulk(photo_ids)
            if photo_ids
            else {}
        )
    lookup = {"related": related, "quote": quotes, "photo": photos}
    rendered = []
    for block in article.body or []:
        kind = block.get("type")
        if kind == "paragraph":
            # Curly quotes and dashes on display; the stored text stays what the wire sent.
            html = smarten_html(sanitise_inline_html(block["html"]))
            rendered.append(RenderedBlock("paragraph", html=mark_safe(html)))
        elif kind in lookup and block.get("id") in lookup[kind]:
            rendered.append(RenderedBlock(kind, obj=lookup[kind][block["id"]]))
    return rendered
