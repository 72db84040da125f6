"""RSS and Atom feeds: content, validity with hostile text, visibility, constant queries."""

from datetime import timedelta
from xml.etree import ElementTree

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import body
from articles.models import Article, Byline, Correction
from articles.photos.renditions import ensure_renditions
from articles.publishing.steps import AddCorrection
from articles.syndication import feed_items
from tests import factories

pytestmark = pytest.mark.django_db

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "media": "http://search.yahoo.com/mrss/",
}
# PostgreSQL text cannot hold NUL at all (so it never reaches a feed there); SQLite can.
NUL = "" if connection.vendor == "postgresql" else "\x00"
HOSTILE = f"Bad {NUL}\x01\x08\x0b\x0c\x0e\x1f ]]> & <script>alert(1)</script> &amp; \ufffe end"


def feed_urls(story, speaker):
    """Every feed that should list ``story`` (the quoted feeds through ``speaker``)."""
    section, tag, author = story.section.slug, story.tags.first().slug, story.bylines.first()
    urls = [reverse("feeds:latest-rss"), reverse("feeds:latest-atom")]
    for kind, slug in (("section", section), ("tag", tag), ("person", author.person.slug)):
        urls += [reverse(f"feeds:{kind}-{fmt}", kwargs={"slug": slug}) for fmt in ("rss", "atom")]
    urls += [
        reverse(f"feeds:quoted-{fmt}", kwargs={"slug": speaker.slug}) for fmt in ("rss", "atom")
    ]
    return urls


def parse(response):
    """Strictly parse a feed (any well-formedness error raises) and check feedparser is happy."""
    assert response.status_code == 200, response.content[:500]
    root = ElementTree.fromstring(response.content)
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return root, parsed


@pytest.fixture
def story(db):
    """A live story with every part a feed prints: photo, two bylines, tags, blocks, quote."""
    lead = factories.photo(caption="Harbour cranes at dusk.", credit="Wire Agency/J. Doe")
    ensure_renditions(lead)
    inline = factories.photo(caption="A second picture.", alt_text="Crates on a quay.")
    ensure_renditions(inline)
    story = factories.article(
        "Port reopens after strike",
        authors=2,
        dek="Dockworkers return after a week.",
        lead_photo=lead,
        paragraphs=("First paragraph.", "Second paragraph."),
    )
    story.tags.add("Shipping", "Labour")
    target = factories.published(
        "An earlier story about the port", section=factories.section("Archive")
    )
    link = factories.related(story, target=target)
    speaker = factories.person("Ada Quayside")
    pull = factories.quote(story, speaker=speaker, text="We are back to work.")
    story.body = story.body + [
        {"type": "related", "id": link.id},
        {"type": "photo", "id": inline.id},
        {"type": "quote", "id": pull.id},
    ]
    story.save()
    story.publish(by=factories.user("Editor"), at=timezone.now() - timedelta(hours=2))
    story.refresh_from_db()
    factories.release_photos(story)
    story.speaker = speaker
    return story


def rss_item(root, story):
    for item in root.iter("item"):
        if item.findtext("link", "").endswith(story.get_absolute_url()):
            return item
    raise AssertionError(f"story {story.pk} not in the feed")


def atom_entry(root, story):
    for entry in root.iter(f"{{{NS['atom']}}}entry"):
        link = entry.find("atom:link", NS).get("href")
        if link.endswith(story.get_absolute_url()):
            return entry
    raise AssertionError(f"story {story.pk} not in the feed")


def test_every_feed_lists_the_story_and_is_valid(client, story):
    urls = feed_urls(story, story.speaker)
    assert len(urls) == 10
    for url in urls:
        root, parsed = parse(client.get(url))
        assert "Port reopens after strike" in [e.title for e in parsed.entries], url
        if url.endswith("/rss/"):
            rss_item(root, story)
        else:
            atom_entry(root, story)


