"""What the API says about stories, sections, tags, people and photos.

Every serializer reads rows its view prefetched: a story list costs the same number of queries
for 1 or 100 stories. A story object carries what its page shows; text fields are the stored
text (JSON escapes it), paragraph HTML is the nh3-sanitised inline HTML the page renders.
"""

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.body import render_blocks
from articles.dateline import dateline_text
from articles.models import Article, Correction, Photo, Rendition
from articles.syndication.jsonld import absolute
from articles.views.article import related_headlines


def site_url(path: str) -> str:
    return absolute(path, settings.NEWSROOM_SITE_URL)


def api_url(name: str, **kwargs) -> str:
    return site_url(reverse(f"api:{name}", kwargs=kwargs))


class TrimmableSerializer(serializers.Serializer):
    """Drops the fields a ``fields=`` query left out (the view validates the names)."""

    def __init__(self, *args, only: set[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if only:
            for name in set(self.fields) - only:
                self.fields.pop(name)


# -- small pieces ---------------------------------------------------------------------------


class SectionRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, section) -> str:
        return site_url(section.get_absolute_url())


class SectionSerializer(SectionRefSerializer):
    description = serializers.CharField()
    position = serializers.IntegerField()
    api_url = serializers.SerializerMethodField()

    def get_api_url(self, section) -> str:
        return api_url("section-detail", slug=section.slug)


class TagSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    def get_url(self, tag) -> str:
        return site_url(reverse("articles:tag", kwargs={"slug": tag.slug}))

    def get_api_url(self, tag) -> str:
        return api_url("tag-detail", slug=tag.slug)


class PersonRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    def get_url(self, person) -> str:
        return site_url(person.get_absolute_url())

    def get_api_url(self, person) -> str:
        return api_url("person-detail", slug=person.slug)


class RenditionSerializer(serializers.Serializer):
    spec = serializers.CharField()
    format = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, rendition: Rendition) -> str:
        return site_url(rendition.url)


class PhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    caption = serializers.CharField()
    credit = serializers.CharField()
    credit_line = serializers.CharField()
    file_photo = serializers.BooleanField(source="is_file_photo")
    license_url = serializers.CharField()
    rights = serializers.CharField()
    alt = serializers.CharField(source="alt_text")
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    url = serializers.SerializerMethodField(help_text="The widest public JPEG rendition.")
    renditions = serializers.SerializerMethodField()

    def get_url(self, photo: Photo) -> str:
        return photo_data(photo)["url"]

    @extend_schema_field(RenditionSerializer(many=True))
    def get_renditions(self, photo: Photo) -> list:
        return photo_data(photo)["renditions"]


def photo_data(photo: Photo) -> dict:
    """What ``PhotoSerializer`` says, built directly: a list of stories has many photos, and a
    nested serializer per photo costs more than the rest of the story."""
    return {
        "id": photo.pk,
        "caption": photo.caption,
        "credit": photo.credit,
        "credit_line": photo.credit_line,
        "file_photo": photo.is_file_photo,
        "license_url": photo.license_url,
        "rights": photo.rights,
        "alt": photo.alt_text,
        "width": photo.width,
        "height": photo.height,
        "url": site_url(photo.public_image.url) if photo.public_image else "",
        # Public copies only: the original and unreleased renditions are never published.
        "renditions": [
            {
                "spec": r.spec,
                "format": r.format,
                "width": r.width,
                "height": r.height,
                "url": site_url(r.url),
            }
            for r in photo.renditions.all()
            if r.public_file
        ],
    }


class BylineSerializer(serializers.Serializer):
    role = serializers.CharField()
    label = serializers.CharField(source="get_role_display")
    person = PersonRefSerializer()


class DatelineSerializer(serializers.Serializer):
    place = serializers.CharField(source="dateline_place")
    date = serializers.DateField(source="dateline_date", allow_null=True)
    agency = serializers.CharField(source="dateline_agency")
    text = serializers.SerializerMethodField()

    def get_text(self, article) -> str:
        return dateline_text(article)


class QuoteSerializer(serializers.Serializer):
    text = serializers.CharField()
    speaker = PersonRefSerializer()
    speaker_description = serializers.CharField()


class CorrectionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Correction.Kind.choices)
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class RelatedSerializer(serializers.Serializer):
    headline = serializers.CharField(source="text")
    url = serializers.CharField()


class BodyBlockSerializer(serializers.Serializer):
    """One block in reading order; the fields present depend on ``type``."""

    type = serializers.ChoiceField(choices=["paragraph", "related", "photo", "quote"])
    html = serializers.CharField(required=False, help_text="paragraph: sanitised inline HTML")
    headline = serializers.CharField(required=False, help_text="related: the link text")
    url = serializers.CharField(required=False, help_text="related: where it points")
    story_id = serializers.IntegerField(required=False, allow_null=True)
    photo = PhotoSerializer(required=False)
    text = serializers.CharField(required=False, help_text="quote: the words")
    speaker = serializers.CharField(required=False, help_text="quote: who said them")
    speaker_description = serializers.CharField(required=False)


