from django.shortcuts import get_object_or_404
from django.views.generic import ListView
from taggit.models import Tag

from people.models import Person

from ..models import Article, Section


class StoryListView(ListView):
    paginate_by = 20
    context_object_name = "stories"

    def stories(self):
        return Article.objects.published().with_list_relations().latest_first()


class HomeView(StoryListView):
    template_name = "articles/home.html"

    def get_queryset(self):
        return self.stories()


class SectionView(StoryListView):
    template_name = "articles/section.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return self.stories().in_section(self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class TagView(StoryListView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return self.stories().tagged(self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class PersonView(StoryListView):
    template_name = "people/person_detail.html"

    def get_queryset(self):
        self.person = get_object_or_404(Person, slug=self.kwargs["slug"])
        return self.stories().by(self.person)

    def get_context_data(self, **kwargs):
        quoted_in = self.stories().quoting(self.person)[:20]
        return super().get_context_data(person=self.person, quoted_in=quoted_in, **kwargs)
