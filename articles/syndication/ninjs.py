"""IPTC ninjs 2.2 ("news in JSON") for stories and their tombstones.

We write ninjs **2.2**, the version most agencies and Superdesk exchange; the official schema is
vendored in ``articles/syndication/schemas/`` with its MIT license, and the tests validate every
item against it. One story becomes one ``text`` item: headline, summary, the body as HTML (the
feeds' body, with inline photos, related links and pull quotes), bylines as ``by`` and
``people``, section and tags as ``subjects``, the dateline as ``located``, and its photos as
``picture`` associations with their renditions. A story partners may no longer show becomes a
tombstone: the same ``uri`` with ``pubstatus`` ``withheld`` (unpublished or expired) or
``canceled`` (killed or deleted).

Everything is read from prefetched rows (``with_page_relations()``); ``inline_photos`` is the
one query for the photos in a list of bodies.
"""

from datetime import datetime
from typing import Any

from django.conf import settings

from articles.body import html_to_text
from articles.models import Article, Byline, Photo, Status
from articles.syndication.feed_items import body_html, site_url, story_guid
from articles.syndication.jsonld import writers

NINJS_VERSION = "2.2"
SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json"
STANDARD = {"name": "ninjs", "version": NINJS_VERSION, "schema": SCHEMA_URI}
PROFILE = "newsroom-story"
MIME_TYPES = {"jpeg": "image/jpeg", "webp": "image/webp"}

# Byline roles as ninjs ``people[].rel``.
PEOPLE_REL = {
    Byline.Role.AUTHOR: "author",
    Byline.Role.CONTRIBUTOR: "contributor",
    Byline.Role.PHOTOGRAPHER: "photographer",
    Byline.Role.ADDITIONAL: "additional-reporting",
}


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def by_line(article: Article) -> str:
    """ "By A and B", from the writers' bylines (photographers are credited on the photos)."""
    names = [b.person.name for b in writers(article)]
    if not names:
        return ""
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"By {joined}"


def picture(photo: Photo, name: str) -> dict:
    """A photo as a ninjs ``picture`` association, renditions from prefetched rows."""
    # Public copies only: the original is never published.
    public = photo.public_image
    item: dict[str, Any] = {
        "name": name,
        "uri": site_url(public.url),
        "type": "picture",
        "representationtype": "full",
        "renditions": [
            {
                "name": f"{r.spec}-{r.format}",
                "href": site_url(r.url),
                "contenttype": MIME_TYPES.get(r.format, "image/jpeg"),
                "width": r.width,
                "height": r.height,
            }
            for r in photo.renditions.all()
            if r.public_file
        ],
    }
    descriptions = [
        {"role": "caption", "value": photo.caption},
        {"role": "alt", "value": photo.alt_text},
    ]
    item["descriptions"] = [d for d in descriptions if d["value"]]
    if photo.credit:
        item["by"] = photo.credit
        item["copyrightnotice"] = photo.credit_line
    if photo.license_url:
        item["rightsinfo"] = {"linkedrights": photo.license_url}
    elif photo.rights:
        item["usageterms"] = photo.rights
    return item


def story_item(article: Article, photos: dict[int, Photo] | None = None) -> dict:
    """The ninjs item of a public story (load it with ``with_page_relations()``)."""
    from articles.syndication.feed_items import inline_photos

    photos = inline_photos([article]) if photos is None else photos
    html = body_html(article, photos, lead=None)
    text = html_to_text(html)
    url = site_url(article.get_absolute_url())
    item: dict[str, Any] = {
        "uri": story_guid(article),
        "standard": STANDARD,
        "type": "text",
        "representationtype": "full",
        "profile": PROFILE,
        "version": str(article.version),
        "firstcreated": _time(article.first_published),
        "versioncreated": _time(article.last_changed),
        "pubstatus": "usable",
        "language": settings.NEWSROOM_LANGUAGE,
        "slugline": article.slug,
        "headlines": [{"role": "main", "value": article.headline}],
        "bodies": [
            {
                "role": "main",
                "contenttype": "text/html",
                "value": html,
                "wordcount": len(text.split()),
                "charcount": len(text),
            }
        ],
        "copyrightholder": settings.NEWSROOM_SITE_NAME,
        "altids": [
            {"role": "newsroom-id", "value": str(article.pk)},
            {"role": "canonical-url", "value": url},
        ],
        "trustindicators": [{"title": "Canonical page", "href": url}],
        "people": [
            {
                "name": b.person.name,
                "rel": PEOPLE_REL.get(b.role, b.role),
                "uri": site_url(b.person.get_absolute_url()),
                "literal": b.person.slug,
            }
            for b in article.bylines.all()
        ]
        + [
            {
                "name": q.speaker.name,
                "rel": "quoted",
                "uri": site_url(q.speaker.get_absolute_url()),
                "literal": q.speaker.slug,
            }
            for q in _distinct_speakers(article)
        ],
        "subjects": (
            [
                {
                    "name": article.section.name,
                    "rel": "section",
                    "literal": article.section.slug,
                    "uri": site_url(article.section.get_absolute_url()),
                }
            ]
            if article.section_id
            else []
        )
        + [{"name": tag.name, "rel": "tag", "literal": tag.slug} for tag in article.tags.all()],
    }
    if article.dek:
        item["descriptions"] = [{"role": "summary", "value": article.dek}]
    by = by_line(article)
    if by:
        item["by"] = by
    if article.has_dateline:
        item["located"] = article.dateline_place
    if article.unpublish_at:
        item["expires"] = _time(article.unpublish_at)
    shown = []  # (photo, name): only photos with a public copy leave the newsroom
    if article.lead_photo_id and article.lead_photo.is_publishable:
        shown.append((article.lead_photo, "featureimage"))
    for n, block in enumerate(b for b in article.body or [] if b.get("type") == "photo"):
        if block.get("id") in photos:
            shown.append((photos[block["id"]], f"picture{n + 1}"))
    associations = [picture(photo, name) for photo, name in shown if photo.public_image]
    if associations:
        item["associations"] = associations
    notes = [f"{c.get_kind_display()}: {c.note}" for c in article.corrections.all()]
    if notes:
        item["ednote"] = " ".join(notes)
    return item


def _distinct_speakers(article: Article):
    seen, quotes = set(), []
    for quote in article.quotes.all():
        if quote.confirmed and quote.speaker_id not in seen:
            seen.add(quote.speaker_id)
            quotes.append(quote)
    return quotes


def tombstone(
    story_id: int, guid: str, url: str, pubstatus: str, at: datetime, slug: str = ""
) -> dict:
    """A minimal item telling partners to take a story down (``withheld`` or ``canceled``)."""
    item: dict[str, Any] = {
        "uri": guid,
        "standard": STANDARD,
        "type": "text",
        "representationtype": "partial",
        "profile": PROFILE,
        "pubstatus": pubstatus,
        "versioncreated": _time(at),
        "altids": [
            {"role": "newsroom-id", "value": str(story_id)},
            {"role": "canonical-url", "value": url},
        ],
    }
    if slug:
        item["slugline"] = slug
    return item


def tombstone_of(article: Article, at: datetime) -> dict:
    """The tombstone of a story that still has its row (killed, unpublished or expired)."""
    status = "canceled" if article.status == Status.KILLED else "withheld"
    return tombstone(
        article.pk,
        story_guid(article),
        site_url(article.get_absolute_url()),
        status,
        at,
        article.slug,
    )
