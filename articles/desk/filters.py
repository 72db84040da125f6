"""FilterSets for the desk: the view passes its base queryset in, the filters narrow it."""

import django_filters
from taggit.models import Tag

from articles.models import Article, Section, Status, WireSubject
from articles.search.words import search_terms, with_words
from people.models import Person

# The most stories a word filter narrows the desk to: its lists show the newest few anyway.
MAX_WORD_MATCHES = 1000


class DeskFilter(django_filters.FilterSet):
    """Status, section, author, tag, a date range on the last change, and words."""

    status = django_filters.ChoiceFilter(choices=Status.choices)
    section = django_filters.ModelChoiceFilter(queryset=Section.objects.all())
    author = django_filters.ModelChoiceFilter(
        queryset=Person.objects.writers(),
        field_name="bylines__person",
        label="Author",
        distinct=True,
    )
    tag = django_filters.ModelChoiceFilter(
        queryset=Tag.objects.order_by("name"), field_name="tags", label="Tag", distinct=True
    )
    changed = django_filters.DateFromToRangeFilter(
        field_name="updated_at",
        label="Changed between",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    q = django_filters.CharFilter(method="search_words", label="Words")
    # The agency's own priority and subjects (articles/wire/): 1 is the most urgent.
    urgency = django_filters.ChoiceFilter(
        field_name="wire_urgency",
        lookup_expr="lte",
        choices=[(n, f"{n} or more urgent") for n in range(1, 10)],
        label="Agency urgency",
    )
    subject = django_filters.ChoiceFilter(
        field_name="wire_subjects__name",
        choices=lambda: [(name, name) for name in WireSubject.objects.names()],
        label="Agency subject",
        distinct=True,
    )

    class Meta:
        model = Article
        fields = ["status", "section", "author", "tag", "changed", "q", "urgency", "subject"]

    def search_words(self, queryset, name, value):
        """Every word must appear in the headline, summary or body text (on the word index).

        The desk asks "is this story in view?" once per quote and headline it lists; asked
        that way, PostgreSQL would match the words again for every row. So the matching
        stories are read once from the index (the newest ``MAX_WORD_MATCHES``) and named.
        """
        terms = search_terms(value)
        if not terms:
            return queryset
        matching = with_words(Article.objects.all(), terms).order_by("-updated_at")
        return queryset.filter(
            pk__in=list(matching.values_list("pk", flat=True)[:MAX_WORD_MATCHES])
        )
