"""PostgreSQL full-text search for reader search (articles/search/reader.py picks it on PostgreSQL).

One weighted vector — headline (A) above dek (B) above body text (C) — is both the expression
of the GIN index (migration 0007, PostgreSQL only) and what the query matches, so the planner
uses the index: keep them the same expression by building both with :func:`story_vector`.
Queries use ``websearch_to_tsquery``; results are ordered by ``ts_rank``, then newest first;
``ts_headline`` cuts the snippet, its matches marked with control characters that
:func:`marked_html` turns into ``<mark>`` after escaping the text.
"""

import re

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db.models import QuerySet, Value
from django.db.models.functions import Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CONFIG = "english"
INDEX_NAME = "article_search"
SNIPPET_WORDS = 36
# Characters no story text contains, so the markup is added only after escaping.
MARK_START, MARK_STOP = "\x02", "\x03"
# ts_headline drops anything that parses as an HTML tag; story text is plain, so a literal
# "<em>" is words the reader should see. "<" goes in as this character and comes back after.
LESS_THAN = "\x04"
_MARKED = re.compile(f"{MARK_START}(.*?){MARK_STOP}", re.DOTALL)


def story_vector() -> SearchVector:
    """The weighted document of a story, as indexed."""
    return (
        SearchVector("headline", weight="A", config=CONFIG)
        + SearchVector("dek", weight="B", config=CONFIG)
        + SearchVector("body_text", weight="C", config=CONFIG)
    )


def reader_query(terms: list[str]) -> SearchQuery:
    """Every term must match (as on SQLite); each is quoted so words like 'or' stay words."""
    quoted = " ".join(f'"{term.replace(chr(34), "")}"' for term in terms)
    return SearchQuery(quoted, search_type="websearch", config=CONFIG)


def fulltext_matches(stories: QuerySet, terms: list[str]) -> QuerySet:
    """``stories`` matching ``terms``, best first, each with ``body_headline`` (ts_headline)."""
    query = reader_query(terms)
    vector = story_vector()
    return (
        stories.annotate(document=vector)
        .filter(document=query)
        .annotate(
            rank=SearchRank(vector, query),
            body_headline=SearchHeadline(
                Replace("body_text", Value("<"), Value(LESS_THAN)),
                query,
                config=CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                max_words=SNIPPET_WORDS,
                min_words=SNIPPET_WORDS // 2,
            ),
        )
        .order_by("-rank", "-published_at", "-id")
    )


def marked_html(marked: str) -> SafeString:
    """``ts_headline`` output as safe HTML: the text escaped, the matches in ``<mark>``."""
    parts, last = [], 0
    for match in _MARKED.finditer(marked):
        parts.append(escape(_unmarked(marked[last : match.start()])))
        parts.append(f"<mark>{escape(_unmarked(match.group(1)))}</mark>")
        last = match.end()
    parts.append(escape(_unmarked(marked[last:])))
    return mark_safe("".join(parts))


def _unmarked(text: str) -> str:
    return text.replace(MARK_START, "").replace(MARK_STOP, "").replace(LESS_THAN, "<")


def snippet_html(marked: str, body_text: str) -> SafeString | None:
    """The body excerpt ``ts_headline`` chose, clipped like the portable snippet; None when the
    body holds no match (the caller then shows the dek, as on SQLite)."""
    if MARK_START not in (marked or ""):
        return None
    plain = _unmarked(marked).strip()
    html = marked_html(marked.strip())
    if not body_text.strip().startswith(plain):
        html = mark_safe("\u2026 " + html)
    if not body_text.strip().endswith(plain):
        html = mark_safe(html + " \u2026")
    return html
