"""Wire copy parsing (articles/wire/parse.py): plain Python, no database, no Django."""

import dataclasses
import datetime
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.wire import (
    Dateline,
    WireBlock,
    WireFormatError,
    WirePhoto,
    WireStory,
    decode_wire,
    parse_wire,
)
from tests.support import WIRE_FIXTURES, sample_text

TODAY = datetime.date(2025, 1, 5)


def story(*lines: str, today: datetime.date = TODAY) -> WireStory:
    return parse_wire("\n".join(lines), today=today)


def paragraphs(parsed: WireStory) -> list[str]:
    return [block.text for block in parsed.blocks if block.type == "paragraph"]


def fixture(name: str) -> WireStory:
    return parse_wire((WIRE_FIXTURES / name).read_text(encoding="utf-8"), today=TODAY)


HEADLINE = "Council approves new tram line"
BODY = "OSLO, March 4 (UPI) -- The city council voted 31-28 on Tuesday to build a tram line."


# --- the sample story ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> WireStory:
    return parse_wire(sample_text(), today=datetime.date(2018, 11, 1))


def test_sample_headline_byline_photo_dateline(sample):
    assert sample.headline.startswith("Defector: Sanctions have not curbed")
    assert sample.bylines == ["Elizabeth Shim"]
    assert sample.photo is not None
    assert (sample.photo.credit, sample.photo.file_photo, sample.photo.licensed) == (
        "KCNA/UPI",
        True,
        True,
    )
    assert sample.photo.caption.startswith("Kim Jong Un continues")
    assert "Photo by" not in sample.photo.caption
    assert sample.dateline == Dateline("UNITED NATIONS", datetime.date(2018, 10, 25), "UPI")


def test_sample_first_paragraph_starts_after_the_dateline(sample):
    assert sample.blocks[0].type == "paragraph"
    assert sample.blocks[0].text.startswith("International sanctions")


def test_sample_repeated_headline_is_dropped(sample):
    assert all(block.text != sample.headline for block in sample.blocks)


def test_sample_has_three_related_blocks_in_place(sample):
    related = [i for i, block in enumerate(sample.blocks) if block.type == "related"]
    assert len(related) == 3
    assert sample.blocks[related[0]].text.startswith("South Korean businessmen")
    assert sample.blocks[related[1]].text.startswith("U.N. special rapporteur")
    assert sample.blocks[related[2]].text.startswith("Report: North Korea ambassador")
    # Each sits between the paragraphs it separated in the copy.
    assert sample.blocks[related[0] - 1].text.startswith("According to Roh's source")
    assert sample.blocks[related[0] + 1].text.startswith('"Sanctions, to my knowledge')


def test_sample_paragraphs_and_page_chrome(sample):
    assert len(paragraphs(sample)) == 20
    assert sample.blocks[-1].type == "paragraph"
    assert sample.blocks[-1].text.startswith('"It is regrettable')
    assert not any("Latest Headlines" in b.text or "Follow Us" in b.text for b in sample.blocks)


# --- the fixtures -------------------------------------------------------------------------


FIXTURE_SHAPES = {
    # name: (bylines, photo credit/file/licensed or None, dateline, related count, paragraphs)
    "port-cranes-two-bylines.txt": (
        ["Lena Müller", "Tomás Ibáñez"],
        ("Jens Köhler/UPI", False, False),
        Dateline("HAMBURG, Germany", datetime.date(2024, 6, 2), "UPI"),
        1,
        9,
    ),
    "drought-three-bylines.txt": (
        ["Ana Núñez", "Grace Park", "Samuel Okafor"],
        None,
        Dateline("MADRID", datetime.date(2024, 9, 14), "UPI"),
        0,
        10,
    ),
    "shipyard-korea-related.txt": (
        ["Hyun-woo Kang"],
        ("Yonhap/UPI", True, False),
        Dateline("SEOUL", datetime.date(2024, 5, 3), "UPI"),
        3,
        11,
    ),
    "congress-border-bill.txt": (
        ["Hannah O'Connor"],
        None,
        Dateline("WASHINGTON", datetime.date(2024, 1, 9), "UPI"),
        0,
        9,
    ),
    "panda-cubs-one-per-line.txt": (
        [],
        ("Xinhua/UPI", False, True),
        Dateline("BEIJING", datetime.date(2024, 8, 9), "UPI"),
        0,
        8,
    ),
    "flood-relief-no-byline.txt": (
        [],
        None,
        Dateline("LONDON", datetime.date(2024, 12, 30), "UPI"),
        0,
        10,
    ),
}


