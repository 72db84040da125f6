"""The XSS corpus: every payload, through every editor- and wire-supplied field, into every
output a reader, a feed reader, a search engine or an editor gets.

A payload is harmless when it is text: no element it makes carries an event handler, no
script runs it, no link or source takes a ``javascript:``/``data:`` URL, and JSON-LD stays
JSON that cannot end its ``<script>``. Each output is checked structurally (parsed, not grepped),
against the same page rendered with harmless text as the baseline.
"""

import json
import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from articles.models import Article, Correction, RelatedHeadline, ShareLink
from articles.wire.importer import ImportWireStory
from tests import factories
from tests.support import response_body

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "'><iframe src=javascript:alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" JaVaScRiPt:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "&lt;img src=x onerror=alert(1)&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "</script><script>alert(1)</script>",
    "<!--<script>alert(1)//-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<svg><style><img src=x onerror="alert(1)"></style></svg>',
    "<a href='vbscript:alert(1)'>x</a>",
    "\u2028\u2029<script>alert(1)</script>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<base href='javascript:alert(1)//'>",
    "<meta http-equiv='refresh' content='0;url=javascript:alert(1)'>",
]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
OUR_SCRIPT_TYPES = {"application/ld+json", "application/json", "importmap"}


class Dangers(HTMLParser):
    """What in an HTML document could run script."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script_type = None
        self._script_text = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
            if name in URL_ATTRIBUTES and squeezed.startswith(BAD_SCHEMES):
                self.found.append(f"<{tag} {name}={value[:30]}>")
            if name == "style" and "javascript:" in squeezed:
                self.found.append(f"<{tag} style=javascript>")
        if tag in ("iframe", "object", "embed", "base", "frame", "frameset"):
            self.found.append(f"<{tag}>")
        refresh = any(n == "http-equiv" and (v or "").lower() == "refresh" for n, v in attrs)
        if tag == "meta" and refresh:
            self.found.append("<meta refresh>")
        if tag == "script":
            self._script_type = dict(attrs).get("type", "")
            self._script_src = dict(attrs).get("src")
            self._script_text = []

    def handle_data(self, data):
        if self._script_type is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag):
        if tag != "script" or self._script_type is None:
            return
        text = "".join(self._script_text)
        if self._script_type in OUR_SCRIPT_TYPES:
            try:
                json.loads(text)
            except ValueError:
                self.found.append("a JSON script that is not JSON")
        elif not (self._script_src or "").startswith("/") or self._script_src.startswith("//"):
            self.found.append(f"<script>{text[:40]}</script>")
        self._script_type = None


def html_dangers(text: str) -> list[str]:
    parser = Dangers()
    parser.feed(text)
    parser.close()
    return parser.found


HTML_IN_FEEDS = {"encoded", "content", "description", "summary"}


def feed_dangers(text: str) -> list[str]:
    """Feeds: HTML-carrying elements are checked as HTML; every other text must hold no tag."""
    found = []
    for element in ElementTree.fromstring(text.encode()).iter():
        local = element.tag.rsplit("}", 1)[-1]
        value = element.text or ""
        if local in HTML_IN_FEEDS:
            found += html_dangers(value)
        elif re.search(r"<[a-zA-Z!/]", value):
            found.append(f"markup in <{local}>: {value[:40]}")
        for name, attr in element.attrib.items():
            if re.sub(r"[\x00-\x20]", "", attr).lower().startswith(BAD_SCHEMES):
                found.append(f"{local} {name}={attr[:30]}")
    return found


def hostile_world(payload: str, editor):
    """A live story, its section, tags, people, photo, quote, related link and correction —
    every string of them the payload."""
    section = factories.section("World")
    section.description = payload
    section.save()
    photo = factories.photo(caption=payload, credit=payload, alt_text=payload, rights=payload)
    story = factories.article(
        f"Headline {payload}",
        authors=0,
        paragraphs=(payload, f"Second {payload} paragraph."),
        dek=payload,
        dateline_place=payload[:100],
        dateline_agency=payload[:50],
        lead_photo=photo,
        section=section,
    )
    writer = factories.person(f"Writer {payload}", description=payload, bio=payload)
    writer.affiliation = payload[:200]
    writer.save()
    story.bylines.create(person=writer)
    speaker = factories.person(f"Speaker {payload}", description=payload)
    quote = factories.quote(story, speaker=speaker, text=payload)
    quote.speaker_description = payload
    quote.save()
    target = factories.published("A target story", by=editor)
    linked = factories.related(story, target=target, headline=payload)
    outside = RelatedHeadline.objects.create(
        article=story, url="javascript:alert(1)", headline=payload, position=1
    )
    story.body = [
        *story.body,
        {"type": "related", "id": linked.pk},
        {"type": "related", "id": outside.pk},
        {"type": "quote", "id": quote.pk},
        {"type": "photo", "id": photo.pk},
    ]
    story.save()
    story.tags.add(f"tag {payload}"[:100])
    story.publish(by=editor)
    Correction.objects.create(article=story, note=payload, created_by=editor)
    story.refresh_from_db()
    return story, writer, speaker


def outputs(client, editor, story, writer, speaker) -> dict[str, tuple[str, str]]:
    """(kind, text) of every output that shows the hostile world."""
    tag = story.tags.get()
    reader_pages = {
        "article": story.get_absolute_url(),
        "front": "/",
        "section": story.section.get_absolute_url(),
        "tag": reverse("articles:tag", args=[tag.slug]),
        "author": writer.get_absolute_url(),
        "source": reverse("people:source", args=[speaker.slug]),
        "search": "/search/?q=Headline",
    }
    feeds = {
        "rss": "/feeds/rss/",
        "atom": "/feeds/atom/",
        "section feed": f"/feeds/section/{story.section.slug}/atom/",
        "tag feed": f"/feeds/tag/{tag.slug}/rss/",
        "author feed": f"/feeds/people/{writer.slug}/atom/",
        "quoted feed": f"/feeds/people/{speaker.slug}/quoted/rss/",
        "news sitemap": "/sitemap-news.xml",
        "sitemap": "/sitemap-articles.xml",
    }
    link = ShareLink.create_for(story, editor)
    staff_pages = {
        "admin list": reverse("admin:articles_article_changelist"),
        "admin form": reverse("admin:articles_article_change", args=[story.pk]),
        "admin people": reverse("admin:people_person_changelist"),
        "admin photos": reverse("admin:articles_photo_changelist"),
        "admin quotes": reverse("admin:articles_quote_changelist"),
        "revision compare": reverse("admin:articles_article_revisions", args=[story.pk]),
        "desk": reverse("desk:dashboard"),
        "preview": reverse("desk:preview", args=[story.pk]),
    }
    found = {}
    for name, url in {**reader_pages, **feeds}.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        found[name] = ("xml" if name in feeds else "html", response_body(response).decode())
    found["share link"] = ("html", client.get(link.get_absolute_url()).content.decode())
    client.force_login(editor)
    for name, url in staff_pages.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        found[name] = ("html", response.content.decode())
    client.logout()
    return found


@pytest.fixture
def editor():
    return factories.user("Admin", username="xss-editor")


def test_baseline_pages_are_clean(client, editor):
    world = hostile_world("Plain harmless words", editor)
    for name, (kind, text) in outputs(client, editor, *world).items():
        dangers = html_dangers(text) if kind == "html" else feed_dangers(text)
        assert dangers == [], (name, dangers)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_runs_anywhere(client, editor, payload):
    world = hostile_world(payload, editor)
    # Revisions exist so the compare page diffs the payload too.
    from articles.publishing import revisions

    story = world[0]
    revisions.record(story, editor)
    Article.objects.filter(pk=story.pk).update(headline=f"Edited {payload}")
    story.refresh_from_db()
    revisions.record(story, editor)
    checked = outputs(client, editor, *world)
    problems = {}
    for name, (kind, text) in checked.items():
        dangers = html_dangers(text) if kind == "html" else feed_dangers(text)
        if dangers:
            problems[name] = dangers
    assert problems == {}, payload
    assert len(checked) >= 24


def test_wire_copy_payloads_arrive_as_text(client, editor):
    lines = [
        "Harbour <script>alert(1)</script> strike ends",
        "By Jo Writer",
        "",
        'PORTVILLE, Jan. 5 (UPI) -- Dockers said "<svg onload=alert(1)> we go back," a '
        "spokesman said.",
        "",
        "RELATED <a href='javascript:alert(1)'>click</a>",
        "",
        "Second paragraph &lt;img src=x onerror=alert(1)&gt; ends.",
    ]
    result = ImportWireStory("\n".join(lines), editor).execute()
    story = result.article
    story.publish(by=editor)
    story.refresh_from_db()
    page = client.get(story.get_absolute_url()).content.decode()
    assert html_dangers(page) == []
    assert feed_dangers(client.get("/feeds/rss/").content.decode()) == []


def test_the_corpus_is_counted(client, editor):
    outputs_checked = len(outputs(client, editor, *hostile_world("Counting", editor)))
    print(f"\nxss corpus: {len(PAYLOADS)} payloads x {outputs_checked} outputs")
    assert len(PAYLOADS) >= 20 and outputs_checked >= 24
