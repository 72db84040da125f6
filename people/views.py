"""A person's public pages: their stories, and the stories that quote them.

A person has a page only while they appear in a public story (``public.public_record()``):
someone quoted only in a draft has none.
"""

from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from newsroom.paging import KeysetMixin
from people.public import public_record

QUOTED_ON_PERSON_PAGE = 5


class PersonStoriesView(KeysetMixin, ListView):
    paginate_by = 20
    context_object_name = "stories"

    def get_person(self):
        return get_object_or_404(public_record().people(), slug=self.kwargs["slug"])


class PersonView(PersonStoriesView):
    """An author's page: their stories, paginated, and the latest stories quoting them."""

    template_name = "people/person_detail.html"

    def get_queryset(self):
        self.person = self.get_person()
        return public_record().stories_by(self.person)

    def get_context_data(self, **kwargs):
        # One more than shown tells the template whether to link to the full source page.
        quoted = public_record().stories_quoting(self.person)[: QUOTED_ON_PERSON_PAGE + 1]
        quoted_in = list(quoted)
        return super().get_context_data(
            person=self.person,
            quoted_in=quoted_in[:QUOTED_ON_PERSON_PAGE],
            more_quoted=len(quoted_in) > QUOTED_ON_PERSON_PAGE,
            **kwargs,
        )


class SourceView(PersonStoriesView):
    """A source's page: the public stories that quote them (confirmed quotes only)."""

    template_name = "people/source_detail.html"

    def get_queryset(self):
        self.person = self.get_person()
        return public_record().stories_quoting(self.person)

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)
