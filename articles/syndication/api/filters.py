"""The story filters a partner needs; the view passes in the public stories to narrow."""

import django_filters
from django.db.models import QuerySet

from articles.models import Byline, Quote
from articles.search.reader import matching_stories, search_terms


class StoryFilter(django_filters.FilterSet):
    section = django_filters.CharFilter(method="in_section", help_text="A section's slug.")
    tag = django_filters.CharFilter(method="tagged", help_text="A tag's slug.")
    author = django_filters.CharFilter(method="by_author", help_text="A person's slug (bylines).")
    source = django_filters.CharFilter(
        method="quoting", help_text="A person's slug (confirmed quotes)."
    )
    published_since = django_filters.IsoDateTimeFilter(
        field_name="published_at", lookup_expr="gte", help_text="ISO 8601, e.g. 2026-11-27T00:00Z."
    )
    updated_since = django_filters.IsoDateTimeFilter(
        method="changed_since",
        help_text="Changed (edited, corrected or published) since; ISO 8601.",
    )
    q = django_filters.CharFilter(method="search", help_text="Words in headline, summary or body.")

    def in_section(self, queryset: QuerySet, name, value: str) -> QuerySet:
        return queryset.filter(section__slug=value)

    def tagged(self, queryset: QuerySet, name, value: str) -> QuerySet:
        return queryset.tagged(value)

    def by_author(self, queryset: QuerySet, name, value: str) -> QuerySet:
        # A subquery, not a join: two bylines by one person must not list a story twice.
        return queryset.filter(
            pk__in=Byline.objects.filter(person__slug=value).values("article_id")
        )

    def quoting(self, queryset: QuerySet, name, value: str) -> QuerySet:
        quotes = Quote.objects.filter(speaker__slug=value, confirmed=True)
        return queryset.filter(pk__in=quotes.values("article_id"))

    def changed_since(self, queryset: QuerySet, name, value) -> QuerySet:
        return queryset.changed_since(value)

    def search(self, queryset: QuerySet, name, value: str) -> QuerySet:
        # The reader search's own matching (full text on PostgreSQL), newest first here.
        terms = search_terms(value[:200])
        if not terms:
            return queryset
        return queryset.filter(pk__in=matching_stories(terms).order_by().values("pk"))