def test_rss_item_carries_everything(client, story):
    root, parsed = parse(client.get(reverse("feeds:section-rss", kwargs={"slug": "world"})))
    item = rss_item(root, story)
    assert item.findtext("title") == "Port reopens after strike"
    assert item.findtext("link") == f"http://127.0.0.1:8000{story.get_absolute_url()}"
    assert item.find("guid").get("isPermaLink") == "false"
    assert item.findtext("description") == "Dockworkers return after a week."
    creators = [c.text for c in item.findall("dc:creator", NS)]
    assert creators == [b.person.name for b in story.bylines.order_by("position")]
    assert sorted(c.text for c in item.findall("category")) == ["Labour", "Shipping", "World"]
    assert item.findtext("pubDate")
    html = item.findtext("content:encoded", namespaces=NS)
    assert html.index("<img") < html.index("<p>First paragraph.</p>")
    assert "<p>Second paragraph.</p>" in html
    assert "An earlier story about the port</a>" in html
    assert "Crates on a quay." in html  # the inline photo's alt text
    assert "<blockquote><p>We are back to work.</p><footer>Ada Quayside</footer>" in html
    media = item.find("media:content", NS)
    assert media.get("url").endswith(".jpg") and "w1200" in media.get("url")
    assert media.get("width") == "1200" and media.get("medium") == "image"
    assert media.findtext("media:credit", namespaces=NS) == "Photo by Wire Agency/J. Doe"
    assert media.findtext("media:description", namespaces=NS) == "Harbour cranes at dusk."
    entry = parsed.entries[0]
    assert "<p>Second paragraph.</p>" in entry.content[0].value
    assert entry.media_content[0]["url"] == media.get("url")


def test_atom_entry_carries_everything(client, story):
    root, parsed = parse(client.get(reverse("feeds:section-atom", kwargs={"slug": "world"})))
    entry = atom_entry(root, story)
    names = [a.findtext("atom:name", namespaces=NS) for a in entry.findall("atom:author", NS)]
    assert names == [b.person.name for b in story.bylines.order_by("position")]
    assert entry.find("atom:content", NS).get("type") == "html"
    assert "<p>First paragraph.</p>" in entry.findtext("atom:content", namespaces=NS)
    assert entry.findtext("atom:summary", namespaces=NS) == "Dockworkers return after a week."
    assert entry.findtext("atom:published", namespaces=NS)
    assert {c.get("term") for c in entry.findall("atom:category", NS)} == {
        "World",
        "Shipping",
        "Labour",
    }
    assert entry.find("media:content", NS).find("media:credit", NS) is not None
    assert parsed.entries[0].id == entry.findtext("atom:id", namespaces=NS)


def test_guid_is_stable_when_headline_and_slug_change(client, story):
    url = reverse("feeds:section-atom", kwargs={"slug": "world"})
    before = parse(client.get(url))[1].entries[0].id
    Article.objects.filter(pk=story.pk).update(headline="Port reopens", slug="port-reopens")
    after = parse(client.get(url))[1].entries[0]
    assert after.title == "Port reopens"
    assert after.id == before
    assert before.startswith("tag:127.0.0.1,") and before.endswith(f":story/{story.pk}")


def test_correction_changes_updated(client, story):
    url = reverse("feeds:section-atom", kwargs={"slug": "world"})
    entry = parse(client.get(url))[1].entries[0]
    AddCorrection(
        story, factories.user("Editor"), note="An earlier version misspelt the port."
    ).execute()
    corrected = parse(client.get(url))[1].entries[0]
    assert corrected.updated_parsed > entry.updated_parsed
    assert corrected.published_parsed == entry.published_parsed
    rss = parse(client.get(reverse("feeds:latest-rss")))[0]
    assert rss_item(rss, story).findtext("atom:updated", namespaces=NS) is not None


def make_hostile(story):
    Article.objects.filter(pk=story.pk).update(
        headline=HOSTILE,
        dek=HOSTILE,
        body=[
            {"type": "paragraph", "html": HOSTILE},
            {"type": "paragraph", "html": '<a href="javascript:alert(1)" onclick="x()">x</a>'},
        ],
    )
    photo = story.lead_photo
    photo.caption, photo.credit, photo.alt_text = HOSTILE, HOSTILE[:200], HOSTILE
    photo.save()
    person = story.bylines.first().person
    type(person).objects.filter(pk=person.pk).update(name=HOSTILE)
    story.section.name = "Sec \x07tion <b>& ]]>"
    story.section.save()
    story.tags.add("tag \x1f<script>& ]]>")
    story.speaker.name = HOSTILE
    story.speaker.save()


