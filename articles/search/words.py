"""Words in a query, and the portable way to find stories holding them: one definition for the
reader's search and the desk's "Words" filter."""

from django.db.models import Q, QuerySet

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


def containing_words(stories: QuerySet, terms: list[str]) -> QuerySet:
    """``stories`` holding every term (any case) in the headline, the dek or the body text."""
    for term in terms:
        stories = stories.filter(
            Q(headline__icontains=term) | Q(dek__icontains=term) | Q(body_text__icontains=term)
        )
    return stories
