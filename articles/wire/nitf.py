"""IPTC NITF 3.x (``<nitf>``) into a ``WireStory``; with or without the NITF namespace.

Read: ``hedline/hl1`` (else ``head/title``), ``byline`` (its ``<person>`` names, else "By ..."
text), ``dateline`` (its ``location`` and ``story.date``, else "PLACE, Mon. D (AGENCY)" text),
``distributor`` (the agency), ``body.content`` paragraphs with ``<q>`` and ``<bq>`` (credited
quotes), the first image ``media`` (``media-caption``, ``media-producer``), and in ``docdata``:
``doc-id`` (the agency id), ``du-key`` (the version), ``urgency``, ``management-status`` and
``ed-msg`` (a ``msg-type="kill"`` is a kill advisory), ``date.release`` (the embargo), and the
subjects of ``tobject.subject`` and ``key-list``. No Django.
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

from articles.wire.markup import (
    attribute,
    blocks_from_element,
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

__all__ = ["parse_nitf"]


def parse_nitf(text: str, *, today: datetime.date) -> list[WireStory]:
    """The one story in a NITF document (a list, like the other readers)."""
    return [read_nitf(parse_xml(text), today=today)]


def read_nitf(root: ET.Element, *, today: datetime.date) -> WireStory:
    if local(root.tag) != "nitf":
        raise WireFormatError(f"The XML's root is <{local(root.tag)}>, not <nitf>.")
    head, body = child(root, "head"), child(root, "body")
    body_head = child(body, "body.head")
    docdata = child(head, "docdata")
    headline = text_of(child(body_head, "hedline", "hl1")) or text_of(child(head, "title"))
    blocks, cited = blocks_from_element(child(body, "body.content"))
    status, ed_note = _status(docdata)
    agency = text_of(child(body_head, "distributor")) or _attr(docdata, "doc-id", "regsrc")
    du_key = child(docdata, "du-key")
    return assemble(
        headline,
        _bylines(body_head),
        _photo(child(body, "body.content")),
        _dateline(child(body_head, "dateline"), agency, today),
        blocks,
        today=today,
        cited=cited,
        agency_id=_attr(docdata, "doc-id", "id-string"),
        version=parse_version(
            du_key.get("version") or du_key.get("generation") if du_key is not None else None
        ),
        status=status,
        embargo=parse_timestamp(_attr(docdata, "date.release", "norm")),
        urgency=parse_urgency(_attr(docdata, "urgency", "ed-urg")),
        subjects=_subjects(head, docdata),
        ed_note=ed_note,
        format="nitf",
    )


def _attr(parent: ET.Element | None, name: str, attribute_name: str) -> str:
    return attribute(child(parent, name), attribute_name)


def _status(docdata: ET.Element | None) -> tuple[str, str]:
    """The management status, a kill ``ed-msg`` overriding it; and the editors' note."""
    status = WireStatus.read(docdata.get("management-status") if docdata is not None else "")
    notes = []
    for message in children(docdata, "ed-msg"):
        if WireStatus.read(message.get("msg-type")) == WireStatus.KILLED:
            status = WireStatus.KILLED
        if info := (message.get("info") or "").strip():
            notes.append(info)
    return status, " ".join(notes)


def _bylines(body_head: ET.Element | None) -> list[str]:
    names: list[str] = []
    for byline in children(body_head, "byline"):
        people = [text_of(p) for p in children(byline, "person") if text_of(p)]
        if people:
            names.extend(people)
        else:
            line = text_of(byline)
            names.extend(byline_names(line) or byline_names(f"By {line}") or [])
    return names


def _dateline(element: ET.Element | None, agency: str, today: datetime.date) -> Dateline | None:
    if element is None:
        return None
    found, _ = split_dateline(text_of(element), today)
    if found is not None:
        return found
    when = parse_timestamp(attribute(child(element, "story.date"), "norm"))
    place = text_of(child(element, "location")) or text_of(element).split(",")[0]
    if not place or when is None:
        return None
    return Dateline(place, when.date(), agency)


def _photo(content: ET.Element | None) -> WirePhoto | None:
    for media in descendants(content, "media"):
        if (media.get("media-type") or "image").lower() not in ("image", "photo", "picture"):
            continue
        caption = text_of(child(media, "media-caption"))
        producer = text_of(child(media, "media-producer"))
        found = photo_credit(f"{caption} {producer}".strip())
        if found is not None:
            return WirePhoto(caption, *found[1:])
        if caption or producer:
            return WirePhoto(caption, producer, False, False)
    return None


def _subjects(head: ET.Element | None, docdata: ET.Element | None) -> tuple[str, ...]:
    names = [
        s.get("tobject.subject.matter") or s.get("tobject.subject.type") or ""
        for s in descendants(head, "tobject.subject")
    ]
    names += [k.get("key") or "" for k in descendants(child(docdata, "key-list"), "keyword")]
    return tuple(dict.fromkeys(n.strip() for n in names if n and n.strip()))
