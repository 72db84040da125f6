"""Thin read-only views: each picks rows through ``articles.visibility`` and hands them over.

Every response names what it shows in ``response.surrogate_keys`` (the edge-cache middleware
turns them into ``Surrogate-Key`` headers, validators and page-cache entries; the names are
``articles.edgecache.keys``); keyed requests are ``private`` and never enter a shared cache.
Lists of stories, tags, people and photos change whenever a story joins or leaves the site,
which is what ``front`` names.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from articles.edgecache import keys as K
from articles.models import Quote, Rendition, Section
from articles.syndication import ninjs
from articles.syndication.api.filters import StoryFilter
from articles.syndication.api.pagination import KeysetPagination
from articles.syndication.api.serializers import (
    STORY_FIELDS,
    PersonDetailSerializer,
    PersonSerializer,
    PhotoSerializer,
    SectionSerializer,
    StorySerializer,
    TagSerializer,
)
from articles.syndication.feed_items import inline_photos
from articles.views.article import suggested_stories
from articles.visibility import public_people, public_photos, public_stories, public_tags

PRIVATE = "private, no-store"
PEOPLE_DETAIL_STORIES = 20


def story_keys(stories) -> set[str]:
    """Surrogate keys of everything ``stories`` show, read from prefetched rows (no queries).

    A story object carries its whole text and corrections (``text-<pk>``) and its photos.
    """
    keys = set()
    for story in stories:
        keys.update((K.story(story.pk), K.text(story.pk)))
        keys.update(K.story(pk) for pk in story.suggested_related or [] if isinstance(pk, int))
        cache = getattr(story, "_prefetched_objects_cache", {})
        if story.section_id and "section" in story._state.fields_cache:
            keys.add(K.section(story.section.slug))
        if story.lead_photo_id:
            keys.add(K.photo(story.lead_photo_id))
        keys.update(K.photo(pk) for pk in inline_photo_ids(story))
        keys.update(K.tag(tag.slug) for tag in cache.get("tags", ()))
        keys.update(K.person(b.person.slug) for b in cache.get("bylines", ()))
        keys.update(K.person(q.speaker.slug) for q in cache.get("quotes", ()) if q.confirmed)
        keys.update(K.story(r.target_id) for r in cache.get("related_headlines", ()) if r.target_id)
    return keys


def inline_photo_ids(story) -> set[int]:
    blocks = [block for block in story.body or () if isinstance(block, dict)]
    return {b["id"] for b in blocks if b.get("type") == "photo" and isinstance(b.get("id"), int)}


def page_of(name: str, item):
    return inline_serializer(
        name=name,
        fields={"next": serializers.URLField(allow_null=True), "results": item(many=True)},
    )


FIELDS_PARAMETER = OpenApiParameter(
    "fields",
    OpenApiTypes.STR,
    description=f"Comma-separated story fields to keep, of: {', '.join(STORY_FIELDS)}.",
)
PAGE_PARAMETERS = [
    OpenApiParameter("cursor", OpenApiTypes.STR, description="From the previous page's `next`."),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="1 to 100; 20 by default."),
]


class ApiView(GenericAPIView):
    """Labels the response for caches: surrogate keys, and private when a key was sent."""

    surrogate_keys: set[str] = set()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.surrogate_keys = set(self.surrogate_keys)
        if request.auth is not None or request.META.get("HTTP_AUTHORIZATION"):
            response["Cache-Control"] = PRIVATE
        return response


# -- stories --------------------------------------------------------------------------------


def story_rows():
    """Public stories with everything a story object reads, in a fixed number of queries."""
    return public_stories().with_page_relations()


def requested_fields(request) -> set[str] | None:
    raw = request.query_params.get("fields")
    if not raw:
        return None
    names = {name.strip() for name in raw.split(",") if name.strip()}
    unknown = sorted(names - set(STORY_FIELDS))
    if unknown:
        raise ValidationError(
            {"fields": f"Unknown: {', '.join(unknown)}. Known: {', '.join(STORY_FIELDS)}."}
        )
    return names


def story_context(stories, only=None) -> dict:
    """What story objects read besides their own rows: two queries for any number of stories."""
    context = {}
    if only is None or "body" in only:
        context["inline_photos"] = inline_photos(stories)
    if only is None or "related" in only:
        context["suggested"] = suggested_stories(stories)
    return context


class StoryList(ApiView):
    """Public stories, newest first."""

    filter_backends = [DjangoFilterBackend]
    filterset_class = StoryFilter

    def get_queryset(self):
        return story_rows()

    @extend_schema(
        operation_id="stories_list",
        parameters=[FIELDS_PARAMETER, *PAGE_PARAMETERS],
        responses=page_of("StoryPage", StorySerializer),
    )
    def get(self, request):
        only = requested_fields(request)
        pager = KeysetPagination("published_at")
        stories = pager.page(self.filter_queryset(self.get_queryset()), request)
        context = story_context(stories, only)
        data = StorySerializer(stories, many=True, context=context, only=only).data
        # "front" moves whenever a story joins or leaves the site: a new story empties the
        # copies of this list; a filter adds the list it narrows to.
        self.surrogate_keys = {K.FRONT, *story_keys(stories)}
        named = {"section": K.section, "tag": K.tag, "author": K.person, "source": K.person}
        for name, key in named.items():
            if request.query_params.get(name):
                self.surrogate_keys.add(key(request.query_params[name]))
        return pager.response(data)


class StoryDetail(ApiView):
    """One public story, by id or by slug; anything readers may not see is a 404."""

    lookup = "pk"

    def get_object(self):
        return get_object_or_404(story_rows(), **{self.lookup: self.kwargs[self.lookup]})

    @extend_schema(parameters=[FIELDS_PARAMETER], responses=StorySerializer)
    def get(self, request, **kwargs):
        only = requested_fields(request)
        story = self.get_object()
        context = story_context([story], only)
        self.surrogate_keys = story_keys([story])
        return Response(StorySerializer(story, context=context, only=only).data)


class StoryBySlug(StoryDetail):
    lookup = "slug"


class StoryNinjs(ApiView):
    """One public story as an IPTC ninjs 2.2 item."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        story = get_object_or_404(story_rows(), pk=pk)
        self.surrogate_keys = story_keys([story])
        return Response(ninjs.story_item(story))


