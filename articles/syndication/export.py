"""The export object: one story as plain JSON-ready data, for ``export_story`` and ``--json``.

The shape is a contract other tools read (see issue 3)::

    {"slug", "url", "status", "headline", "dek", "section", "tags", "bylines",
     "dateline", "published_at", "lead_photo", "body", "related", "quotes"}

Paragraph text is plain text (the stored HTML with tags removed and entities decoded).
"""

from __future__ import annotations

from articles.body import html_to_text
from articles.models import Article, Photo


def for_export(queryset=None):
    """Stories with everything the export reads, in a fixed number of queries."""
    queryset = queryset if queryset is not None else Article.objects.all()
    return queryset.with_page_relations()


def export_status(article: Article) -> str:
    """The status name, with "scheduled" for a published story whose time is ahead."""
    return "scheduled" if article.is_scheduled else article.status


def export_article(article: Article) -> dict:
    """The export object for one story (load it through ``for_export()`` to avoid N+1)."""
    related = list(article.related_headlines.all())
    photo_ids = [b["id"] for b in article.body or [] if b.get("type") == "photo"]
    photos = Photo.objects.prefetch_related("renditions").in_bulk(photo_ids) if photo_ids else {}
    return {
        "slug": article.slug,
        "url": article.get_absolute_url(),
        "status": export_status(article),
        "headline": article.headline,
        "dek": article.dek,
        "section": article.section.slug if article.section_id else None,
        "tags": sorted(tag.name for tag in article.tags.all()),
        "bylines": [
            {"name": byline.person.name, "role": byline.role} for byline in article.bylines.all()
        ],
        "dateline": (
            {
                "place": article.dateline_place,
                "date": article.dateline_date.isoformat() if article.dateline_date else None,
                "agency": article.dateline_agency,
            }
            if article.has_dateline
            else None
        ),
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "lead_photo": export_photo(article.lead_photo) if article.lead_photo_id else None,
        "body": _body(article, {r.pk: r for r in related}, photos),
        "related": [_related(r) for r in related],
        "quotes": [
            {
                "speaker": quote.speaker.name,
                "speaker_description": quote.speaker_description,
                "text": quote.text,
                "confirmed": quote.confirmed,
            }
            for quote in article.quotes.all()
        ],
    }


def export_photo(photo: Photo) -> dict:
    """A photo's wire metadata and public image address: its largest public JPEG rendition,
    ``None`` while no public story shows it (the original is never published)."""
    widest = photo.public_image
    return {
        "caption": photo.caption,
        "credit": photo.credit,
        "file_photo": photo.is_file_photo,
        "license_url": photo.license_url or None,
        "alt": photo.alt_text,
        "image": widest.url if widest else None,
    }


def _related(row) -> dict:
    url = row.target.get_absolute_url() if row.target_id else (row.outside_url or None)
    return {"headline": row.text, "url": url}


def _body(article: Article, related: dict, photos: dict) -> list[dict]:
    quotes = {q.pk: q for q in article.quotes.all()}
    blocks = []
    for block in article.body or []:
        kind, ref = block.get("type"), block.get("id")
        if kind == "paragraph":
            blocks.append({"type": "paragraph", "text": html_to_text(block.get("html", ""))})
        elif kind == "related" and ref in related:
            blocks.append({"type": "related", **_related(related[ref])})
        elif kind == "photo" and ref in photos:
            photo = photos[ref]
            blocks.append(
                {"type": "photo", "pending": not photo.is_publishable, **export_photo(photo)}
            )
        elif kind == "quote" and ref in quotes:
            blocks.append(
                {"type": "quote", "speaker": quotes[ref].speaker.name, "text": quotes[ref].text}
            )
    return blocks
