"""JSON-LD for search engines: a schema.org ``NewsArticle`` built from a story's prefetched rows.

Everything here reads relations that ``ArticleQuerySet.with_page_relations()`` already loaded, so
building the data costs no queries.
"""

import json
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from articles.dateline import dateline_text
from articles.models import Article, Byline, Correction

# Sizes offered to search engines, widest first: the 1200x630 social crop, then the plain widths.
IMAGE_SPECS = ("social", "w1200", "w800")

# The characters that could end a <script> element or start markup, as JSON escapes. The result
# is still exactly the same JSON value (Django's json_script uses the same table).
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def absolute(url: str, site_url: str) -> str:
    """``url`` made absolute against the publication's address (media may already be absolute)."""
    if not url or url.startswith(("http://", "https://", "//")):
        return url
    return f"{site_url.rstrip('/')}/{url.lstrip('/')}"


def writers(article: Article) -> list[Byline]:
    """Bylines that name a writer (not the photographers), falling back to everyone credited."""
    bylines = list(article.bylines.all())
    named = [b for b in bylines if b.role != Byline.Role.PHOTOGRAPHER]
    return named or bylines


def image_urls(photo, site_url: str) -> list[str]:
    """Absolute URLs of the photo's public JPEG renditions, social crop first (never the
    original, which is private; none while the photo is in no public story)."""
    if photo is None or not photo.is_publishable:
        return []
    jpegs = {r.spec: r for r in photo.renditions.all() if r.format == "jpeg" and r.public_file}
    return [absolute(jpegs[spec].url, site_url) for spec in IMAGE_SPECS if spec in jpegs]


def news_article(article: Article, *, site_name: str, site_url: str) -> dict:
    """The schema.org NewsArticle for ``article`` as a plain dict."""
    url = absolute(article.get_absolute_url(), site_url)
    published, modified = article.first_published, article.last_changed
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.headline,
        "datePublished": published.isoformat() if published else None,
        "dateModified": modified.isoformat() if modified else None,
        "author": [
            {
                "@type": "Person",
                "name": b.person.name,
                "url": absolute(b.person.get_absolute_url(), site_url),
            }
            for b in writers(article)
        ],
        "publisher": {"@type": "NewsMediaOrganization", "name": site_name, "url": site_url + "/"},
    }
    if article.dek:
        data["description"] = article.dek
    images = image_urls(article.lead_photo, site_url)
    if images:
        data["image"] = images
    if article.section_id:
        data["articleSection"] = article.section.name
    keywords = [tag.name for tag in article.tags.all()]
    if keywords:
        data["keywords"] = keywords
    if article.has_dateline:
        data["dateline"] = dateline_text(article, with_agency=False)
    corrections = [
        {
            "@type": "CorrectionComment",
            "text": c.note,
            "datePublished": c.created_at.isoformat(),
        }
        for c in article.corrections.all()
        if c.kind == Correction.Kind.CORRECTION
    ]
    if corrections:
        data["correction"] = corrections
    return {key: value for key, value in data.items() if value is not None}


def script_json(data: Any) -> str:
    """``data`` as JSON that is safe inside a <script> element (no ``</script>``, no ``<!--``)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_SCRIPT_ESCAPES)


def script_tag(data: Any) -> SafeString:
    """A ``<script type="application/ld+json">`` element holding ``data``."""
    return mark_safe(f'<script type="application/ld+json">{script_json(data)}</script>')
