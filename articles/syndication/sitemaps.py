"""Sitemaps: an index; articles (50,000 a file), sections, tags, authors; a Google News sitemap.

The small sitemaps are ``django.contrib.sitemaps`` subclasses (items, location, lastmod). The
article sitemap is streamed: each file is one id range of ``ArticleSitemap.limit`` stories
(page 1 holds ids 1 to 50,000, page 2 the next 50,000), read as plain rows and written as they
arrive, so one file costs the same time and memory however large the archive, and the index
needs only the highest id, not a COUNT(*). Old pages keep their stories; new ones land on the
last. Every address is built on ``newsroom.site.site_url()`` (the configured address).
"""

from datetime import UTC, timedelta
from io import StringIO
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import CharField, Max, OuterRef
from django.db.models.functions import Cast, Coalesce, Greatest
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.xmlutils import SimplerXMLGenerator

from articles.models import Article, Section
from articles.publishing.addresses import story_paths
from articles.syndication.feed_items import plain_text, site_url, xml_text
from articles.visibility import public_tags
from newsroom.site import site_url as newsroom_site_url
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
    """Stories readers may see, one id range of ``limit`` per file (see the module docstring)."""

    limit = 50_000

    def get_latest_lastmod(self):
        # The content version's time: when anything readers see last changed. It costs no
        # query, where a MAX over 100,000 wide rows costs most of a second on SQLite.
        from articles.edgecache.middleware import current_version

        return current_version().changed_at


def article_sitemap_pages() -> int:
    """How many article sitemap files there are, from the highest story id (an index lookup)."""
    top = Article.objects.aggregate(top=Max("pk"))["top"] or 0
    return max(1, -(-top // ArticleSitemap.limit))


def article_rows(page: int):
    """(path, W3C last change) of the public stories in file ``page``, as the rows arrive.

    The times come as text (``Cast``) and are parsed here: Django's converters for a
    datetime column cost more than everything else a row needs.
    """
    # ``Article.last_changed`` in SQL: publication, or a later change readers saw.
    changed = Greatest("published_at", Coalesce("changed_at", "published_at"))
    low = (page - 1) * ArticleSitemap.limit
    rows = (
        Article.objects.published()
        .filter(pk__gt=low, pk__lte=low + ArticleSitemap.limit)
        .annotate(published=Cast("published_at", CharField()), changed=Cast(changed, CharField()))
        .order_by("pk")
        .values_list("section__slug", "published", "slug", "changed")
    )
    path = story_paths()
    for section, published, slug, changed in rows.iterator(chunk_size=2000):
        yield path(section or "news", published, slug), _w3c_from_text(changed)


def _w3c_from_text(text: str) -> str:
    # "2026-11-30 10:00:00.123456" (SQLite) or "...+00" (PostgreSQL): both UTC.
    return f"{text[:10]}T{text[11:19]}+00:00"


class SectionSitemap(SiteSitemap):
    def items(self):
        return Section.objects.order_by("position", "name")


class TagSitemap(SiteSitemap):
    def items(self):
        return public_tags().order_by("slug")

    def location(self, tag):
        return reverse("articles:tag", kwargs={"slug": tag.slug})


class AuthorSitemap(SiteSitemap):
    def items(self):
        # Asked per person, not "every public story's writers": flat as the archive grows.
        writes = Article.objects.published().filter(bylines__person=OuterRef("pk"))
        return Person.objects.having_any(writes).only("slug").order_by("slug")


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
    return moment.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "+00:00"


def sitemap_files() -> list[tuple[str, object]]:
    """(absolute URL, lastmod or None) for every sitemap file, the news sitemap last."""
    files = []
    for name, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        url = site_url(reverse("feeds:sitemap-section", kwargs={"section": name}))
        lastmod = sitemap.get_latest_lastmod() if name == "articles" else None
        pages = article_sitemap_pages() if name == "articles" else 1
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
    """One sitemap file; the article sitemap is paged with ``?p=`` and streamed."""
    if section not in SITEMAPS:
        raise Http404("No such sitemap.")
    if section == "articles":
        return article_sitemap(request)
    urls = SITEMAPS[section]().get_urls()

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


def article_sitemap(request) -> StreamingHttpResponse:
    """One article sitemap file, written while its rows arrive (constant memory)."""
    try:
        page = int(request.GET.get("p", 1))
    except ValueError:
        raise Http404("No such sitemap page.") from None
    if not 1 <= page <= article_sitemap_pages():
        raise Http404("No such sitemap page.")
    site = xml_text(escape(newsroom_site_url()))

    def lines():
        yield f'<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="{SITEMAP_NS}">'
        chunk = []
        for path, changed in article_rows(page):
            chunk.append(f"<url><loc>{site}{escape(path)}</loc><lastmod>{changed}</lastmod></url>")
            if len(chunk) == 1000:
                yield "".join(chunk)
                chunk = []
        yield "".join(chunk) + "</urlset>"

    response = StreamingHttpResponse(
        (text.encode() for text in lines()), content_type="application/xml; charset=utf-8"
    )
    response.surrogate_keys = {"sitemaps"}
    return response


def news_stories(now=None):
    """Stories for the Google News sitemap: published in the last 48 hours, newest 1,000."""
    now = now or timezone.now()
    return (
        Article.objects.published(at=now)
        .filter(published_at__gte=now - NEWS_WINDOW)
        .latest_first()[:NEWS_LIMIT]
    )


def news_sitemap(request) -> HttpResponse:
    """The Google News sitemap (news:publication, news:publication_date, news:title).

    Written from plain rows with the publication's name and language escaped once: the
    XML generator and a model instance per story took most of its time.
    """
    publication = (
        f"<news:publication><news:name>{escape(plain_text(settings.NEWSROOM_SITE_NAME))}"
        f"</news:name><news:language>{escape(xml_text(settings.NEWSROOM_LANGUAGE))}"
        "</news:language></news:publication>"
    )
    site = xml_text(escape(newsroom_site_url()))
    path = story_paths()
    rows = news_stories().values_list("section__slug", "published_at", "slug", "headline")
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">'
    ]
    for section, published, slug, headline in rows:
        parts.append(
            f"<url><loc>{site}{escape(path(section or 'news', published, slug))}</loc>"
            f"<news:news>{publication}<news:publication_date>{_w3c(published)}"
            f"</news:publication_date><news:title>{escape(plain_text(headline))}</news:title>"
            "</news:news></url>"
        )
    parts.append("</urlset>")
    response = HttpResponse("".join(parts), content_type="application/xml; charset=utf-8")
    response.surrogate_keys = {"sitemaps"}
    return response


def robots_txt(request) -> HttpResponse:
    """robots.txt: keep crawlers out of the desk and name every sitemap by absolute URL."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in settings.NEWSROOM_PRIVATE_PATHS)]
    lines.append("")
    lines.append(f"Sitemap: {site_url(reverse('feeds:sitemap-index'))}")
    lines += [f"Sitemap: {url}" for url, _lastmod in sitemap_files()]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response.surrogate_keys = {"sitemaps"}
    return response