def test_hostile_text_never_breaks_any_feed(client, story):
    make_hostile(story)
    for url in feed_urls(story, story.speaker):
        root, parsed = parse(client.get(url))
        entry = next(e for e in parsed.entries if e.title.startswith("Bad"))
        assert "<script" not in entry.title and "\x00" not in entry.title
        assert "]]>" in entry.title and "&" in entry.title
        html = entry.content[0].value
        assert "<script" not in html and "javascript:" not in html and "onclick" not in html
        assert "&lt;script&gt;" not in html or "<script" not in html
        assert not any(ch in html for ch in "\x00\x01\x08\x0b\x0c\x0e\x1f\ufffe")
        raw = ElementTree.tostring(root, encoding="unicode")
        assert "<script" not in raw


@pytest.mark.parametrize("field", ["headline", "dek", "caption", "credit", "name", "tag"])
def test_each_hostile_field_alone_keeps_the_feed_valid(client, story, field):
    if field in ("headline", "dek"):
        Article.objects.filter(pk=story.pk).update(**{field: "\x0c]]>&<script>x</script>"})
    elif field in ("caption", "credit"):
        type(story.lead_photo).objects.filter(pk=story.lead_photo_id).update(
            **{field: "\x0c]]>&<script>x</script>"}
        )
    elif field == "name":
        Byline.objects.filter(article=story).first().person.__class__.objects.filter(
            bylines__article=story
        ).update(name="\x0c]]>&<script>x</script>")
    else:
        story.tags.add("\x0c]]>&<script>x</script>")
    for url in (reverse("feeds:latest-rss"), reverse("feeds:latest-atom")):
        parse(client.get(url))


def test_one_bad_story_never_takes_the_feed_down(client, story, monkeypatch):
    good = factories.published("A story that renders")
    real = feed_items.body_segments

    def broken(article, photos, lead):
        if article.pk == story.pk:
            raise ValueError("corrupt body")
        return real(article, photos, lead)

    monkeypatch.setattr(feed_items, "body_segments", broken)
    for url in (reverse("feeds:latest-rss"), reverse("feeds:latest-atom")):
        parsed = parse(client.get(url))[1]
        titles = [e.title for e in parsed.entries]
        assert good.headline in titles and story.headline not in titles


def test_only_published_stories_appear(client, editor):
    live = factories.published("Live story")
    factories.article("Draft story")
    scheduled = factories.article("Scheduled story")
    scheduled.publish(by=editor, at=timezone.now() + timedelta(hours=1))
    gone = factories.published("Unpublished story")
    gone.unpublish(by=editor)
    killed = factories.published("Killed story")
    killed.kill(by=editor, note="Legal")
    expired = factories.article("Expired story", unpublish_at=timezone.now() + timedelta(hours=1))
    expired.publish(by=editor, at=timezone.now() - timedelta(hours=3))
    Article.objects.filter(pk=expired.pk).update(unpublish_at=timezone.now() - timedelta(hours=1))
    for url in (
        reverse("feeds:latest-rss"),
        reverse("feeds:latest-atom"),
        reverse("feeds:section-rss", kwargs={"slug": live.section.slug}),
    ):
        assert [e.title for e in parse(client.get(url))[1].entries] == ["Live story"]


def test_scheduled_story_appears_at_its_time(client, editor, monkeypatch):
    story = factories.article("Embargoed story")
    at = timezone.now() + timedelta(minutes=30)
    story.publish(by=editor, at=at)
    assert parse(client.get(reverse("feeds:latest-rss")))[1].entries == []
    later = at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    entries = parse(client.get(reverse("feeds:latest-rss")))[1].entries
    assert [e.title for e in entries] == ["Embargoed story"]


