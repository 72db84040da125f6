"""The format readers (articles/wire/nitf.py, newsml.py, ninjs.py, formats.py): plain Python.

The project's own fixtures in tests/fixtures/wire/formats/ tell each story four times: plain
text, NITF, NewsML-G2 and ninjs. They are validated against the IPTC schemas vendored in
tests/fixtures/schemas/, and every format must read to the same story as the plain text.
"""

import datetime
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from lxml import etree

from articles.wire import WireFormatError, WireStatus, detect_format, read_stories
from tests.support import REPO

FORMATS_DIR = REPO / "tests" / "fixtures" / "wire" / "formats"
SCHEMAS = REPO / "tests" / "fixtures" / "schemas"
STORIES = sorted(p.stem for p in FORMATS_DIR.glob("*.txt"))
TODAY = datetime.date(2024, 12, 1)
NITF_NS = "http://iptc.org/std/NITF/2006-10-18/"


def files(suffix: str) -> list[Path]:
    return sorted(FORMATS_DIR.glob(f"*{suffix}"))


def read_one(path: Path):
    [story] = read_stories(path.read_text(encoding="utf-8"), today=TODAY)
    return story


# -- the fixtures are what the standards say ---------------------------------------------------


@pytest.fixture(scope="module")
def nitf_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "nitf" / "nitf-3-6.xsd")))


@pytest.fixture(scope="module")
def newsml_schema():
    path = SCHEMAS / "newsml-g2" / "NewsML-G2_2.35-spec-All-Power.xsd"
    return etree.XMLSchema(etree.parse(str(path)))


def test_every_story_is_written_in_every_format():
    assert len(STORIES) >= 3
    for stem in STORIES:
        for suffix in (".nitf.xml", ".newsml.xml", ".ninjs.json"):
            assert (FORMATS_DIR / f"{stem}{suffix}").is_file(), f"{stem}{suffix}"


@pytest.mark.parametrize("path", files(".nitf.xml"), ids=lambda p: p.name)
def test_nitf_fixtures_are_valid_nitf_3_6(path, nitf_schema):
    root = etree.parse(str(path)).getroot()
    if not root.tag.startswith("{"):
        # A DTD-era file without the namespace: validate it as if it had one.
        for element in root.iter(tag=etree.Element):
            element.tag = f"{{{NITF_NS}}}{element.tag}"
    assert nitf_schema.validate(root), nitf_schema.error_log


@pytest.mark.parametrize("path", files(".newsml.xml"), ids=lambda p: p.name)
def test_newsml_fixtures_are_valid_newsml_g2_2_35(path, newsml_schema):
    assert newsml_schema.validate(etree.parse(str(path))), newsml_schema.error_log


@pytest.mark.parametrize("path", files(".ninjs.json"), ids=lambda p: p.name)
def test_ninjs_fixtures_are_valid_ninjs(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    version = "3.1" if "pubStatus" in data or "versionCreated" in data else "2.2"
    schema = json.loads((SCHEMAS / "ninjs" / f"ninjs-schema_{version}.json").read_text())
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(data)]
    assert errors == []


def test_the_fixtures_cover_both_ninjs_generations_and_both_nitf_forms():
    ninjs = [json.loads(p.read_text()) for p in files(".ninjs.json")]
    assert any("pubstatus" in d for d in ninjs) and any("pubStatus" in d for d in ninjs)
    nitf = [p.read_text() for p in files(".nitf.xml")]
    assert any(NITF_NS in text for text in nitf) and any(NITF_NS not in text for text in nitf)


# -- one story, four formats ------------------------------------------------------------------


@pytest.mark.parametrize("stem", STORIES)
@pytest.mark.parametrize("suffix", [".nitf.xml", ".newsml.xml", ".ninjs.json"])
def test_each_format_reads_to_the_same_story_as_the_plain_text(stem, suffix):
    plain = read_one(FORMATS_DIR / f"{stem}.txt")
    other = read_one(FORMATS_DIR / f"{stem}{suffix}")
    for field in ("headline", "bylines", "photo", "dateline", "blocks", "quotes"):
        assert getattr(other, field) == getattr(plain, field), field
    assert plain.quotes, "each fixture has quotes to attribute"


