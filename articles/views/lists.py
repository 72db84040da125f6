from itertools import groupby

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.views.generic import ListView, TemplateView

from articles.models import Article, Section
from articles.models.article import UNPINNED
from articles.search.reader import search_published
from articles.visibility import public_tags

LATEST_ON_FRONT = 10
STORIES_PER_RAIL = 4


class StoryListView(ListView):
    paginate_by = 20
    context_object_name = "stories"

    def stories(self):
        return Article.objects.published().with_list_relations().latest_first()


class HomeView(TemplateView):
    """The front: the lead story, the latest headlines, then one rail per section.

    The rails come from one window-function query, so the front costs the same number of
    queries whether there are two sections or twenty.
    """

    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        stories = list(
            Article.objects.published()
            .with_list_relations()
            .front_page_order()[: LATEST_ON_FRONT + 1]
        )
        lead = lead_story(stories)
        sections = list(Section.objects.all())
        return super().get_context_data(
            lead=lead,
            latest=[story for story in stories if story is not lead],
            rails=section_rails(sections, exclude=lead),
            nav_sections=sections,  # the masthead reuses them: no second query
            **kwargs,
        )


def lead_story(stories: list[Article]) -> Article | None:
    """The story editors pinned first; else the newest story with a photo readers may see;
    else the newest story. ``stories`` come in ``front_page_order()``."""
    pinned = next((s for s in stories if getattr(s, "front_position", 0) < UNPINNED), None)
    if pinned is not None:
        return pinned
    with_photo = (s for s in stories if s.lead_photo_id and s.lead_photo.is_publishable)
    return next(with_photo, stories[0] if stories else None)


def section_rails(sections: list[Section], exclude=None) -> list[tuple[Section, list[Article]]]:
    """(section, its newest stories) for each of ``sections`` that has stories, in that order."""
    stories = Article.objects.published().with_list_relations()
    if exclude is not None:
        stories = stories.exclude(pk=exclude.pk)
    by_section = {
        section_id: list(group)
        for section_id, group in groupby(
            stories.latest_in_each_section(STORIES_PER_RAIL), key=lambda s: s.section_id
        )
    }
    return [(section, by_section[section.pk]) for section in sections if section.pk in by_section]


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
        self.tag = get_object_or_404(public_tags(), slug=self.kwargs["slug"])
        return self.stories().tagged(self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class SearchView(TemplateView):
    """``/search/?q=``: published stories matching the words, matches highlighted."""

    template_name = "articles/search.html"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()[:200]
        page = None
        if query:
            paginator = Paginator(search_published(query), self.paginate_by)
            page = paginator.get_page(self.request.GET.get("page"))
        return super().get_context_data(query=query, page_obj=page, **kwargs)