def test_unknown_feed_objects_are_404(client, db):
    for name in ("section-rss", "tag-atom", "person-rss", "quoted-atom"):
        assert client.get(reverse(f"feeds:{name}", kwargs={"slug": "nope"})).status_code == 404


def feed_photos():
    """A lead and an inline photo with renditions, shared by the stories of one test (photos
    are reusable; making renditions 60 times would only slow the test down)."""
    made = []
    for caption in ("Shared lead", "Shared inline"):
        photo = factories.photo(with_file=False, caption=caption)
        photo.image = factories.image_file(size=(64, 40))
        photo.save()
        ensure_renditions(photo)
        made.append(photo)
    return made


def rich_story(n, section, tags, editor, photos):
    lead, inline = photos
    story = factories.article(f"Story {n}", authors=2, section=section, lead_photo=lead)
    story.tags.add(*tags)
    link = factories.related(story, headline="Outside", url="https://example.org/")
    pull = factories.quote(story)
    story.body = story.body + [
        {"type": "related", "id": link.id},
        {"type": "photo", "id": inline.id},
        {"type": "quote", "id": pull.id},
    ]
    story.save()
    story.publish(by=editor, at=timezone.now() - timedelta(minutes=n + 1))
    factories.release_photos(story)
    Correction.objects.create(article=story, note="Fixed a name.")
    return story


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["latest-rss", "latest-atom", "section-atom", "tag-rss"])
def test_query_count_does_not_grow_with_items(client, editor, name, django_assert_max_num_queries):
    section = factories.section("Business")
    kwargs = {"slug": "business"} if name.startswith(("section", "tag")) else {}
    url = reverse(f"feeds:{name}", kwargs=kwargs)
    photos = feed_photos()
    for n in range(2):
        rich_story(n, section, ["business"], editor, photos)
    with_two = count_queries(client, url)
    for n in range(2, 30):
        rich_story(n, section, ["business"], editor, photos)
    assert len(parse(client.get(url))[1].entries) == 30
    with django_assert_max_num_queries(with_two):
        client.get(url)
    assert with_two <= 12


def test_quoted_in_lists_only_confirmed_quotes(client, story):
    other = factories.published("Unconfirmed quote story")
    factories.quote(other, speaker=story.speaker, confirmed=False)
    url = reverse("feeds:quoted-rss", kwargs={"slug": story.speaker.slug})
    assert [e.title for e in parse(client.get(url))[1].entries] == [story.headline]


def test_plain_text_helpers():
    assert feed_items.xml_text("a\x00b\x1fc\ufffe") == "abc"
    assert feed_items.plain_text("<b>Bold</b> &amp; \x0bplain") == "Bold & plain"
    assert body.sanitise_inline_html("<script>x</script>ok") == "ok"


def test_pages_announce_their_feeds(client, story):
    """Readers' software finds the feeds from the HTML pages (<link rel="alternate">)."""
    pages = {
        "/": reverse("feeds:latest-rss"),
        story.section.get_absolute_url(): reverse(
            "feeds:section-atom", kwargs={"slug": story.section.slug}
        ),
        story.bylines.first().person.get_absolute_url(): reverse(
            "feeds:person-rss", kwargs={"slug": story.bylines.first().person.slug}
        ),
    }
    for page, feed in pages.items():
        html = client.get(page).content.decode()
        assert 'rel="alternate"' in html and f'href="{feed}"' in html, page


def test_feed_titles_never_decode_to_markup(client, editor):
    """Issue 11, defect 12: text typed as an escaped tag must not become a tag in any feed."""
    typed = "&lt;img src=x onerror=alert(1)&gt; Harbour news"
    story = factories.published(typed, by=editor)
    for name in ("feeds:latest-rss", "feeds:latest-atom", "feeds:news-sitemap"):
        xml_text = client.get(reverse(name)).content.decode()
        decoded = ElementTree.fromstring(xml_text)
        titles = [el.text or "" for el in decoded.iter() if el.tag.endswith("title")]
        assert any("Harbour news" in t for t in titles), name
        assert not any("<img" in t for t in titles), name
    assert story.headline == typed  # the page still shows exactly what was typed
