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
from dataclasses import dataclass

from articles.wire.attribution import PARTICLES
from articles.wire.quotes import WireQuote, extract_quotes

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
MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip

# "UNITED NATIONS, Oct. 25 (UPI) --"; "SEOUL, South Korea, May 3, 2024 (UPI) --". Bounded
# repeats keep the worst case linear in the length of the line.
_DATELINE = re.compile(
    r"(?P<place>[^\W\d_][^()\n]{0,80}?),\s{1,3}"
    r"(?P<month>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6})\.?\s{1,3}"
    r"(?P<day>\d{1,2})(?:,\s{0,3}(?P<year>\d{4}))?\s{0,3}"
    r"\((?P<agency>[^()\n]{1,40})\)\s{0,3}(?:--|\u2014|\u2013|-)\s*"
)
_PHOTO_BY = re.compile(r"(?:(?<=\s)|^)(?P<file>File\s+)?Photo\s+by\s+")
_RELATED = re.compile(r"RELATED:?\s+(?P<headline>\S.*)")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_PARAGRAPH_END = (".", "!", "?", '"', "\u201d", "\u2019", ":", ")")


class WireFormatError(ValueError):
    """The text is not wire copy; the message says why in one sentence."""


@dataclass(frozen=True)
class WirePhoto:
    caption: str
    credit: str  # "KCNA/UPI"
    file_photo: bool  # "File Photo by" rather than "Photo by"
    licensed: bool  # the line ended with "| License Photo"


@dataclass(frozen=True)
class Dateline:
    place: str  # "UNITED NATIONS"
    date: datetime.date
    agency: str  # "UPI"


@dataclass(frozen=True)
class WireBlock:
    type: str  # "paragraph" | "related"
    text: str  # paragraph text (plain), or the related story's headline


@dataclass(frozen=True)
class WireStory:
    headline: str
    bylines: list[str]
    photo: WirePhoto | None
    dateline: Dateline | None
    blocks: list[WireBlock]
    quotes: list[WireQuote]  # paragraph = index into blocks

    @property
    def paragraphs(self) -> list[str]:
        """The text of the paragraph blocks, in order."""
        return [block.text for block in self.blocks if block.type == "paragraph"]


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
    dateline = None
    first_paragraph = next((i for i, b in enumerate(blocks) if b.type == "paragraph"), None)
    if first_paragraph is not None:
        dateline, remainder = _dateline(blocks[first_paragraph].text, today)
        if remainder:
            blocks[first_paragraph] = WireBlock("paragraph", remainder)
        else:
            del blocks[first_paragraph]
    where = [i for i, block in enumerate(blocks) if block.type == "paragraph"]
    if not where:
        raise WireFormatError(f"No story paragraphs follow the headline {_clip(headline)!r}.")
    quotes = [
        WireQuote(q.speaker, q.speaker_description, q.text, where[q.paragraph])
        for q in extract_quotes([blocks[i].text for i in where], exclude=bylines)
    ]
    return WireStory(headline, bylines, photo, dateline, blocks, quotes)


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


def _clip(text: str, limit: int = 60) -> str:
    """Shorten quoted copy for an error message."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _headline(line: str) -> str:
    if len(line) > MAX_HEADLINE_CHARS:
        raise WireFormatError(
            f"The first line is {len(line)} characters long; a headline is at most "
            f"{MAX_HEADLINE_CHARS}, so this is not wire copy or its headline is missing."
        )
    if _byline(line) is not None:
        raise WireFormatError(
            f"The copy starts with a byline ({_clip(line)!r}); the headline is missing."
        )
    if _match_dateline(line):
        raise WireFormatError(
            f"The copy starts with a dateline ({_clip(line)!r}); the headline is missing."
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
        if (names := _byline(line)) is not None:
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


def _byline(line: str) -> list[str] | None:
    """ "By A", "By A and B", "By A, B and C" -> the names; None if not a byline."""
    if not line.startswith(("By ", "BY ")) or len(line) > 200:
        return None
    names = re.split(r"\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+", line[3:].strip())
    if all(_is_person_name(name) for name in names):
        return names
    return None


def _is_person_name(name: str) -> bool:
    words = name.split()
    if not 1 <= len(words) <= 6:
        return False
    for word in words:
        if word in PARTICLES:
            continue
        if not (word[0].isupper() and all(c.isalpha() or c in "-'\u2019." for c in word)):
            return False
    return words[0] not in PARTICLES


def _photo(line: str) -> WirePhoto | None:
    """ "Caption. File Photo by KCNA/UPI | License Photo"; the last "Photo by" counts."""
    matches = list(_PHOTO_BY.finditer(line))
    if not matches:
        return None
    found = matches[-1]
    credit, _, tail = line[found.end() :].partition("|")
    credit = credit.strip()
    if not credit or len(credit) > 100 or len(credit.split()) > 12:
        return None
    return WirePhoto(
        caption=line[: found.start()].strip(),
        credit=credit,
        file_photo=found.group("file") is not None,
        licensed=tail.strip().casefold() == "license photo",
    )


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


def _dateline(paragraph: str, today: datetime.date) -> tuple[Dateline | None, str]:
    """Split "PLACE, Mon. D (AGENCY) -- text" into a Dateline and the text."""
    match = _match_dateline(paragraph)
    if match is None:
        return None, paragraph
    month = MONTHS[match.group("month").casefold()]
    day, year = int(match.group("day")), match.group("year")
    try:
        date = (
            _latest_date(month, day, today)
            if year is None
            else datetime.date(int(year), month, day)
        )
    except ValueError:
        raise WireFormatError(
            f"The dateline {_clip(match.group().strip())!r} has no such date."
        ) from None
    place, agency = match.group("place").strip(), match.group("agency").strip()
    return Dateline(place, date, agency), paragraph[match.end() :].strip()


def _match_dateline(text: str) -> re.Match[str] | None:
    """A dateline opening ``text``: a real month and a city in capitals ("SEOUL")."""
    match = _DATELINE.match(text)
    if match is None or match.group("month").casefold() not in MONTHS:
        return None
    city = match.group("place").split(",")[0]
    return match if city.upper() == city and any(c.isalpha() for c in city) else None


def _latest_date(month: int, day: int, today: datetime.date) -> datetime.date:
    """The latest ``month``/``day`` not after ``today`` (Feb. 29 looks back to a leap year)."""
    for year in range(today.year, today.year - 9, -1):
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            continue
        if date <= today:
            return date
    raise ValueError(f"no date {month}/{day}")