def test_fixtures_exist():
    assert all((WIRE_FIXTURES / name).is_file() for name in FIXTURE_SHAPES)


@pytest.mark.parametrize("name", sorted(FIXTURE_SHAPES))
def test_fixture_shape(name):
    bylines, photo, dateline, related, count = FIXTURE_SHAPES[name]
    parsed = fixture(name)
    assert parsed.bylines == bylines
    if photo is None:
        assert parsed.photo is None
    else:
        assert (parsed.photo.credit, parsed.photo.file_photo, parsed.photo.licensed) == photo
    assert parsed.dateline == dateline
    assert [b.type for b in parsed.blocks].count("related") == related
    assert len(paragraphs(parsed)) == count
    assert all(block.text != parsed.headline for block in parsed.blocks)
    assert all(block.text.strip() == block.text and block.text for block in parsed.blocks)


@pytest.mark.parametrize("name", sorted(FIXTURE_SHAPES))
def test_fixture_page_chrome_is_dropped(name):
    parsed = fixture(name)
    chrome = ("Trending Stories", "Top News", "Latest Headlines", "Follow Us", "Recommended")
    assert not any(block.text.startswith(chrome) for block in parsed.blocks)
    # Nothing after the chrome survives either (each fixture has a headline after it).
    assert not any("Snowstorm" in b.text or "Stocks slide" in b.text for b in parsed.blocks)


def test_fixture_consecutive_related_lines_are_separate_blocks():
    types = [block.type for block in fixture("shipyard-korea-related.txt").blocks]
    assert types[2:5] == ["paragraph", "related", "related"]


def test_fixture_one_paragraph_per_line_and_wrapped_lines():
    parsed = fixture("panda-cubs-one-per-line.txt")
    texts = paragraphs(parsed)
    assert texts[1] == "The cubs, a male and a female, each weigh about 11 pounds, keepers said."
    wrapped = texts[3]  # three source lines that end mid-sentence make one paragraph
    assert wrapped.startswith(
        "Chen said the zoo would limit viewing to 20 minutes per group to keep"
    )
    assert wrapped.endswith("signs of stress.")


def test_fixture_photo_caption():
    photo = fixture("port-cranes-two-bylines.txt").photo
    assert photo == WirePhoto(
        caption="Dock workers gather at a container terminal in Hamburg, Germany, on Monday.",
        credit="Jens Köhler/UPI",
        file_photo=False,
        licensed=False,
    )


# --- headline and bylines -----------------------------------------------------------------


def test_headline_is_first_non_empty_line():
    assert story("", "   ", HEADLINE, "", BODY).headline == HEADLINE


def test_headline_repeated_anywhere_is_dropped():
    parsed = story(HEADLINE, BODY, HEADLINE, "The vote ends a decade of debate.")
    assert paragraphs(parsed)[1:] == ["The vote ends a decade of debate."]


@pytest.mark.parametrize(
    "line, names",
    [
        ("By Ola Nordmann", ["Ola Nordmann"]),
        ("By Ola Nordmann and Kari Müller", ["Ola Nordmann", "Kari Müller"]),
        (
            "By Ola Nordmann, Kari Müller and Íñigo Núñez",
            ["Ola Nordmann", "Kari Müller", "Íñigo Núñez"],
        ),
        (
            "By Ola Nordmann, Kari Müller, and Íñigo Núñez",
            ["Ola Nordmann", "Kari Müller", "Íñigo Núñez"],
        ),
        ("By Ludwig van Beethoven & Seán O'Brien", ["Ludwig van Beethoven", "Seán O'Brien"]),
        ("By J.R. Smith", ["J.R. Smith"]),
    ],
)
def test_bylines(line, names):
    assert story(HEADLINE, line, BODY).bylines == names


def test_several_byline_lines_add_up():
    assert story(HEADLINE, "By Ola Nordmann", "By Kari Müller", BODY).bylines == [
        "Ola Nordmann",
        "Kari Müller",
    ]


def test_no_byline_is_allowed():
    assert story(HEADLINE, BODY).bylines == []


