"""RSS 2.0 and Atom 1.0 feeds: latest stories, each section, tag and author, and "quoted in".

Each feed is a pair of ``django.contrib.syndication`` Feed classes (RSS and Atom) that share one
base. Items are :class:`articles.feed_items.FeedEntry` objects made from the story rows and
their stored pages (``articles.readmodel``), with the linked stories that are live now read in
one query, so the query count does not grow with items.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, rfc3339_date

from articles.edgecache import keys as K
from articles.models import Section
from articles.syndication.feed_items import FeedEntry, feed_entries, plain_text, site_url, xml_text
from articles.visibility import public_people, public_stories, public_tags

MEDIA_NS = "http://search.yahoo.com/mrss/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"


def _clean(value):
    """Strip XML-forbidden characters from strings, lists and tuples (dates pass through)."""
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, list | tuple):
        return type(value)(_clean(v) for v in value)
    return value


class _CleanFeedMixin:
    """Last line of defence: no string reaches the XML writer with a forbidden character."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{k: _clean(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **{k: _clean(v) for k, v in kwargs.items()})


def _add_media(handler, photo) -> None:
    attrs = {"url": photo.url, "medium": "image", "type": photo.mime_type}
    if photo.width and photo.height:
        attrs.update(width=str(photo.width), height=str(photo.height))
    handler.startElement("media:content", attrs)
    if photo.credit:
        handler.addQuickElement("media:credit", photo.credit, {"role": "photographer"})
    description = photo.caption or photo.alt_text
    if description:
        handler.addQuickElement("media:description", description, {"type": "plain"})
    handler.endElement("media:content")


class NewsroomRssFeed(_CleanFeedMixin, Rss201rev2Feed):
    """RSS 2.0 with content:encoded, one dc:creator per byline and Media RSS for the lead photo."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": CONTENT_NS,
            "xmlns:dc": DC_NS,
            "xmlns:media": MEDIA_NS,
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _url in item.get("creators", ()):
            handler.addQuickElement("dc:creator", name)
        if item.get("updateddate"):
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        if item.get("photo"):
            _add_media(handler, item["photo"])


class NewsroomAtomFeed(_CleanFeedMixin, Atom1Feed):
    """Atom 1.0 with full content, one <author> per byline and Media RSS for the lead photo."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, url in item.get("creators", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", url)
            handler.endElement("author")
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        if item.get("photo"):
            _add_media(handler, item["photo"])


class StoryFeed(Feed):
    """The latest published stories; subclasses narrow ``stories()`` and name the feed."""

    feed_type = NewsroomRssFeed
    item_count = 30
    item_guid_is_permalink = False

    # -- what is in the feed --------------------------------------------------------------

    def stories(self, obj):
        return public_stories()

    def items(self, obj) -> list[FeedEntry]:
        articles = self.stories(obj).with_stored_page().latest_first()[: self.item_count]
        return feed_entries(articles)

    # -- the feed -------------------------------------------------------------------------

    def title(self, obj):
        return settings.NEWSROOM_SITE_NAME

    def description(self, obj):
        return f"The latest stories from {settings.NEWSROOM_SITE_NAME}."

    def subtitle(self, obj):
        return self.description(obj)

    def link(self, obj):
        return site_url(reverse("articles:home"))

    def feed_url(self, obj):
        return site_url(reverse(self.url_name, kwargs=self.url_kwargs(obj)))

    url_name = "feeds:latest-rss"

    def url_kwargs(self, obj):
        return {}

    def author_name(self, obj):
        # Atom wants an author on the feed for entries without a byline.
        return settings.NEWSROOM_SITE_NAME

    @property
    def language(self):
        return settings.NEWSROOM_LANGUAGE

    # -- each item ------------------------------------------------------------------------

    def item_title(self, entry):
        return entry.title

    def item_link(self, entry):
        return entry.link

    def item_guid(self, entry):
        return entry.guid

    def item_description(self, entry):
        return entry.summary

    def item_pubdate(self, entry):
        return entry.published

    def item_updateddate(self, entry):
        return entry.updated

    def item_categories(self, entry):
        return entry.categories

    def item_enclosures(self, entry):
        """The lead photo as an RSS <enclosure> (length 0: unknown without asking storage)."""
        if entry.photo is None:
            return []
        return [Enclosure(entry.photo.url, "0", entry.photo.mime_type)]

    def item_extra_kwargs(self, entry):
        return {
            "creators": entry.creators,
            "content_html": entry.content_html,
            "photo": entry.photo,
            "story_pk": entry.pk,
        }

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # The stories in the feed (with their full text), so a change or a correction to one
        # drops the feeds that carry it.
        pks = [item["story_pk"] for item in feed.items]
        request.feed_story_keys = {*map(K.story, pks), *map(K.text, pks)}
        return feed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # Read by articles.edgecache.middleware.PublicCacheMiddleware for Surrogate-Key / Cache-Tag.
        keys = {K.FEEDS, *self.surrogate_keys(kwargs), *getattr(request, "feed_story_keys", ())}
        response.surrogate_keys = keys
        return response

    def surrogate_keys(self, kwargs):
        return {K.FRONT}


