from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import ListView, TemplateView

from articles.models import Article, Section
from articles.models.article import UNPINNED
from articles.search.reader import SearchResults, search_terms
from articles.visibility import public_tags
from newsroom.paging import KeysetMixin

LATEST_ON_FRONT = 10
STORIES_PER_RAIL = 4


class StoryListView(KeysetMixin, ListView):
    paginate_by = 20
    context_object_name = "stories"

    def stories(self):
        return Article.objects.published().with_list_relations().latest_first()


class HomeView(TemplateView):
    """The front: the lead story, the latest headlines, then one rail per section.

    The rails come from one query of one index range per section, and the sections (with
    where each rail starts) from another, so the front costs the same number of queries
    whether there are two sections or twenty, and the same time whatever the archive holds.
    """

    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        public = Article.objects.published(timezone.now())
        stories = list(public.with_list_relations().front_page(LATEST_ON_FRONT + 1))
        lead = lead_story(stories)
        # One more per rail than it shows, in case the lead story is the newest of its section.
        sections = list(Section.objects.with_rail_start(public, STORIES_PER_RAIL + 1))
        return super().get_context_data(
            lead=lead,
            latest=[story for story in stories if story is not lead],
            rails=section_rails(public, sections, exclude=lead),
            nav_sections=sections,  # the masthead reuses them: no second query
            **kwargs,
        )


def lead_story(stories: list[Article]) -> Article | None:
    """The story editors pinned first; else the newest story with a photo readers may see;
    else the newest story. ``stories`` come in ``front_page()`` order."""
    pinned = next((s for s in stories if getattr(s, "front_position", 0) < UNPINNED), None)
    if pinned is not None:
        return pinned
    with_photo = (s for s in stories if s.lead_photo_id and s.lead_photo.is_publishable)
    return next(with_photo, stories[0] if stories else None)


def section_rails(public, sections: list[Section], exclude=None) -> list[tuple[Section, list]]:
    """(section, its newest stories) for each of ``sections`` that has stories, in that order."""
    by_section: dict[int, list[Article]] = {}
    for story in public.with_list_relations().in_rails(sections):
        rail = by_section.setdefault(story.section_id, [])
        if story != exclude and len(rail) < STORIES_PER_RAIL:
            rail.append(story)
    return [(section, by_section[section.pk]) for section in sections if by_section.get(section.pk)]


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
            paginator = Paginator(SearchResults(search_terms(query)), self.paginate_by)
            page = paginator.get_page(self.request.GET.get("page"))
        return super().get_context_data(query=query, page_obj=page, **kwargs)
