"""Typographic quotes and dashes for display: the stored text stays what the wire sent.

``smarten`` works on plain text, ``smarten_html`` on the text between the tags of sanitised
inline HTML (attributes are never touched). Plain Python, no Django.
"""

import html
import re

_TAG = re.compile(r"(<[^>]*>)")
_DOUBLE_OPEN = re.compile(r'(^|[\s(\[{\u2014\u2013-])"')
_SINGLE_OPEN = re.compile(r"(^|[\s(\[{\u2014\u2013\u201c-])'")


def smarten(text: str) -> str:
    """``"Hi," he said -- 'twas`` -> ``“Hi,” he said — ’twas``: curly quotes, dashes, ellipses."""
    if not text:
        return text
    text = text.replace("---", "\u2014").replace("--", "\u2014").replace("...", "\u2026")
    text = _DOUBLE_OPEN.sub("\\1\u201c", text).replace('"', "\u201d")
    # An apostrophe that starts a word ('90s, 'twas) is one too: only quote-like positions open.
    text = _SINGLE_OPEN.sub(_open_single, text).replace("'", "\u2019")
    return text


def _open_single(match: re.Match) -> str:
    return match.group(1) + "\u2018"


def smarten_html(markup: str) -> str:
    """``smarten`` applied to the text of inline HTML; tags and entities stay valid."""
    parts = _TAG.split(markup or "")
    for i in range(0, len(parts), 2):  # even parts are text, odd ones tags
        parts[i] = html.escape(smarten(html.unescape(parts[i])), quote=False)
    return "".join(parts)
