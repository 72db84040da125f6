"""Template helpers for the reader's site: pictures, datelines, bylines, JSON-LD, share links.

Every helper reads rows the view already prefetched; none of them queries or touches image files.
"""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django import template
from django.conf import settings

from articles import times
from articles.dateline import dateline_text
from articles.models import Byline
from articles.syndication import jsonld
from articles.typography import smarten
from newsroom.site import site_url

register = template.Library()

# Plain-width renditions offered in srcset, and the one used as the <img src> fallback.
WIDTH_SPECS = ("w480", "w800", "w1200")
DEFAULT_SPEC = "w800"
# Default layout hints: full column width up to the 46rem (736px) text column.
STORY_SIZES = "(min-width: 50rem) 46rem, 100vw"


@dataclass(frozen=True)
class Picture:
    """What a <picture> element needs, worked out from a photo's prefetched renditions."""

    src: str
    width: int
    height: int
    alt: str
    jpeg_srcset: str = ""
    webp_srcset: str = ""


def _srcset(renditions, address) -> str:
    seen, parts = set(), []
    for r in sorted(renditions, key=lambda r: r.width):
        if r.width not in seen:  # small originals give w800 and w1200 the same width
            seen.add(r.width)
            parts.append(f"{address(r)} {r.width}w")
    return ", ".join(parts)


def picture_for(photo, specs=WIDTH_SPECS, default=DEFAULT_SPEC, signed=False) -> Picture | None:
    """A Picture for ``photo``, or None when readers may not see it.

    Readers get the public copies of renditions, which exist only while a public story uses the
    photo; the original is never shown. ``signed`` (previews for editors and share links) uses
    short-lived signed addresses of the private renditions instead.
    """
    if photo is None or not photo.is_publishable:
        return None

    def address(rendition) -> str:
        return rendition.private_url if signed else rendition.url

    chosen = [r for r in photo.renditions.all() if r.spec in specs and address(r)]
    jpegs = [r for r in chosen if r.format == "jpeg"]
    webps = [r for r in chosen if r.format == "webp"]
    if not jpegs:
        return None
    fallback = next((r for r in jpegs if r.spec == default), max(jpegs, key=lambda r: r.width))
    return Picture(
        src=address(fallback),
        width=fallback.width,
        height=fallback.height,
        alt=photo.alt_text,
        jpeg_srcset=_srcset(jpegs, address),
        webp_srcset=_srcset(webps, address),
    )


@register.inclusion_tag("articles/includes/picture.html", takes_context=True)
def picture(context, photo, sizes=STORY_SIZES, lazy=True, thumb=False, css_class=""):
    """``<picture>`` with a WebP source, JPEG fallback, width/height, and lazy loading by default.

    ``thumb`` uses the 320x180 crop (story lists). Pass ``lazy=False`` above the fold. On the
    desk's previews (``preview`` in the context) the addresses are signed private ones.
    """
    specs, default = (("thumb",), "thumb") if thumb else (WIDTH_SPECS, DEFAULT_SPEC)
    return {
        "picture": picture_for(photo, specs, default, signed=bool(context.get("preview"))),
        "sizes": sizes,
        "lazy": lazy,
        "css_class": css_class,
    }


@register.filter
def dateline(article) -> str:
    """``GENEVA, Nov. 27 (UPI) --`` (plain text; autoescaped by the template)."""
    return dateline_text(article)


@register.simple_tag
def byline_groups(article) -> list[tuple[str, list]]:
    """Bylines grouped for display: ("By", [people]), ("Additional reporting by", [...]), ...

    Authors and contributors share the "By" line, in the desk's order.
    """
    labels = {
        Byline.Role.AUTHOR: "By",
        Byline.Role.CONTRIBUTOR: "By",
        Byline.Role.PHOTOGRAPHER: "Photos by",
        Byline.Role.ADDITIONAL: "Additional reporting by",
    }
    groups: dict[str, list] = {}
    for byline in article.bylines.all():
        groups.setdefault(labels.get(byline.role, "By"), []).append(byline.person)
    return list(groups.items())


@register.filter
def typographic(text) -> str:
    """Curly quotes and dashes for display (the result is escaped like any text)."""
    return smarten(str(text)) if text else ""


@register.filter
def machine_time(value) -> str:
    """A ``<time datetime>`` value: ISO 8601 to the second, as HTML requires."""
    return times.machine_time(value)


@register.simple_tag
def news_article_jsonld(article):
    """The article's JSON-LD ``<script>`` element, safe against any text in the story."""
    data = jsonld.news_article(
        article,
        site_name=settings.NEWSROOM_SITE_NAME,
        site_url=site_url(),
    )
    return jsonld.script_tag(data)


@register.filter
def absolute_url(url: str) -> str:
    """A site path as a full address on the publication's domain (canonical, og:url, og:image)."""
    return jsonld.absolute(url, site_url())


@register.simple_tag
def social_image(photo):
    """The photo's public 1200x630 JPEG rendition, or None when there is none."""
    if photo is None or not photo.is_publishable:
        return None
    return next(
        (
            r
            for r in photo.renditions.all()
            if r.spec == "social" and r.format == "jpeg" and r.public_file
        ),
        None,
    )


@register.simple_tag
def share_links(url: str, title: str) -> list[tuple[str, str]]:
    """Plain share links (no scripts, no trackers): (network name, address)."""
    return [
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ("X", "https://x.com/intent/post?" + urlencode({"url": url, "text": title})),
        ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})),
        ("Email", "mailto:?" + urlencode({"subject": title, "body": url}, quote_via=quote)),
    ]


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """The current address with ``page`` set to ``number``, keeping other parameters (``q``)."""
    params = context["request"].GET.copy()
    params["page"] = number
    return "?" + params.urlencode()