def test_a_sentence_starting_with_by_is_body_text():
    parsed = story(HEADLINE, "By Tuesday, the council had run out of time to vote.")
    assert parsed.bylines == []
    assert paragraphs(parsed) == ["By Tuesday, the council had run out of time to vote."]


def test_a_byline_after_the_body_starts_is_body_text():
    parsed = story(HEADLINE, BODY, "", "By Kari Müller")
    assert parsed.bylines == []
    assert paragraphs(parsed)[-1] == "By Kari Müller"


# --- photo --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, photo",
    [
        (
            "Trams wait at the depot. Photo by Ola Nordmann/UPI",
            WirePhoto("Trams wait at the depot.", "Ola Nordmann/UPI", False, False),
        ),
        (
            "Trams wait at the depot. File Photo by NTB/UPI | License Photo",
            WirePhoto("Trams wait at the depot.", "NTB/UPI", True, True),
        ),
        ("Photo by NTB/UPI", WirePhoto("", "NTB/UPI", False, False)),
        (
            "A photo by an amateur won the prize. Photo by NTB/UPI",
            WirePhoto("A photo by an amateur won the prize.", "NTB/UPI", False, False),
        ),
    ],
)
def test_photo_line(line, photo):
    assert story(HEADLINE, "By Ola Nordmann", line, "", BODY).photo == photo


def test_no_photo_line_is_fine():
    assert story(HEADLINE, "By Ola Nordmann", BODY).photo is None


# --- dateline -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "opening, place, date, agency",
    [
        ("UNITED NATIONS, Oct. 25 (UPI) --", "UNITED NATIONS", datetime.date(2024, 10, 25), "UPI"),
        ("BEIJING, Aug. 9 (UPI) --", "BEIJING", datetime.date(2024, 8, 9), "UPI"),
        ("LONDON, June 2 (UPI) --", "LONDON", datetime.date(2024, 6, 2), "UPI"),
        ("SEOUL, May 3 (UPI) --", "SEOUL", datetime.date(2024, 5, 3), "UPI"),
        ("MADRID, Sept. 14 (UPI) --", "MADRID", datetime.date(2024, 9, 14), "UPI"),
        ("OSLO, Jan. 5 (AP) \u2014", "OSLO", datetime.date(2025, 1, 5), "AP"),  # today
        ("OSLO, Jan. 6 (UPI) --", "OSLO", datetime.date(2024, 1, 6), "UPI"),  # tomorrow: last year
        ("OSLO, Dec. 31 (UPI) --", "OSLO", datetime.date(2024, 12, 31), "UPI"),
        ("OSLO, March 4, 2019 (UPI) --", "OSLO", datetime.date(2019, 3, 4), "UPI"),
        ("SÃO PAULO, Nov. 2 (UPI) --", "SÃO PAULO", datetime.date(2024, 11, 2), "UPI"),
        ("HAMBURG, Germany, July 1 (UPI) --", "HAMBURG, Germany", datetime.date(2024, 7, 1), "UPI"),
    ],
)
def test_dateline(opening, place, date, agency):
    parsed = story(HEADLINE, f"{opening} The council voted on Tuesday.")
    assert parsed.dateline == Dateline(place, date, agency)
    assert paragraphs(parsed) == ["The council voted on Tuesday."]


def test_dateline_feb_29_looks_back_to_a_leap_year():
    parsed = story(HEADLINE, "OSLO, Feb. 29 (UPI) -- Leap day.", today=datetime.date(2025, 6, 1))
    assert parsed.dateline.date == datetime.date(2024, 2, 29)


def test_no_dateline_is_fine():
    parsed = story(HEADLINE, "The council voted on Tuesday.")
    assert parsed.dateline is None
    assert paragraphs(parsed) == ["The council voted on Tuesday."]


def test_dateline_only_opens_the_first_paragraph():
    parsed = story(HEADLINE, "The council voted.", "", "OSLO, March 4 (UPI) -- Again.")
    assert parsed.dateline is None
    assert paragraphs(parsed)[1] == "OSLO, March 4 (UPI) -- Again."


def test_lowercase_place_is_not_a_dateline():
    text = "Meanwhile, in the city, Oct. 5 (a Friday) -- was the date."
    assert story(HEADLINE, text).dateline is None


def test_dateline_with_impossible_date_is_an_error():
    with pytest.raises(WireFormatError, match="no such date"):
        story(HEADLINE, "OSLO, Feb. 30 (UPI) -- The council voted.")


