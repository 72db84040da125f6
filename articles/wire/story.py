"""What every wire reader returns: a ``WireStory``, and the steps all formats share.

Each format module (``parse.py`` for plain text, ``nitf.py``, ``newsml.py``, ``ninjs.py``) reads
its own envelope — headline, bylines, dateline, photo, body blocks, the agency's id, version,
status, embargo, urgency and subjects — and hands the pieces to ``assemble()``, which applies
the rules that must not differ between formats: a dateline opening the first paragraph, the
checks that make copy a story, and quote attribution. No Django here.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from articles.wire.attribution import PARTICLES
from articles.wire.quotes import WireQuote, extract_quotes

__all__ = [
    "Dateline",
    "WireBlock",
    "WireFormatError",
    "WirePhoto",
    "WireStatus",
    "WireStory",
    "assemble",
    "byline_names",
    "clip",
    "photo_credit",
]

MAX_HEADLINE_CHARS = 300
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
    r"\((?P<agency>[^()\n]{1,40})\)\s{0,3}(?:(?:--|\u2014|\u2013|-)\s*|$)"
)
_PHOTO_BY = re.compile(r"(?:(?<=\s)|^)(?P<file>File\s+)?Photo\s+by\s+")


class WireFormatError(ValueError):
    """The text is not wire copy; the message says why in one sentence."""


class WireStatus:
    """The agency's word on a story (NewsML-G2 pubStatus, NITF management-status, ninjs
    pubstatus), plus a kill advisory. Anything but ``USABLE`` flags the story on the desk."""

    USABLE = "usable"
    WITHHELD = "withheld"
    CANCELED = "canceled"
    KILLED = "killed"
    ALL = (USABLE, WITHHELD, CANCELED, KILLED)

    @classmethod
    def read(cls, value: str | None) -> str:
        """ "stat:canceled", "Withheld", "cancelled" -> the status; unknown or empty -> usable."""
        word = (value or "").rsplit(":", 1)[-1].strip().lower().replace("cancelled", "canceled")
        if word in ("kill", "killed", "elimination"):
            return cls.KILLED
        return word if word in cls.ALL else cls.USABLE


@dataclass(frozen=True)
class WirePhoto:
    caption: str
    credit: str  # "KCNA/UPI"
    file_photo: bool  # "File Photo by" rather than "Photo by"
    licensed: bool  # the agency marks it "License Photo"


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
    # What the agency's envelope says; plain text carries none of it.
    agency_id: str = ""  # NITF doc-id, NewsML-G2 guid, ninjs uri
    version: int = 0  # the agency's version number; 0 when it sends none
    status: str = WireStatus.USABLE
    embargo: datetime.datetime | None = None  # not to be published before (aware)
    urgency: int | None = None  # 1 most urgent .. 9 least
    subjects: tuple[str, ...] = ()  # subject names, as the agency words them
    ed_note: str = ""  # the agency's note to editors, never published
    format: str = "text"  # "text" | "nitf" | "newsml" | "ninjs"
    extra: dict = field(default_factory=dict, compare=False)  # reader-specific leftovers

    @property
    def paragraphs(self) -> list[str]:
        """The text of the paragraph blocks, in order."""
        return [block.text for block in self.blocks if block.type == "paragraph"]


def clip(text: str, limit: int = 60) -> str:
    """Shorten quoted copy for an error message."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def assemble(
    headline: str,
    bylines: list[str],
    photo: WirePhoto | None,
    dateline: Dateline | None,
    blocks: list[WireBlock],
    *,
    today: datetime.date,
    cited: dict[int, str] | None = None,
    **envelope,
) -> WireStory:
    """The story from a reader's pieces, with the rules every format shares.

    A dateline opening the first paragraph ("ROTTERDAM, March 3 (UPI) -- ...") is split off
    (the envelope's own dateline, when the reader found one, wins). ``cited`` maps a block index
    to the speaker a block quote credits. A story must have a headline and a paragraph, unless
    it is an advisory (withheld, canceled, killed), which may come without a body.
    """
    headline = " ".join(headline.split())
    if not headline:
        raise WireFormatError("The copy has no headline.")
    if len(headline) > MAX_HEADLINE_CHARS:
        raise WireFormatError(
            f"The headline is {len(headline)} characters long; a headline is at most "
            f"{MAX_HEADLINE_CHARS}."
        )
    blocks = [b for b in blocks if b.text and b.text != headline]
    cited = dict(cited or {})
    first = next((i for i, b in enumerate(blocks) if b.type == "paragraph"), None)
    if first is not None:
        found, remainder = split_dateline(blocks[first].text, today)
        if found is not None:
            dateline = dateline or found
            if remainder:
                blocks[first] = WireBlock("paragraph", remainder)
            else:
                del blocks[first]
                cited = {(i - 1 if i > first else i): who for i, who in cited.items() if i != first}
    where = [i for i, block in enumerate(blocks) if block.type == "paragraph"]
    status = envelope.get("status", WireStatus.USABLE)
    if not where and status == WireStatus.USABLE:
        raise WireFormatError(f"No story paragraphs follow the headline {clip(headline)!r}.")
    position = {block: n for n, block in enumerate(where)}
    quotes = [
        WireQuote(q.speaker, q.speaker_description, q.text, where[q.paragraph])
        for q in extract_quotes(
            [blocks[i].text for i in where],
            exclude=bylines,
            cited={position[i]: who for i, who in cited.items() if i in position},
        )
    ]
    return WireStory(headline, bylines, photo, dateline, blocks, quotes, **envelope)


