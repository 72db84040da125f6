"""FilterSets for the desk: the view passes its base queryset in, the filters narrow it."""

import django_filters
from taggit.models import Tag

from articles.models import Article, Section, Status
from articles.search.reader import search_terms
from articles.search.words import with_words
from people.models import Person


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

    class Meta:
        model = Article
        fields = ["status", "section", "author", "tag", "changed", "q"]

    def search_words(self, queryset, name, value):
        """Every word must appear in the headline, summary or body text (on the word index)."""
        return with_words(queryset, search_terms(value))