# -- sections, tags, people, photos ---------------------------------------------------------


class SectionList(ApiView):
    @extend_schema(operation_id="sections_list", responses=SectionSerializer(many=True))
    def get(self, request):
        sections = list(Section.objects.all())
        self.surrogate_keys = {K.FRONT, *(K.section(s.slug) for s in sections)}
        return Response(SectionSerializer(sections, many=True).data)


class SectionDetail(ApiView):
    @extend_schema(responses=SectionSerializer)
    def get(self, request, slug):
        section = get_object_or_404(Section, slug=slug)
        self.surrogate_keys = {K.section(section.slug)}
        return Response(SectionSerializer(section).data)


class TagList(ApiView):
    """Tags on at least one public story."""

    @extend_schema(
        operation_id="tags_list",
        parameters=PAGE_PARAMETERS,
        responses=page_of("TagPage", TagSerializer),
    )
    def get(self, request):
        pager = KeysetPagination(None, ascending=True)
        tags = pager.page(public_tags(), request)
        self.surrogate_keys = {K.FRONT, *(K.tag(tag.slug) for tag in tags)}
        return pager.response(TagSerializer(tags, many=True).data)


class TagDetail(ApiView):
    @extend_schema(responses=TagSerializer)
    def get(self, request, slug):
        tag = get_object_or_404(public_tags(), slug=slug)
        self.surrogate_keys = {K.tag(tag.slug)}
        return Response(TagSerializer(tag).data)


class PersonList(ApiView):
    """Writers and sources of public stories."""

    @extend_schema(
        operation_id="people_list",
        parameters=PAGE_PARAMETERS,
        responses=page_of("PersonPage", PersonSerializer),
    )
    def get(self, request):
        pager = KeysetPagination(None, ascending=True)
        people = pager.page(public_people(), request)
        self.surrogate_keys = {K.FRONT, *(K.person(person.slug) for person in people)}
        return pager.response(PersonSerializer(people, many=True).data)


class PersonDetail(ApiView):
    """A person with their latest public stories and confirmed quotes."""

    @extend_schema(responses=PersonDetailSerializer)
    def get(self, request, slug):
        person = get_object_or_404(public_people(), slug=slug)
        stories = list(
            public_stories()
            .by(person)
            .select_related("section")
            .latest_first()[:PEOPLE_DETAIL_STORIES]
        )
        quotes = list(
            Quote.objects.filter(
                speaker=person, confirmed=True, article__in=public_stories().values("pk")
            )
            .select_related("article__section")
            .order_by("-article__published_at", "position", "id")[:PEOPLE_DETAIL_STORIES]
        )
        self.surrogate_keys = {
            K.person(person.slug),
            *(K.story(s.pk) for s in stories),
            *(K.story(q.article_id) for q in quotes),
        }
        context = {**self.get_serializer_context(), "stories": stories, "quotes": quotes}
        return Response(PersonDetailSerializer(person, context=context).data)


def photo_rows():
    return public_photos().prefetch_related(
        Prefetch("renditions", queryset=Rendition.objects.order_by("width"))
    )


class PhotoList(ApiView):
    """Lead photos of public stories, with their renditions."""

    @extend_schema(
        operation_id="photos_list",
        parameters=PAGE_PARAMETERS,
        responses=page_of("PhotoPage", PhotoSerializer),
    )
    def get(self, request):
        pager = KeysetPagination(None, ascending=True)
        photos = pager.page(photo_rows(), request)
        # "feeds" moves with every photo edit; "front" when a story (and its photo) comes or goes.
        self.surrogate_keys = {K.FEEDS, K.FRONT, *(K.photo(photo.pk) for photo in photos)}
        return pager.response(PhotoSerializer(photos, many=True).data)


class PhotoDetail(ApiView):
    @extend_schema(responses=PhotoSerializer)
    def get(self, request, pk):
        photo = get_object_or_404(photo_rows(), pk=pk)
        self.surrogate_keys = {K.FEEDS, K.FRONT, K.photo(photo.pk)}
        return Response(PhotoSerializer(photo).data)