@pytest.mark.parametrize("stem", STORIES)
def test_the_envelope_agrees_across_the_agency_formats(stem):
    stories = [
        read_one(FORMATS_DIR / f"{stem}{s}") for s in (".nitf.xml", ".newsml.xml", ".ninjs.json")
    ]
    envelope = {
        (s.agency_id, s.version, s.status, s.embargo, s.urgency, s.subjects, s.ed_note)
        for s in stories
    }
    assert len(envelope) == 1
    assert stories[0].agency_id.startswith("urn:example:upi:")
    assert [s.format for s in stories] == ["nitf", "newsml", "ninjs"]


def test_embargo_urgency_subjects_and_note():
    masks = read_one(FORMATS_DIR / "museum-masks.nitf.xml")
    assert masks.embargo == datetime.datetime(2024, 11, 4, 5, 0, tzinfo=datetime.UTC)
    assert masks.urgency == 4 and masks.subjects == ("Museums",)
    clinic = read_one(FORMATS_DIR / "rural-clinic.newsml.xml")
    assert clinic.version == 2 and clinic.ed_note == "Corrects spelling of the district name."
    assert clinic.subjects == ("Health", "Ghana")


def test_markup_quotes_and_credits():
    masks = read_one(FORMATS_DIR / "museum-masks.newsml.xml")
    # <q> becomes curly quotes; a <blockquote> credited with <footer> is that person's.
    assert masks.paragraphs[2].startswith("\u201cThese objects were never ours to keep,\u201d")
    last = [q for q in masks.quotes if q.text == "Now my daughter will see them."]
    assert [q.speaker for q in last] == ["Paul Houngbedji"]


def test_scripts_in_an_html_body_are_dropped():
    masks = read_one(FORMATS_DIR / "museum-masks.ninjs.json")
    assert not any("alert" in block.text for block in masks.blocks)


# -- detection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Headline\n\nBody.", "text"),
        ('  {"uri": "x"}', "ninjs"),
        ("<?xml version='1.0'?>\n<!-- hi -->\n<nitf><body/></nitf>", "nitf"),
        ('<!DOCTYPE nitf SYSTEM "nitf.dtd">\n<nitf/>', "nitf"),
        ('\ufeff<g2:newsItem xmlns:g2="http://iptc.org/std/nar/2006-10-01/"/>', "newsml"),
        ("<newsMessage/>", "newsml"),
    ],
)
def test_the_format_is_told_by_the_content(text, kind):
    assert detect_format(text) == kind


def test_other_xml_is_refused_by_name():
    with pytest.raises(WireFormatError, match="<rss> root"):
        read_stories('<?xml version="1.0"?><rss><channel/></rss>', today=TODAY)


