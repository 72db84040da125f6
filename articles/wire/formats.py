"""Which reader a piece of wire copy needs, told from its content (never its file name).

``read_stories(text, today=...)`` is the one entry point: NITF and NewsML-G2 by their XML root,
ninjs by a JSON object, anything else as plain text. It returns every story the copy holds (a
NewsML-G2 ``newsMessage`` may hold several) or raises one ``WireFormatError``. No Django.
"""

from __future__ import annotations

import datetime
import re

from articles.wire.markup import local, parse_xml
from articles.wire.newsml import parse_newsml
from articles.wire.ninjs import parse_ninjs
from articles.wire.nitf import read_nitf
from articles.wire.parse import parse_wire
from articles.wire.story import WireFormatError, WireStory

__all__ = ["FORMATS", "detect_format", "read_stories"]

FORMATS = ("text", "nitf", "newsml", "ninjs")
_ROOT = re.compile(r"<([A-Za-z_][\w.\-]*:)?(?P<name>[A-Za-z_][\w.\-]*)")


def detect_format(text: str) -> str:
    """ "nitf", "newsml", "ninjs" or "text", from the first thing in ``text``."""
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith(("{", "[")):
        return "ninjs"  # JSON: a ninjs object, or refused as not one
    if head.startswith("<"):
        root = _ROOT.match(head, _after_prolog(head))
        name = root.group("name") if root else ""
        if name == "nitf":
            return "nitf"
        if name in ("newsItem", "newsMessage"):
            return "newsml"
        if head.startswith(("<?xml", "<!DOCTYPE")):
            raise WireFormatError(
                f"The copy is XML with a <{name or '?'}> root, not NITF or NewsML-G2."
            )
        # Otherwise plain text that happens to open with markup ("<b>Pilots</b> walk out"):
        # it is read, and escaped, as text.
    return "text"


def _after_prolog(text: str) -> int:
    """Where the root element starts: past the XML declaration, comments and a DOCTYPE."""
    at = 0
    for _ in range(100):
        while at < len(text) and text[at].isspace():
            at += 1
        if text.startswith("<?", at):
            end = text.find("?>", at)
            at = end + 2 if end >= 0 else len(text)
        elif text.startswith("<!--", at):
            end = text.find("-->", at)
            at = end + 3 if end >= 0 else len(text)
        elif text.startswith("<!DOCTYPE", at):
            close, subset = text.find(">", at), text.find("[", at)
            if 0 <= subset < close:
                close = text.find(">", max(text.find("]", subset), subset))
            at = close + 1 if close >= 0 else len(text)
        else:
            return at
    return at


def read_stories(text: str, *, today: datetime.date) -> list[WireStory]:
    """Every story in ``text``, whatever its format. Raises ``WireFormatError``."""
    kind = detect_format(text)
    if kind == "ninjs":
        return parse_ninjs(text, today=today)
    if kind == "newsml":
        return parse_newsml(text, today=today)
    if kind == "nitf":
        root = parse_xml(text)
        if local(root.tag) != "nitf":
            raise WireFormatError(f"The XML's root is <{local(root.tag)}>, not <nitf>.")
        return [read_nitf(root, today=today)]
    return [parse_wire(text, today=today)]
