"""Wire copy: plain-text agency stories parsed into dataclasses. No Django here."""

from articles.wire.parse import (
    Dateline,
    WireBlock,
    WireFormatError,
    WirePhoto,
    WireStory,
    decode_wire,
    parse_wire,
)
from articles.wire.quotes import WireQuote, extract_quotes

__all__ = [
    "Dateline",
    "WireBlock",
    "WireFormatError",
    "WirePhoto",
    "WireQuote",
    "WireStory",
    "decode_wire",
    "extract_quotes",
    "parse_wire",
]