def test_dateline_alone_on_its_line_wraps_onto_the_next():
    parsed = story(HEADLINE, "OSLO, March 4 (UPI) --", "The council voted on Tuesday.")
    assert parsed.dateline is not None
    assert paragraphs(parsed) == ["The council voted on Tuesday."]


# --- paragraphs, related headlines, page chrome --------------------------------------------


def test_paragraphs_split_on_one_or_more_blank_lines():
    parsed = story(HEADLINE, "", "First one.", "", "", "", "Second one.", "\t", "Third one.")
    assert paragraphs(parsed) == ["First one.", "Second one.", "Third one."]


def test_wrapped_lines_join_into_one_paragraph():
    parsed = story(HEADLINE, "", "The council voted", "on Tuesday to build", "a tram line.")
    assert paragraphs(parsed) == ["The council voted on Tuesday to build a tram line."]


def test_whitespace_inside_lines_is_collapsed():
    assert paragraphs(story(HEADLINE, "The  council\u00a0 voted.\r"))[0] == "The council voted."


def test_windows_and_old_mac_line_endings():
    parsed = parse_wire(f"{HEADLINE}\r\n\r\nFirst one.\r\rSecond one.\r\n", today=TODAY)
    assert paragraphs(parsed) == ["First one.", "Second one."]


def test_related_lines_become_blocks_in_place():
    parsed = story(
        HEADLINE, "One.", "", "RELATED Tram fares rise again", "", "Two.", "RELATED: Bus lanes"
    )
    assert parsed.blocks == [
        WireBlock("paragraph", "One."),
        WireBlock("related", "Tram fares rise again"),
        WireBlock("paragraph", "Two."),
        WireBlock("related", "Bus lanes"),
    ]


@pytest.mark.parametrize(
    "chrome",
    [
        "Latest Headlines",
        "Follow Us",
        "Trending Stories",
        "Top News",
        "Recommended",
        "TOP NEWS",
        "Latest Headlines:",
        "Most Popular",
    ],
)
def test_page_chrome_and_everything_after_it_is_dropped(chrome):
    parsed = story(HEADLINE, "One.", "", chrome, "", "A headline from elsewhere.", "Two.")
    assert paragraphs(parsed) == ["One."]


def test_a_sentence_mentioning_top_news_is_not_chrome():
    text = "The vote was top news in Oslo for a week."
    assert paragraphs(story(HEADLINE, text, "", "Two.")) == [text, "Two."]


def test_quote_paragraph_indexes_are_block_indexes():
    parsed = story(
        HEADLINE,
        "Mayor Kari Müller said the vote was close.",
        "RELATED Tram fares rise again",
        '"We won by one seat, and one seat is enough," Müller said.',
    )
    [quote] = parsed.quotes
    assert quote.paragraph == 2
    assert parsed.blocks[2].text.startswith('"We won')


def test_bylines_are_never_speakers():
    parsed = story(
        HEADLINE, "By Kari Müller", '"I covered the vote all night long," Kari Müller said.'
    )
    assert parsed.quotes == []


def test_story_dataclasses_are_frozen():
    parsed = story(HEADLINE, BODY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.headline = "Other"  # type: ignore[misc]


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("   \n\t\n  ", "empty"),
        ("x" * 301 + "\nBody.", "301 characters"),
        (HEADLINE, "No story paragraphs"),
        (f"{HEADLINE}\n\nBy Kari Müller\n\n", "No story paragraphs"),
        (f"{HEADLINE}\n\nTrending Stories\nSomething else.", "No story paragraphs"),
        (f"{HEADLINE}\nRELATED Tram fares rise again", "No story paragraphs"),
        ("By Kari Müller\n\nThe council voted.", "starts with a byline"),
        ("OSLO, March 4 (UPI) -- The council voted.", "starts with a dateline"),
        (f"{HEADLINE}\n\x00\x00\x00body", "NUL"),
        (HEADLINE + "\n" + "\x01\x02\x03\x04\x05" * 10, "control characters"),
    ],
)
def test_bad_input_raises_one_readable_error(text, message):
    with pytest.raises(WireFormatError, match=message) as error:
        parse_wire(text, today=TODAY)
    assert "\n" not in str(error.value)


