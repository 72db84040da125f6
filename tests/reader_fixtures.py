"""Stories for the reader's-site tests: a full article page with ``n`` of everything."""

import datetime

from articles import body
from articles.models import Correction, Photo, Section
from articles.photos.renditions import ensure_renditions
from tests import factories

HOSTILE = "</script><script>alert(\"x\")</script> & 'quotes' <b>bold</b> — Zürich"


def photo_with_renditions(**fields) -> Photo:
    """A publishable photo with every rendition made (small original keeps the tests quick)."""
    item = Photo(
        caption=fields.pop("caption", "Divers check the harbour wall at dawn."),
        credit=fields.pop("credit", "Ana Ruiz/Newsroom"),
        alt_text=fields.pop("alt_text", "Two divers beside a stone harbour wall."),
        **fields,
    )
    item.image = factories.image_file(size=(1400, 900))
    item.save()
    ensure_renditions(item)
    return item


def rich_story(n: int, section: Section | None = None, headline: str | None = None, **fields):
    """A published story with ``n`` bylines, tags, pull quotes, related headlines (inline and
    boxed), corrections, ``n`` similar stories suggested, plus a lead and an inline photo."""
    section = section or factories.section("World")
    tags = [f"topic-{i}" for i in range(n)]
    # Similar stories sharing the tags, published earlier: the automatic related headlines.
    similar = []
    for i in range(n):
        other = factories.published(f"Similar story {i} for {headline or n}", section=section)
        other.tags.add(*tags)
        similar.append(other)
    targets = [
        factories.published(f"Linked story {i} for {headline or n}", section=section)
        for i in range(n)
    ]

    story = factories.article(
        headline or f"A story with {n} of everything",
        authors=n,
        section=section,
        dek=fields.pop("dek", "The dek sums the story up in a sentence."),
        dateline_place="geneva",
        dateline_agency="UPI",
        dateline_date=datetime.date(2026, 11, 27),
        lead_photo=photo_with_renditions(is_file_photo=True, license_url="https://example.com/lic"),
        paragraphs=(),
        **fields,
    )
    story.tags.add(*tags)
    blocks = [body.paragraph("The first paragraph opens the story.")]
    for i, target in enumerate(targets):
        link = factories.related(story, target=target, position=i)
        blocks.append({"type": "related", "id": link.id})
    for i in range(n):
        quote = factories.quote(story, text=f"Quoted words number {i}.", position=len(blocks))
        blocks.append({"type": "quote", "id": quote.id})
        Correction.objects.create(article=story, note=f"An earlier version erred ({i}).")
    blocks.append({"type": "photo", "id": photo_with_renditions(caption="Inline photo.").id})
    blocks.append(body.paragraph("The last paragraph closes it."))
    story.body = blocks
    story.save()
    story.publish(by=factories.user("Editor"))
    story.refresh_from_db()
    factories.release_photos(story)
    return story
