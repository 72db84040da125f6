"""Parse plain-text wire copy (UPI-style) into a ``WireStory``.

The shape, top to bottom::

    Headline
    By Writer One and Writer Two                       (optional; may repeat the headline after)
    Caption text. File Photo by AGENCY | License Photo (optional)
    PLACE, Mon. D (AGENCY) -- First paragraph ...
    Paragraphs, separated by blank lines or one per line
    RELATED Another story's headline                  (in place, any number)
    Latest Headlines                                   (page chrome: it and all after it dropped)

Anything that is not wire copy raises ``WireFormatError`` with one readable sentence. Decoding
bytes is ``decode_wire()``'s job; size limits are the importer's.
"""

from __future__ import annotations

import datetime
import re

from articles.wire.quotes import WireQuote
from articles.wire.story import (
    Dateline,
    WireBlock,
    WireFormatError,
    WirePhoto,
    WireStory,
    assemble,
    byline_names,
    clip,
    match_dateline,
    photo_credit,
)

__all__ = [
    "Dateline",
    "WireBlock",
    "WireFormatError",
    "WirePhoto",
    "WireQuote",
    "WireStory",
    "decode_wire",
    "parse_wire",
]


MAX_HEADLINE_CHARS = 300
# Lines that begin the page furniture under a story; the story ends before them.
CHROME_LINES = frozenset(
    {
        "latest headlines",
        "latest news",
        "follow us",
        "trending stories",
        "trending",
        "top news",
        "top stories",
        "recommended",
        "recommended stories",
        "most popular",
        "most read",
        "more stories",
        "editor's picks",
        "you may also like",
    }
)
_RELATED = re.compile(r"RELATED:?\s+(?P<headline>\S.*)")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_PARAGRAPH_END = (".", "!", "?", '"', "\u201d", "\u2019", ":", ")")


def decode_wire(data: bytes) -> str:
    """Decode wire copy from bytes: UTF-8, with or without a byte-order mark."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise WireFormatError("The file is UTF-16; save it as UTF-8 and upload it again.")
    if b"\x00" in data:
        raise WireFormatError("The file contains NUL bytes; it looks binary, not like wire copy.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WireFormatError(
            f"The file is not valid UTF-8 (bad byte at position {exc.start})."
        ) from None
    _check_not_binary(text)
    return text


def parse_wire(text: str, *, today: datetime.date) -> WireStory:
    """Parse one wire story. A dateline without a year takes the latest such date not after
    ``today``. Raises ``WireFormatError`` if ``text`` is not wire copy."""
    _check_not_binary(text)
    text = _CONTROL.sub("", text.removeprefix("\ufeff"))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    if not any(lines):
        raise WireFormatError("The wire copy is empty.")
    first = next(i for i, line in enumerate(lines) if line)
    headline = _headline(lines[first])
    rest = _until_chrome(lines[first + 1 :])
    bylines, photo, start = _front_matter(rest, headline)
    blocks = _blocks([line for line in rest[start:] if line != headline])
    return assemble(headline, bylines, photo, None, blocks, today=today)


def _check_not_binary(text: str) -> None:
    """NUL, or many control characters, means a binary file; a few strays are dropped later."""
    if "\x00" in text:
        raise WireFormatError(
            "The text contains NUL characters; it looks binary, not like wire copy."
        )
    controls = len(_CONTROL.findall(text))
    if controls > 8 and controls * 100 > len(text):
        raise WireFormatError(
            f"The text contains {controls} control characters; it looks binary, not like wire copy."
        )


def _headline(line: str) -> str:
    if len(line) > MAX_HEADLINE_CHARS:
        raise WireFormatError(
            f"The first line is {len(line)} characters long; a headline is at most "
            f"{MAX_HEADLINE_CHARS}, so this is not wire copy or its headline is missing."
        )
    if byline_names(line) is not None:
        raise WireFormatError(
            f"The copy starts with a byline ({clip(line)!r}); the headline is missing."
        )
    if match_dateline(line):
        raise WireFormatError(
            f"The copy starts with a dateline ({clip(line)!r}); the headline is missing."
        )
    return line


def _front_matter(lines: list[str], headline: str) -> tuple[list[str], WirePhoto | None, int]:
    """Bylines and the photo line between the headline and the body, and where the body
    starts. Blank lines and repeats of the headline in between are skipped."""
    bylines: list[str] = []
    photo: WirePhoto | None = None
    for index, line in enumerate(lines):
        if not line or line == headline:
            continue
        if (names := byline_names(line)) is not None:
            bylines.extend(names)
        elif photo is None and (found := _photo(line)) is not None:
            photo = found
        else:
            return bylines, photo, index
    return bylines, photo, len(lines)


def _until_chrome(lines: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        if line.rstrip(":").casefold() in CHROME_LINES:
            return lines[:i]
    return lines


def _photo(line: str) -> WirePhoto | None:
    """ "Caption. File Photo by KCNA/UPI | License Photo"; the last "Photo by" counts."""
    found = photo_credit(line)
    return None if found is None else WirePhoto(*found)


def _blocks(lines: list[str]) -> list[WireBlock]:
    """Paragraphs and related headlines. A blank line ends a paragraph; so does a line break
    after closing punctuation (copy with one paragraph per line). Other breaks are wraps."""
    blocks: list[WireBlock] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            blocks.append(WireBlock("paragraph", " ".join(pending)))
            pending.clear()

    for line in lines:
        related = _RELATED.fullmatch(line)
        if not line or related or (pending and pending[-1].endswith(_PARAGRAPH_END)):
            flush()
        if related:
            blocks.append(WireBlock("related", related.group("headline")))
        elif line:
            pending.append(line)
    flush()
    return blocks
