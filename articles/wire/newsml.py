"""IPTC NewsML-G2 2.x into ``WireStory``s: a text ``newsItem``, or a ``newsMessage`` of several.

Read from each text item: the ``guid`` and ``version``; ``itemMeta`` ``pubStatus`` (usable,
withheld, canceled), ``embargoed``, ``edNote`` and a ``signal`` of kind kill; ``contentMeta``
``headline``, ``by`` (else the ``creator`` names), ``dateline`` (else ``located`` with
``contentCreated`` and the ``provider``), ``urgency``, ``subject`` names; the body from
``contentSet/inlineXML`` (XHTML, with ``<q>`` and ``<blockquote>``). A picture item in the same
message (``itemClass`` ``ninat:picture``) becomes the photo of the text item that links to it
(``itemMeta/link@residref``), or of the only text item: its ``description`` (caption),
``creditline`` and ``usageTerms``. No Django.
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

from articles.wire.markup import (
    attribute,
    blocks_from_element,
    blocks_from_text,
    child,
    children,
    descendants,
    local,
    parse_xml,
    text_of,
)
from articles.wire.story import (
    Dateline,
    WireFormatError,
    WirePhoto,
    WireStatus,
    WireStory,
    assemble,
    byline_names,
    parse_timestamp,
    parse_urgency,
    parse_version,
    photo_credit,
    split_dateline,
)

__all__ = ["parse_newsml"]


def parse_newsml(text: str, *, today: datetime.date) -> list[WireStory]:
    """Every text item of a ``newsItem`` or ``newsMessage`` document, in order."""
    root = parse_xml(text)
    kind = local(root.tag)
    if kind == "newsItem":
        items = [root]
    elif kind == "newsMessage":
        items = [i for i in descendants(child(root, "itemSet"), "newsItem")]
    else:
        raise WireFormatError(f"The XML's root is <{kind}>, not a NewsML-G2 newsItem.")
    texts = [i for i in items if _item_class(i) in ("", "text", "composite")]
    if not texts:
        raise WireFormatError("The NewsML-G2 document holds no text item.")
    pictures = {i.get("guid", ""): i for i in items if _item_class(i) == "picture"}
    stories = []
    for item in texts:
        linked = [
            pictures[ref]
            for link in children(child(item, "itemMeta"), "link")
            if (ref := link.get("residref", "")) in pictures
        ]
        if not linked and len(pictures) == 1 and len(texts) == 1:
            linked = list(pictures.values())
        stories.append(_read_item(item, linked[0] if linked else None, today))
    return stories


def _item_class(item: ET.Element) -> str:
    qcode = attribute(child(item, "itemMeta", "itemClass"), "qcode")
    return qcode.rsplit(":", 1)[-1]


def _read_item(item: ET.Element, picture: ET.Element | None, today: datetime.date) -> WireStory:
    meta, content = child(item, "itemMeta"), child(item, "contentMeta")
    blocks, cited = _body(child(item, "contentSet"))
    status = WireStatus.read(_qcode(meta, "pubStatus"))
    signals = [s.get("qcode", "") for s in children(meta, "signal")]
    if any(WireStatus.read(s) == WireStatus.KILLED for s in signals):
        status = WireStatus.KILLED
    return assemble(
        text_of(child(content, "headline")),
        _bylines(content),
        _photo(picture),
        _dateline(item, content, today),
        blocks,
        today=today,
        cited=cited,
        agency_id=item.get("guid", "").strip(),
        version=parse_version(item.get("version")),
        status=status,
        embargo=parse_timestamp(text_of(child(meta, "embargoed"))),
        urgency=parse_urgency(text_of(child(content, "urgency"))),
        subjects=tuple(
            dict.fromkeys(
                name
                for subject in children(content, "subject")
                if (name := text_of(child(subject, "name")) or subject.get("qcode", ""))
            )
        ),
        ed_note=" ".join(text_of(note) for note in children(meta, "edNote")),
        format="newsml",
    )


def _qcode(parent: ET.Element | None, name: str) -> str:
    return attribute(child(parent, name), "qcode")


def _body(content_set: ET.Element | None) -> tuple[list, dict[int, str]]:
    inline = child(content_set, "inlineXML")
    if inline is not None:
        body = next((e for e in inline.iter() if local(e.tag) == "body"), inline)
        return blocks_from_element(body)
    data = child(content_set, "inlineData")
    return blocks_from_text(data.text or "") if data is not None else ([], {})


def _bylines(content: ET.Element | None) -> list[str]:
    by = text_of(child(content, "by"))
    if by:
        return byline_names(by) or byline_names(f"By {by}") or []
    creators = [text_of(child(creator, "name")) for creator in children(content, "creator")]
    return [name for name in creators if name]


def _dateline(item: ET.Element, content: ET.Element | None, today) -> Dateline | None:
    found, _ = split_dateline(text_of(child(content, "dateline")), today)
    if found is not None:
        return found
    place = text_of(child(content, "located", "name"))
    when = parse_timestamp(text_of(child(content, "contentCreated"))) or parse_timestamp(
        text_of(child(item, "itemMeta", "firstCreated"))
    )
    provider = child(item, "itemMeta", "provider")
    agency = ""
    if provider is not None:
        agency = text_of(child(provider, "name")) or provider.get("literal", "")
        agency = agency or provider.get("qcode", "").rsplit(":", 1)[-1]
    if not place or when is None:
        return None
    return Dateline(place, when.date(), agency)


def _photo(picture: ET.Element | None) -> WirePhoto | None:
    if picture is None:
        return None
    content = child(picture, "contentMeta")
    captions = children(content, "description")
    caption = next(
        (text_of(d) for d in captions if d.get("role", "").endswith("caption")),
        text_of(captions[0]) if captions else "",
    )
    credit = text_of(child(content, "creditline"))
    terms = text_of(child(picture, "rightsInfo", "usageTerms"))
    found = photo_credit(f"{caption} {credit}".strip())
    file_photo = found[2] if found else False
    credit = found[1] if found else credit
    return WirePhoto(caption, credit, file_photo, "license photo" in terms.casefold())