def body_blocks(article: Article, photos: dict | None) -> list[dict]:
    """The body as the page renders it (same blocks dropped), as plain data."""
    blocks = []
    for block in render_blocks(article, photos):
        if block.type == "paragraph":
            blocks.append({"type": "paragraph", "html": str(block.html)})
        elif block.type == "related":
            link = block.obj
            if link.target_id and link.target.is_live:
                url, story_id = site_url(link.target.get_absolute_url()), link.target_id
            elif link.outside_url:
                url, story_id = link.outside_url, None
            else:
                continue
            blocks.append(
                {"type": "related", "headline": link.text, "url": url, "story_id": story_id}
            )
        elif block.type == "photo":
            blocks.append({"type": "photo", "photo": photo_data(block.obj)})
        elif block.type == "quote":
            blocks.append(
                {
                    "type": "quote",
                    "text": block.obj.text,
                    "speaker": block.obj.speaker.name,
                    "speaker_description": block.obj.speaker_description,
                }
            )
    return blocks


# -- stories --------------------------------------------------------------------------------


class StorySerializer(TrimmableSerializer):
    """A public story with everything its page shows.

    The context may carry ``inline_photos`` and ``suggested`` (from ``StoryParts``) so that a
    list resolves body photos and related boxes in one query each, not one per story.
    """

    id = serializers.IntegerField()
    slug = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The canonical page.")
    api_url = serializers.SerializerMethodField()
    headline = serializers.CharField()
    dek = serializers.CharField()
    summary = serializers.CharField()
    section = SectionRefSerializer(allow_null=True)
    tags = TagSerializer(many=True, source="tags.all")
    bylines = BylineSerializer(many=True, source="bylines.all")
    dateline = serializers.SerializerMethodField()
    first_published_at = serializers.DateTimeField(source="first_published")
    published_at = serializers.DateTimeField()
    updated_at = serializers.SerializerMethodField(
        help_text="The last edit, correction or publication (what updated_since filters on)."
    )
    lead_photo = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    related = serializers.SerializerMethodField(help_text="The page's related-headlines box.")
    quotes = serializers.SerializerMethodField(help_text="Confirmed quotes, in story order.")
    corrections = CorrectionSerializer(many=True, source="corrections.all")

    def get_url(self, article) -> str:
        return site_url(article.get_absolute_url())

    def get_api_url(self, article) -> str:
        return api_url("story-detail", pk=article.pk)

    @extend_schema_field(DatelineSerializer(allow_null=True))
    def get_dateline(self, article):
        return DatelineSerializer(article).data if article.has_dateline else None

    @extend_schema_field(serializers.DateTimeField())
    def get_updated_at(self, article):
        return serializers.DateTimeField().to_representation(article.last_changed)

    @extend_schema_field(PhotoSerializer(allow_null=True))
    def get_lead_photo(self, article):
        photo = article.lead_photo
        return photo_data(photo) if photo and photo.is_publishable else None

    @extend_schema_field(BodyBlockSerializer(many=True))
    def get_body(self, article):
        return body_blocks(article, self.context.get("inline_photos"))

    @extend_schema_field(RelatedSerializer(many=True))
    def get_related(self, article):
        box = related_headlines(article, self.context.get("suggested"))
        return [{"headline": item["text"], "url": site_url(item["url"])} for item in box]

    @extend_schema_field(QuoteSerializer(many=True))
    def get_quotes(self, article):
        confirmed = [q for q in article.quotes.all() if q.confirmed]
        return QuoteSerializer(confirmed, many=True).data


STORY_FIELDS = tuple(StorySerializer().fields)


# -- people and their stories ---------------------------------------------------------------


class StoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    headline = serializers.CharField()
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField()

    def get_url(self, article) -> str:
        return site_url(article.get_absolute_url())

    def get_api_url(self, article) -> str:
        return api_url("story-detail", pk=article.pk)


class PersonSerializer(PersonRefSerializer):
    description = serializers.CharField()
    affiliation = serializers.CharField()
    bio = serializers.CharField()


class PersonQuoteSerializer(serializers.Serializer):
    text = serializers.CharField()
    speaker_description = serializers.CharField()
    story = StoryRefSerializer(source="article")


class PersonDetailSerializer(PersonSerializer):
    """A person, their latest public stories and their latest confirmed quotes in them."""

    stories = serializers.SerializerMethodField()
    stories_api_url = serializers.SerializerMethodField()
    quotes = serializers.SerializerMethodField()

    @extend_schema_field(StoryRefSerializer(many=True))
    def get_stories(self, person):
        return StoryRefSerializer(self.context["stories"], many=True).data

    def get_stories_api_url(self, person) -> str:
        return api_url("story-list") + f"?author={person.slug}"

    @extend_schema_field(PersonQuoteSerializer(many=True))
    def get_quotes(self, person):
        return PersonQuoteSerializer(self.context["quotes"], many=True).data
