"""What the XML and JSON readers share: safe XML parsing and body markup -> ``WireBlock``s.

XML is parsed with defusedxml: a document that declares entities (the "billion laughs") or
points at external ones is refused, and no DTD or URL is ever fetched. Bodies arrive as NITF
``body.content``, XHTML inside NewsML-G2 ``inlineXML``, or HTML in a ninjs string; all three
are walked by one ``BodyBuilder`` so a paragraph, an inline ``<q>``, a ``<blockquote>`` (NITF
``<bq>``) with its credit, and a related-story line read the same in every format. No Django.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring

from articles.wire.story import WireBlock, WireFormatError

# Elements that end one paragraph and start another.
BLOCK_TAGS = frozenset(
    {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "dd", "dt", "hl2", "block"}
)
QUOTE_BLOCKS = frozenset({"blockquote", "bq"})
CREDIT_TAGS = frozenset({"credit", "cite", "footer"})
VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "source", "col", "wbr", "area"})
SKIPPED = frozenset({"script", "style", "media", "table", "head", "title", "nitf-table", "object"})
_RELATED = re.compile(r"RELATED:?\s+(?P<headline>\S.*)")
_QUOTE_CHARS = ('"', "\u201c", "\u201d")


def parse_xml(text: str) -> ET.Element:
    """The root element of ``text``; refuses entity declarations and external references."""
    try:
        return fromstring(text.encode("utf-8"), forbid_dtd=False)
    except (EntitiesForbidden, ExternalReferenceForbidden, DTDForbidden):
        raise WireFormatError(
            "The XML declares entities or external references; they are refused for safety."
        ) from None
    except ET.ParseError as exc:
        raise WireFormatError(f"The XML is not well-formed ({exc}).") from None


def local(tag) -> str:
    """An element's name without its namespace: "{http://...}hl1" -> "hl1"."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(element: ET.Element | None, name: str) -> list[ET.Element]:
    """Direct children called ``name`` (any namespace)."""
    return [] if element is None else [c for c in element if local(c.tag) == name]


def child(element: ET.Element | None, *path: str) -> ET.Element | None:
    """The first element down ``path`` of names (any namespace), or None."""
    for name in path:
        found = children(element, name)
        element = found[0] if found else None
    return element


def attribute(element: ET.Element | None, name: str) -> str:
    """An attribute's value, stripped; "" when the element or the attribute is missing."""
    return (element.get(name) or "").strip() if element is not None else ""


def descendants(element: ET.Element | None, name: str) -> list[ET.Element]:
    return [] if element is None else [e for e in element.iter() if local(e.tag) == name]


def text_of(element: ET.Element | None) -> str:
    """All the text inside ``element``, spaces squeezed."""
    return "" if element is None else " ".join("".join(element.itertext()).split())


class BodyBuilder:
    """Collects paragraphs, related lines and quote credits from start/text/end events."""

    def __init__(self) -> None:
        self.blocks: list[WireBlock] = []
        self.cited: dict[int, str] = {}  # block index -> the speaker a block quote credits
        self._words: list[str] = []
        self._skip = 0  # inside <script>, <media>...: depth
        self._quote_depth = 0  # inside <blockquote>/<bq>
        self._quote_start = 0  # first block of the current block quote
        self._credit: list[str] | None = None  # collecting a block quote's <credit>
        self._related = False  # inside an element marked class="related"

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if self._skip and tag in VOID:
            return  # HTML's void elements have no end tag to balance the count
        if self._skip or tag in SKIPPED:
            self._skip += 1
            return
        if tag == "br":
            self._words.append(" ")
        elif tag == "q":
            self._words.append("\u201c")
        elif tag in QUOTE_BLOCKS:
            self._flush()
            self._quote_depth += 1
            self._quote_start = len(self.blocks)
        elif tag in CREDIT_TAGS and self._quote_depth:
            self._flush()
            self._credit = []
        elif tag in BLOCK_TAGS:
            self._flush()
        if "related" in (attrs.get("class") or "").split():
            self._flush()
            self._related = True

    def data(self, text: str) -> None:
        if self._skip:
            return
        (self._credit if self._credit is not None else self._words).append(text)

    def end(self, tag: str) -> None:
        if self._skip and tag in VOID:
            return
        if self._skip:
            self._skip -= 1
            return
        if tag == "q":
            self._words.append("\u201d")
        elif tag in CREDIT_TAGS and self._credit is not None:
            credit = " ".join("".join(self._credit).split()).strip(" \u2014\u2013-")
            self._credit = None
            if credit:
                for index in range(self._quote_start, len(self.blocks)):
                    self.cited[index] = credit
        elif tag in QUOTE_BLOCKS:
            self._flush()
            self._quote_depth = max(0, self._quote_depth - 1)
        elif tag in BLOCK_TAGS:
            self._flush()

    def _flush(self) -> None:
        text = " ".join("".join(self._words).split())
        self._words.clear()
        if not text:
            self._related = False
            return
        related = _RELATED.fullmatch(text)
        if self._related or related:
            headline = related.group("headline") if related else text
            self.blocks.append(WireBlock("related", headline))
        else:
            if self._quote_depth and not text.startswith(_QUOTE_CHARS):
                text = f"\u201c{text}\u201d"  # a block quote is someone's words: mark them so
            self.blocks.append(WireBlock("paragraph", text))
        self._related = False

    def finish(self) -> tuple[list[WireBlock], dict[int, str]]:
        self._flush()
        return self.blocks, self.cited


def blocks_from_element(element: ET.Element | None) -> tuple[list[WireBlock], dict[int, str]]:
    """Body blocks from an XML element (NITF ``body.content``, an XHTML ``body``)."""
    builder = BodyBuilder()
    if element is not None:
        _walk(element, builder)
    return builder.finish()


MAX_DEPTH = 100  # body markup nested deeper than this is no story's; refused, not recursed


def _walk(element: ET.Element, builder: BodyBuilder, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise WireFormatError(f"The body's markup nests more than {MAX_DEPTH} elements deep.")
    tag = local(element.tag)
    builder.start(tag, {k.rsplit("}", 1)[-1]: v for k, v in element.attrib.items()})
    if element.text:
        builder.data(element.text)
    for item in element:
        if isinstance(item.tag, str):
            _walk(item, builder, depth + 1)
        if item.tail:
            builder.data(item.tail)
    builder.end(tag)


class _HTMLEvents(HTMLParser):
    def __init__(self, builder: BodyBuilder) -> None:
        super().__init__(convert_charrefs=True)
        self.builder = builder

    def handle_starttag(self, tag, attrs):
        self.builder.start(tag, {k: v or "" for k, v in attrs})

    def handle_startendtag(self, tag, attrs):
        self.builder.start(tag, {k: v or "" for k, v in attrs})
        self.builder.end(tag)

    def handle_endtag(self, tag):
        self.builder.end(tag)

    def handle_data(self, data):
        self.builder.data(data)


def blocks_from_html(html: str) -> tuple[list[WireBlock], dict[int, str]]:
    """Body blocks from an HTML string (ninjs ``body_html`` or an HTML body)."""
    builder = BodyBuilder()
    parser = _HTMLEvents(builder)
    parser.feed(html)
    parser.close()
    return builder.finish()


def blocks_from_text(text: str) -> tuple[list[WireBlock], dict[int, str]]:
    """Body blocks from plain text: a blank line (or a line break) between paragraphs."""
    builder = BodyBuilder()
    for line in text.splitlines():
        builder.start("p", {})
        builder.data(line)
        builder.end("p")
    return builder.finish()