# -- bad input ---------------------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE nitf [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<nitf><body><body.head><hedline><hl1>&lol4;</hl1></hedline></body.head></body></nitf>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE nitf [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<nitf><body><body.head><hedline><hl1>Leak</hl1></hedline></body.head>
<body.content><p>&secret;</p></body.content></body></nitf>"""

PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE newsItem [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]>
<newsItem/>"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY])
def test_entity_expansion_and_external_entities_are_refused(text):
    with pytest.raises(WireFormatError, match="entities or external references"):
        read_stories(text, today=TODAY)


@pytest.mark.parametrize(
    "text, message",
    [
        ("<nitf><body>", "not well-formed"),
        ("<nitf><body><body.content><p>Words.</p></body.content></body></nitf>", "no headline"),
        ('{"uri": "x", "headlines": [{"value": "A headline"}]}', "No story paragraphs"),
        ('{"uri": "x", "type": "picture"}', "not a text story"),
        ("[1, 2]", "not a ninjs object"),
        ('{"uri": ', "not valid"),
        ("[" * 50000 + "]" * 50000, "nests too deeply"),
        ('{"a":' * 100 + "1" + "}" * 100, "nests too deeply"),
        ("<newsMessage><itemSet/></newsMessage>", "no text item"),
    ],
)
def test_bad_input_is_one_readable_error(text, message):
    with pytest.raises(WireFormatError, match=message):
        read_stories(text, today=TODAY)


def test_deeply_nested_markup_is_refused_in_one_sentence():
    nested = "<p>" * 5000 + "x" + "</p>" * 5000
    head = "<body.head><hedline><hl1>Deep</hl1></hedline></body.head>"
    text = f"<nitf><body>{head}<body.content>{nested}</body.content></body></nitf>"
    with pytest.raises(WireFormatError, match="nests more than"):
        read_stories(text, today=TODAY)


def test_nitf_with_an_undeclared_entity_is_refused_not_guessed():
    text = "<nitf><body><body.head><hedline><hl1>A&nbsp;B</hl1></hedline></body.head></body></nitf>"
    with pytest.raises(WireFormatError, match="not well-formed"):
        read_stories(text, today=TODAY)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_any_text_reads_or_raises_one_format_error(text):
    for prefix in ("", "<nitf>", "{", "<newsItem>"):
        try:
            stories = read_stories(prefix + text, today=TODAY)
        except WireFormatError as exc:
            assert str(exc).strip()  # a sentence for the editor, never a traceback
        else:
            assert stories and all(story.headline.strip() for story in stories)


# -- several items, statuses -------------------------------------------------------------------

G2 = "http://iptc.org/std/nar/2006-10-01/"


def g2_item(guid: str, headline: str, *, status: str = "usable", extra_meta: str = "") -> str:
    return f"""<newsItem guid="{guid}" version="3">
  <itemMeta><itemClass qcode="ninat:text"/><provider literal="UPI"/>
    <versionCreated>2024-05-01T10:00:00Z</versionCreated>
    <pubStatus qcode="stat:{status}"/>{extra_meta}</itemMeta>
  <contentMeta><headline>{headline}</headline><by>By Mira Holm</by></contentMeta>
  <contentSet><inlineXML><html xmlns="http://www.w3.org/1999/xhtml"><body>
    <p>The first paragraph of {headline.lower()}.</p></body></html></inlineXML></contentSet>
</newsItem>"""


def test_a_news_message_holds_several_stories_in_order():
    message = (
        f'<newsMessage xmlns="{G2}"><header><sent>2024-05-01T10:00:00Z</sent></header><itemSet>'
        + g2_item("urn:a", "Ferry fares rise")
        + g2_item("urn:b", "Bridge opens early")
        + "</itemSet></newsMessage>"
    )
    stories = read_stories(message, today=TODAY)
    assert [(s.agency_id, s.headline, s.version) for s in stories] == [
        ("urn:a", "Ferry fares rise", 3),
        ("urn:b", "Bridge opens early", 3),
    ]
    assert stories[0].bylines == ["Mira Holm"]


@pytest.mark.parametrize(
    "status, extra, expected",
    [
        ("withheld", "", WireStatus.WITHHELD),
        ("canceled", "", WireStatus.CANCELED),
        ("usable", '<signal qcode="sig:kill"/>', WireStatus.KILLED),
    ],
)
def test_newsml_status_and_kill_signal(status, extra, expected):
    [story] = read_stories(
        g2_item("urn:a", "Ferry fares rise", status=status, extra_meta=extra), today=TODAY
    )
    assert story.status == expected


def test_nitf_kill_advisory_and_cancellation():
    text = (FORMATS_DIR / "rural-clinic.nitf.xml").read_text()
    killed = text.replace('msg-type="advisory"', 'msg-type="kill"')
    assert read_stories(killed, today=TODAY)[0].status == WireStatus.KILLED
    canceled = text.replace("<docdata>", '<docdata management-status="canceled">')
    assert read_stories(canceled, today=TODAY)[0].status == WireStatus.CANCELED


def test_a_ninjs_advisory_needs_no_body():
    text = json.dumps({"uri": "urn:x", "pubstatus": "canceled", "headlines": [{"value": "Ferry"}]})
    [story] = read_stories(text, today=TODAY)
    assert (story.status, story.blocks) == (WireStatus.CANCELED, [])