def test_a_few_stray_control_characters_are_removed():
    assert paragraphs(story(HEADLINE, "The council\x07 voted.")) == ["The council voted."]


def test_wire_format_error_is_a_value_error():
    assert issubclass(WireFormatError, ValueError)


# --- decoding -----------------------------------------------------------------------------


def test_decode_wire_strips_a_byte_order_mark():
    assert decode_wire("\ufeffHeadline\nBody.".encode()) == "Headline\nBody."


def test_decode_wire_keeps_non_ascii_letters():
    assert decode_wire("By Kari Müller".encode()) == "By Kari Müller"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"Headline\n\xff\xfe\xfa body", "not valid UTF-8"),
        ("Headline".encode("latin-1") + b"\nM\xfcller", "not valid UTF-8"),
        ("Headline\nBody.".encode("utf-16"), "UTF-16"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL"),
        (b"Headline\n" + b"\x01\x02\x03\x04" * 20, "control characters"),
    ],
)
def test_decode_wire_rejects_what_is_not_utf8_text(data, message):
    with pytest.raises(WireFormatError, match=message):
        decode_wire(data)


def test_a_byte_order_mark_left_in_text_is_ignored():
    assert parse_wire(f"\ufeff{HEADLINE}\nOne.", today=TODAY).headline == HEADLINE


# --- fuzzing and speed --------------------------------------------------------------------


def _parses_or_refuses(text: str) -> None:
    try:
        parsed = parse_wire(text, today=TODAY)
    except WireFormatError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert isinstance(parsed, WireStory)
    assert parsed.headline and len(parsed.headline) <= 300
    assert any(block.type == "paragraph" for block in parsed.blocks)
    for quote in parsed.quotes:
        assert parsed.blocks[quote.paragraph].type == "paragraph"
        assert quote.text and quote.speaker


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_fuzz_arbitrary_text(text):
    _parses_or_refuses(text)


# Lines shaped like wire copy, so the fuzzer reaches the byline, photo, dateline and quote rules.
WIRE_LINES = st.sampled_from(
    [
        "",
        "",
        HEADLINE,
        "By Kari Müller and Ola Nordmann",
        "By ",
        "Trams wait. File Photo by NTB/UPI | License Photo",
        "Photo by",
        "OSLO, Feb. 29 (UPI) -- The council voted.",
        "OSLO, Oct. 5 (UPI) --",
        "RELATED Tram fares rise again",
        "RELATED",
        "Latest Headlines",
        'Mayor Kari Müller, a former teacher, said: "We won by one seat."',
        '"We won," she said. "We will build it.',
        "\u201cIt is done,\u201d the mayor said.",
        '"',
        "\u201d\u201c",
        '"Yes," said',
        "said, said: said.",
        "the the the said",
        "Müller, , said",
        "Rep. , R-Texas, said",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(WIRE_LINES, st.text(max_size=40)), max_size=25))
def test_fuzz_wire_shaped_text(lines):
    _parses_or_refuses("\n".join(lines))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["said", "Kim", '"', ",", "the", "Rep.", "he", "."]), max_size=80))
def test_fuzz_attribution_words(words):
    _parses_or_refuses(HEADLINE + "\n" + " ".join(words))


# The timing tests count this process's CPU time, not the wall clock: a CI box busy with other
# work must not fail them, while a parser gone quadratic still would.
def test_parsing_is_fast():
    texts = [(WIRE_FIXTURES / name).read_text(encoding="utf-8") for name in sorted(FIXTURE_SHAPES)]
    started = time.process_time()
    for _ in range(50):
        for text in texts:
            parse_wire(text, today=TODAY)
    per_story = (time.process_time() - started) / (50 * len(texts))
    assert per_story < 0.01  # well over a hundred stories a second even on a slow CI box


@pytest.mark.parametrize(
    "text",
    [
        HEADLINE + "\n" + "said " * 20_000,
        HEADLINE + "\n" + "Kim Lee " * 20_000 + "said",
        HEADLINE + "\n" + '"a," ' * 20_000,
        HEADLINE + "\n" + "Abc, " * 20_000 + "said",
        "A" * 300 + "\n" + "OSLO, " * 20_000,
        HEADLINE + "\nBy " + "Kari, " * 20_000,
    ],
)
def test_hostile_input_stays_fast(text):
    started = time.process_time()
    _parses_or_refuses(text)
    assert time.process_time() - started < 2
