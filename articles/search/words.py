"""Words in a query, and the stories holding them, found on the database's own index.

One definition for the reader's search, the admin's story list and picker, and the desk's
"Words" filter and story search:

* SQLite: the FTS5 word index (``sqlite_words.py``), the last word matched as a prefix;
* PostgreSQL: the weighted tsvector and its GIN index (``fulltext.py``);
* any other database: substring matching (``containing_words``), which reads every row.

Each reads an index, so finding one story among a million costs what it costs among a
thousand; the caller orders and limits the result.
"""

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from articles.search import fulltext, sqlite_words

MAX_TERMS = 8
MIN_TERM_LENGTH = 2


def search_terms(query: str) -> list[str]:
    """The words of a query worth matching: de-duplicated, at most ``MAX_TERMS``."""
    terms: list[str] = []
    for word in (query or "").split():
        word = word.strip("\"'.,;:!?()[]{}")
        if len(word) >= MIN_TERM_LENGTH and word.lower() not in (t.lower() for t in terms):
            terms.append(word[:100])
    return terms[:MAX_TERMS]


def with_words(stories: QuerySet, terms: list[str]) -> QuerySet:
    """``stories`` whose headline, dek or body text holds every one of ``terms``."""
    if not terms:
        return stories
    if connection.vendor == "sqlite":
        found = RawSQL(sqlite_words.matching_ids_sql(), [sqlite_words.match_expression(terms)])
        return stories.filter(pk__in=found)
    if connection.vendor == "postgresql":
        # The match on its own, so the planner reads it from the GIN index, never by
        # computing the vector of every story while it walks a list in order.
        found = stories.model.objects.alias(document=fulltext.story_vector()).filter(
            document=fulltext.reader_query(terms)
        )
        return stories.filter(pk__in=found.values("pk"))
    return containing_words(stories, terms)


def containing_words(stories: QuerySet, terms: list[str]) -> QuerySet:
    """The portable path: every term (any case) in the headline, the dek or the body text."""
    for term in terms:
        stories = stories.filter(
            Q(headline__icontains=term) | Q(dek__icontains=term) | Q(body_text__icontains=term)
        )
    return stories
