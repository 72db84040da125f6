"""Wire copy: agency stories (plain text, NITF, NewsML-G2, ninjs) read into dataclasses.

The readers and the quote attribution are plain Python (no Django); ``importer.py`` and the
inbox (``inbox.py``) bring the stories into the newsroom.
"""

from articles.wire.formats import FORMATS, detect_format, read_stories
from articles.wire.parse import decode_wire, parse_wire
from articles.wire.quotes import WireQuote, extract_quotes
from articles.wire.story import (
    Dateline,
    WireBlock,
    WireFormatError,
    WirePhoto,
    WireStatus,
    WireStory,
)

__all__ = [
    "FORMATS",
    "Dateline",
    "WireBlock",
    "WireFormatError",
    "WirePhoto",
    "WireQuote",
    "WireStatus",
    "WireStory",
    "decode_wire",
    "detect_format",
    "extract_quotes",
    "parse_wire",
    "read_stories",
]