# -- pieces the readers share --------------------------------------------------------------------


def split_dateline(paragraph: str, today: datetime.date) -> tuple[Dateline | None, str]:
    """Split "PLACE, Mon. D (AGENCY) -- text" into a Dateline and the text."""
    match = match_dateline(paragraph)
    if match is None:
        return None, paragraph
    month = MONTHS[match.group("month").casefold()]
    day, year = int(match.group("day")), match.group("year")
    try:
        if year is None:
            date = latest_date(month, day, today)
        else:
            date = datetime.date(int(year), month, day)
    except ValueError:
        raise WireFormatError(
            f"The dateline {clip(match.group().strip())!r} has no such date."
        ) from None
    place, agency = match.group("place").strip(), match.group("agency").strip()
    return Dateline(place, date, agency), paragraph[match.end() :].strip()


def match_dateline(text: str) -> re.Match[str] | None:
    """A dateline opening ``text``: a real month and a city in capitals ("SEOUL")."""
    match = _DATELINE.match(text)
    if match is None or match.group("month").casefold() not in MONTHS:
        return None
    city = match.group("place").split(",")[0]
    return match if city.upper() == city and any(c.isalpha() for c in city) else None


def latest_date(month: int, day: int, today: datetime.date) -> datetime.date:
    """The latest ``month``/``day`` not after ``today`` (Feb. 29 looks back to a leap year)."""
    for year in range(today.year, today.year - 9, -1):
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            continue
        if date <= today:
            return date
    raise ValueError(f"no date {month}/{day}")


def byline_names(line: str) -> list[str] | None:
    """ "By A", "By A and B", "By A, B and C" -> the names; None if not a byline."""
    if not line.startswith(("By ", "BY ")) or len(line) > 200:
        return None
    names = re.split(r"\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+", line[3:].strip())
    if all(is_person_name(name) for name in names):
        return names
    return None


def is_person_name(name: str) -> bool:
    words = name.split()
    if not 1 <= len(words) <= 6:
        return False
    for word in words:
        if word in PARTICLES:
            continue
        if not (word[0].isupper() and all(c.isalpha() or c in "-'\u2019." for c in word)):
            return False
    return words[0] not in PARTICLES


def photo_credit(line: str) -> tuple[str, str, bool, bool] | None:
    """ "Caption. File Photo by KCNA/UPI | License Photo" -> (caption, credit, file photo,
    licensed); the last "Photo by" counts. None if the line holds no credit."""
    matches = list(_PHOTO_BY.finditer(line))
    if not matches:
        return None
    found = matches[-1]
    credit, _, tail = line[found.end() :].partition("|")
    credit = credit.strip()
    if not credit or len(credit) > 100 or len(credit.split()) > 12:
        return None
    return (
        line[: found.start()].strip(),
        credit,
        found.group("file") is not None,
        tail.strip().casefold() == "license photo",
    )


def parse_timestamp(value: str | None) -> datetime.datetime | None:
    """ISO 8601 ("2024-03-04T06:00:00Z") or NITF's compact form ("20240304T060000+0100"), as
    an aware time; None when absent. A time without a zone is taken as UTC."""
    value = (value or "").strip()
    if not value:
        return None
    compact = re.fullmatch(r"(\d{8})(?:T(\d{4,6}))?(Z|[+-]\d{2}:?\d{2})?", value)
    if compact:
        day, clock, zone = compact.groups()
        value = f"{day[:4]}-{day[4:6]}-{day[6:]}T" + (
            f"{(clock or '000000').ljust(6, '0')[:2]}:{(clock or '000000').ljust(6, '0')[2:4]}:"
            f"{(clock or '000000').ljust(6, '0')[4:]}"
        )
        value += zone or ""
    try:
        when = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise WireFormatError(f"{clip(value)!r} is not a date and time.") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    return when


def parse_urgency(value) -> int | None:
    """An urgency or priority from 1 (most) to 9 (least); None when absent or out of range."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= 9 else None


def parse_version(value) -> int:
    """The agency's version number ("3", 3); 0 when absent or not a number."""
    try:
        return max(0, int(str(value).strip()))
    except (TypeError, ValueError):
        return 0
