"""Reader search over published stories: headline, dek and body text, with highlighted matches.

``search_published()`` is the one entry point the view calls. The stories are found on the
database's word index (``words.with_words``: FTS5 on SQLite); on PostgreSQL, full-text search
also ranks them and cuts the snippet (``fulltext.py``). Highlighting is done here in Python on
the page's few results, escaping first.
"""

import re
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article
from articles.search.fulltext import fulltext_matches, snippet_html
from articles.search.words import search_terms, with_words
from articles.visibility import public_stories

SNIPPET_WORDS = 36
MAX_RESULTS = 200


def matching_stories(terms: list[str]) -> QuerySet:
    """Published stories holding every term in the headline, dek or body, newest first
    (on PostgreSQL: full-text matches, best ranked first; see articles/search/fulltext.py)."""
    if connection.vendor == "postgresql":
        return fulltext_matches(public_stories(), terms)
    return with_words(public_stories(), terms).latest_first()


class SearchResults(Sequence):
    """Stories matching ``terms``, best (or newest) first, at most ``limit``.

    Only their ids are read up front (one query, for the count); the stories a page shows
    are loaded and highlighted when it slices them, so a common word costs no more than a
    rare one.
    """

    def __init__(self, terms: list[str], limit: int = MAX_RESULTS):
        self.terms = terms
        self.matching = matching_stories(terms)
        self.ids = list(self.matching.values_list("pk", flat=True)[:limit]) if terms else []

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._load(self.ids[index])
        return self._load([self.ids[index]])[0]

    def __iter__(self):
        return iter(self._load(self.ids))

    def _load(self, ids: list[int]) -> list[Article]:
        # The snippet is cut from the body text, which lists leave out.
        found = self.matching.filter(pk__in=ids).with_list_relations().defer(None).in_bulk()
        stories = [found[pk] for pk in ids if pk in found]
        for story in stories:
            story.headline_html = highlight(story.headline, self.terms)
            # PostgreSQL's ts_headline excerpt when the body matched; else the portable one.
            story.snippet = snippet_html(
                getattr(story, "body_headline", ""), story.body_text
            ) or highlight(snippet(story.dek, story.body_text, self.terms), self.terms)
        return stories


def search_published(query: str, limit: int = MAX_RESULTS) -> list[Article]:
    """Published stories matching ``query``, each with ``headline_html`` and ``snippet`` set.

    Both attributes are safe HTML: the story text is escaped and matches are wrapped in <mark>.
    """
    return list(SearchResults(search_terms(query), limit))


def _pattern(terms: Iterable[str]) -> re.Pattern:
    alternatives = sorted((re.escape(t) for t in terms), key=len, reverse=True)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def highlight(text: str, terms: list[str]) -> SafeString:
    """``text`` escaped, with every match of ``terms`` wrapped in <mark> (matched before escaping,
    so a term can never land inside an HTML entity)."""
    if not text:
        return mark_safe("")
    if not terms:
        return escape(text)
    parts, last = [], 0
    for match in _pattern(terms).finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))


def snippet(dek: str, body_text: str, terms: list[str], words: int = SNIPPET_WORDS) -> str:
    """A short plain-text excerpt around the first body match; the dek when the body has none."""
    pattern = _pattern(terms)
    match = pattern.search(body_text or "")
    if match is None:
        return dek or _clip(body_text.split(), 0, words)
    before = body_text[: match.start()].split()
    all_words = body_text.split()
    start = max(0, len(before) - words // 3)
    return _clip(all_words, start, words)


def _clip(all_words: list[str], start: int, words: int) -> str:
    text = " ".join(all_words[start : start + words])
    if start > 0:
        text = "\u2026 " + text
    if start + words < len(all_words):
        text += " \u2026"
    return text