class LatestAtomFeed(StoryFeed):
    feed_type = NewsroomAtomFeed
    url_name = "feeds:latest-atom"


class SectionFeed(StoryFeed):
    url_name = "feeds:section-rss"

    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def stories(self, section):
        return public_stories().in_section(section)

    def url_kwargs(self, section):
        return {"slug": section.slug}

    def title(self, section):
        return f"{plain_text(section.name)} — {settings.NEWSROOM_SITE_NAME}"

    def description(self, section):
        return plain_text(section.description) or f"The latest {plain_text(section.name)} stories."

    def link(self, section):
        return site_url(section.get_absolute_url())

    def surrogate_keys(self, kwargs):
        return {K.section(kwargs["slug"])}


class SectionAtomFeed(SectionFeed):
    feed_type = NewsroomAtomFeed
    url_name = "feeds:section-atom"


class TagFeed(StoryFeed):
    url_name = "feeds:tag-rss"

    def get_object(self, request, slug):
        return get_object_or_404(public_tags(), slug=slug)

    def stories(self, tag):
        return public_stories().tagged(tag)

    def url_kwargs(self, tag):
        return {"slug": tag.slug}

    def title(self, tag):
        return f"{plain_text(tag.name)} — {settings.NEWSROOM_SITE_NAME}"

    def description(self, tag):
        return f"Stories tagged {plain_text(tag.name)}."

    def link(self, tag):
        return site_url(reverse("articles:tag", kwargs={"slug": tag.slug}))

    def surrogate_keys(self, kwargs):
        return {K.tag(kwargs["slug"])}


class TagAtomFeed(TagFeed):
    feed_type = NewsroomAtomFeed
    url_name = "feeds:tag-atom"


class PersonFeed(StoryFeed):
    """Stories with a byline by one person."""

    url_name = "feeds:person-rss"

    def get_object(self, request, slug):
        return get_object_or_404(public_people(), slug=slug)

    def stories(self, person):
        return public_stories().by(person)

    def url_kwargs(self, person):
        return {"slug": person.slug}

    def title(self, person):
        return f"{plain_text(person.name)} — {settings.NEWSROOM_SITE_NAME}"

    def description(self, person):
        return f"Stories by {plain_text(person.name)}."

    def link(self, person):
        return site_url(person.get_absolute_url())

    def surrogate_keys(self, kwargs):
        return {K.person(kwargs["slug"])}


class PersonAtomFeed(PersonFeed):
    feed_type = NewsroomAtomFeed
    url_name = "feeds:person-atom"


class QuotedInFeed(PersonFeed):
    """Stories that quote one person (confirmed quotes only)."""

    url_name = "feeds:quoted-rss"

    def stories(self, person):
        return public_stories().quoting(person)

    def title(self, person):
        return f"{plain_text(person.name)}, quoted — {settings.NEWSROOM_SITE_NAME}"

    def description(self, person):
        return f"Stories quoting {plain_text(person.name)}."


class QuotedInAtomFeed(QuotedInFeed):
    feed_type = NewsroomAtomFeed
    url_name = "feeds:quoted-atom"
