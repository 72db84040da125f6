"""IPTC ninjs 2.x / 3.x JSON (and 1.x's ``body_html``/``headline``) into a ``WireStory``.

Read: ``uri`` (the agency id), ``version``, ``headlines`` (the "main" one, else the first; or
``headline``), ``bodies`` (the HTML one, else text; or ``body_html``/``body_text``), ``by`` (or
``byline``/``bylines``), ``located`` with ``contentcreated``/``firstcreated`` and the first
``infosources`` name (or ``copyrightholder``) for the dateline, ``associations`` (the first
picture: ``descriptions`` caption, ``by`` credit, ``usageterms``), ``pubstatus``,
``embargoed`` (3.x ``embargoedUntil``), ``urgency`` (or ``priority``), ``subjects`` names and
``ednote``. 2.x names are lower case and 3.x names camelCase: both are read. No Django.
"""

from __future__ import annotations

import datetime
import json

from articles.wire.markup import blocks_from_html, blocks_from_text
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

__all__ = ["parse_ninjs"]
MAX_DEPTH = 32  # nesting deeper than this is no news item; refused before reading on


def parse_ninjs(text: str, *, today: datetime.date) -> list[WireStory]:
    """The story in a ninjs document (a list, like the other readers)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise WireFormatError(f"The JSON is not valid ({exc.msg} at line {exc.lineno}).") from None
    except RecursionError:
        raise WireFormatError("The JSON nests too deeply to be a news item.") from None
    if not isinstance(data, dict):
        raise WireFormatError("The JSON is not a ninjs object.")
    _check_depth(data)
    return [read_ninjs(data, today=today)]


def read_ninjs(data: dict, *, today: datetime.date) -> WireStory:
    if data.get("type", "text") not in ("text", "composite"):
        raise WireFormatError(f"The ninjs item is a {data.get('type')!r}, not a text story.")
    blocks, cited = _body(data)
    return assemble(
        _headline(data),
        _bylines(data),
        _photo(data.get("associations")),
        _dateline(data, today),
        blocks,
        today=today,
        cited=cited,
        agency_id=_text(data.get("uri")),
        version=parse_version(data.get("version")),
        status=WireStatus.read(_get(data, "pubstatus", "pubStatus")),
        embargo=parse_timestamp(_get(data, "embargoed", "embargoedUntil")),
        urgency=parse_urgency(_get(data, "urgency", "priority")),
        subjects=tuple(
            dict.fromkeys(
                name
                for subject in _list(_get(data, "subjects", "subject"))
                if isinstance(subject, dict) and (name := _text(subject.get("name")))
            )
        ),
        ed_note=_text(_get(data, "ednote", "edNote")),
        format="ninjs",
    )


def _get(data: dict, *names: str):
    return next((data[n] for n in names if data.get(n) not in (None, "")), None)


def _text(value) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _list(value) -> list:
    if isinstance(value, dict):
        return list(value.values())  # ninjs 1.x keyed associations by name
    return value if isinstance(value, list) else []


def _check_depth(value, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise WireFormatError("The JSON nests too deeply to be a news item.")
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for item in items:
        _check_depth(item, depth + 1)


def _headline(data: dict) -> str:
    headlines = [h for h in _list(data.get("headlines")) if isinstance(h, dict)]
    first = headlines[0] if headlines else {}
    main = next((h for h in headlines if h.get("role") == "main"), first)
    return _text(main.get("value")) or _text(data.get("headline"))


def _body(data: dict):
    bodies = [b for b in _list(data.get("bodies")) if isinstance(b, dict)]
    for body in bodies:
        kind = str(body.get("contenttype") or body.get("contentType") or "")
        if "html" in kind and isinstance(body.get("value"), str):
            return blocks_from_html(body["value"])
    if isinstance(data.get("body_html"), str):
        return blocks_from_html(data["body_html"])
    text = next((b["value"] for b in bodies if isinstance(b.get("value"), str)), None)
    text = text if text is not None else data.get("body_text")
    return blocks_from_text(text) if isinstance(text, str) else ([], {})


def _bylines(data: dict) -> list[str]:
    by = _text(data.get("by")) or _text(data.get("byline"))
    if by:
        return byline_names(by) or byline_names(f"By {by}") or []
    return [
        name
        for entry in _list(data.get("bylines"))
        if isinstance(entry, dict) and (name := _text(entry.get("byline") or entry.get("name")))
    ]


def _dateline(data: dict, today: datetime.date) -> Dateline | None:
    place = _text(data.get("located"))
    found, _ = split_dateline(place, today)
    if found is not None:
        return found
    when = parse_timestamp(
        _get(data, "contentcreated", "contentCreated", "firstcreated", "firstCreated")
    )
    sources = [s for s in _list(_get(data, "infosources", "infoSources")) if isinstance(s, dict)]
    agency = _text(sources[0].get("name")) if sources else ""
    agency = agency or _text(_get(data, "copyrightholder", "copyrightHolder"))
    if not place or when is None:
        return None
    return Dateline(place, when.date(), agency)


def _photo(associations) -> WirePhoto | None:
    for item in _list(associations):
        if not isinstance(item, dict) or item.get("type") != "picture":
            continue
        descriptions = [d for d in _list(item.get("descriptions")) if isinstance(d, dict)]
        caption = next(
            (_text(d.get("value")) for d in descriptions if d.get("role") == "caption"),
            _text(descriptions[0].get("value")) if descriptions else "",
        ) or _text(item.get("description_text"))
        credit = _text(item.get("by")) or _text(item.get("byline"))
        terms = _text(_get(item, "usageterms", "usageTerms")).casefold()
        found = photo_credit(f"{caption} {credit}".strip())
        return WirePhoto(
            caption,
            found[1] if found else credit,
            found[2] if found else False,
            "license photo" in terms,
        )
    return None
