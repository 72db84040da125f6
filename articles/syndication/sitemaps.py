"""Sitemaps: an index; articles (50,000 a file), sections, tags, authors; a Google News sitemap.

The Sitemap classes are ``django.contrib.sitemaps`` subclasses (items, location, lastmod,
paging). The XML is written here with a streaming XML generator rather than Django's template,
because an article sitemap of 50,000 entries renders several times faster that way, and every
address is built on settings.NEWSROOM_SITE_URL so shared caches never echo a Host header.
"""

from datetime import UTC, timedelta
from io import StringIO
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.xmlutils import SimplerXMLGenerator
from taggit.models import Tag

from articles.models import Article, Byline, Section
from articles.syndication.feed_items import plain_text, site_url, xml_text
from people.models import Person

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


class SiteSitemap(Sitemap):
    """Addresses on the canonical site URL rather than the request's host."""

    def get_protocol(self, protocol=None):
        return urlsplit(site_url("/")).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(site_url("/")).netloc


class ArticleSitemap(SiteSitemap):
    limit = 50_000

    def items(self):
        return (
            Article.objects.published()
            .select_related("section")
            .only("slug", "published_at", "changed_at", "created_at", "section__slug")
            # Oldest first, so new stories land on the last page and earlier pages stay put.
            .order_by("published_at", "id")
        )

    def lastmod(self, article):
        return article.last_changed

    def get_latest_lastmod(self):
        # The content version's time: when anything readers see last changed. It costs no
        # query, where a MAX over 100,000 wide rows costs most of a second on SQLite.
        from articles.edgecache.middleware import current_version

        return current_version().changed_at


class SectionSitemap(SiteSitemap):
    def items(self):
        return Section.objects.order_by("position", "name")


class TagSitemap(SiteSitemap):
    def items(self):
        slugs = Article.objects.published().values("tags__slug")
        return Tag.objects.filter(slug__in=slugs).order_by("slug")

    def location(self, tag):
        return reverse("articles:tag", kwargs={"slug": tag.slug})


class AuthorSitemap(SiteSitemap):
    def items(self):
        writers = Byline.objects.filter(article__in=Article.objects.published()).values("person_id")
        return Person.objects.filter(pk__in=writers).only("slug").order_by("slug")


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


def _xml_response(write) -> HttpResponse:
    out = StringIO()
    handler = SimplerXMLGenerator(out, "utf-8", short_empty_elements=True)
    handler.startDocument()
    write(handler)
    response = HttpResponse(out.getvalue(), content_type="application/xml; charset=utf-8")
    response.surrogate_keys = {"sitemaps"}
    return response


def _w3c(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def sitemap_files() -> list[tuple[str, object]]:
    """(absolute URL, lastmod or None) for every sitemap file, the news sitemap last."""
    files = []
    for name, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        url = site_url(reverse("feeds:sitemap-section", kwargs={"section": name}))
        lastmod = sitemap.get_latest_lastmod() if name == "articles" else None
        pages = sitemap.paginator.num_pages if name == "articles" else 1
        files.append((url, lastmod))
        files += [(f"{url}?p={page}", lastmod) for page in range(2, pages + 1)]
    files.append((site_url(reverse("feeds:news-sitemap")), None))
    return files


def sitemap_index(request) -> HttpResponse:
    """The sitemap index: every sitemap file, with the article sitemap's lastmod."""

    def write(handler):
        handler.startElement("sitemapindex", {"xmlns": SITEMAP_NS})
        for url, lastmod in sitemap_files():
            handler.startElement("sitemap", {})
            handler.addQuickElement("loc", url)
            if lastmod:
                handler.addQuickElement("lastmod", _w3c(lastmod))
            handler.endElement("sitemap")
        handler.endElement("sitemapindex")

    return _xml_response(write)


def sitemap_section(request, section: str) -> HttpResponse:
    """One sitemap file; the article sitemap is paged with ``?p=``."""
    if section not in SITEMAPS:
        raise Http404("No such sitemap.")
    sitemap = SITEMAPS[section]()
    try:
        urls = sitemap.get_urls(page=request.GET.get("p", 1))
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404("No such sitemap page.") from exc

    def write(handler):
        handler.startElement("urlset", {"xmlns": SITEMAP_NS})
        for url in urls:
            handler.startElement("url", {})
            handler.addQuickElement("loc", xml_text(url["location"]))
            if url["lastmod"]:
                handler.addQuickElement("lastmod", _w3c(url["lastmod"]))
            handler.endElement("url")
        handler.endElement("urlset")

    return _xml_response(write)


def news_stories(now=None):
    """Stories for the Google News sitemap: published in the last 48 hours, newest 1,000."""
    now = now or timezone.now()
    return (
        Article.objects.published(at=now)
        .filter(published_at__gte=now - NEWS_WINDOW)
        .select_related("section")
        .only("headline", "slug", "published_at", "created_at", "section__slug")
        .latest_first()[:NEWS_LIMIT]
    )


def news_sitemap(request) -> HttpResponse:
    """The Google News sitemap (news:publication, news:publication_date, news:title)."""
    name = plain_text(settings.NEWSROOM_SITE_NAME)
    language = xml_text(settings.NEWSROOM_LANGUAGE)
    stories = list(news_stories())

    def write(handler):
        handler.startElement("urlset", {"xmlns": SITEMAP_NS, "xmlns:news": NEWS_NS})
        for story in stories:
            handler.startElement("url", {})
            handler.addQuickElement("loc", xml_text(site_url(story.get_absolute_url())))
            handler.startElement("news:news", {})
            handler.startElement("news:publication", {})
            handler.addQuickElement("news:name", name)
            handler.addQuickElement("news:language", language)
            handler.endElement("news:publication")
            handler.addQuickElement("news:publication_date", _w3c(story.published_at))
            handler.addQuickElement("news:title", plain_text(story.headline))
            handler.endElement("news:news")
            handler.endElement("url")
        handler.endElement("urlset")

    return _xml_response(write)


def robots_txt(request) -> HttpResponse:
    """robots.txt: keep crawlers out of the desk and name every sitemap by absolute URL."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in settings.NEWSROOM_PRIVATE_PATHS)]
    lines.append("")
    lines.append(f"Sitemap: {site_url(reverse('feeds:sitemap-index'))}")
    lines += [f"Sitemap: {url}" for url, _lastmod in sitemap_files()]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response.surrogate_keys = {"sitemaps"}
    return response
