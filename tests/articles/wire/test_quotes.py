"""Quote attribution rules (articles/wire/quotes.py), each with a one-line example.

Plain Python: no database, no Django.
"""

import datetime

import pytest

from articles.wire import WireQuote, extract_quotes, parse_wire
from tests.support import WIRE_FIXTURES, sample_text

# A reporter introducing two people, reused by the one-line examples below.
MAYOR = "Mayor Elena Vasquez, who took office in March, said the budget was balanced."
CHEMIST = "Chemist Peter Lindqvist, a professor at Uppsala University, told UPI the test failed."


def quotes(*paragraphs: str, exclude: tuple[str, ...] = ()) -> list[tuple[str, str, int]]:
    return [
        (q.speaker, q.text, q.paragraph) for q in extract_quotes(list(paragraphs), exclude=exclude)
    ]


# --- attribution patterns -----------------------------------------------------------------


def test_quote_then_name_said():
    assert quotes('"The bridge will open in May," Elena Vasquez said.') == [
        ("Elena Vasquez", "The bridge will open in May.", 0)
    ]


def test_quote_then_said_name_with_description():
    [quote] = extract_quotes(
        ['"We ran out of beds by noon," said Ivan Petrov, a hospital director.']
    )
    assert (quote.speaker, quote.speaker_description) == ("Ivan Petrov", "a hospital director")
    assert quote.text == "We ran out of beds by noon."


def test_name_said_colon_then_quote():
    assert quotes('Elena Vasquez said: "Nobody will lose their job."') == [
        ("Elena Vasquez", "Nobody will lose their job.", 0)
    ]


def test_name_told_reporters_colon_then_quote():
    assert quotes('After the vote, Elena Vasquez told reporters: "We had the numbers."') == [
        ("Elena Vasquez", "We had the numbers.", 0)
    ]


@pytest.mark.parametrize("audience", ["reporters", "UPI"])
def test_quote_then_name_told_audience(audience):
    text = f'"The data speaks for itself," Peter Lindqvist told {audience}.'
    assert quotes(text) == [("Peter Lindqvist", "The data speaks for itself.", 0)]


def test_attribution_between_two_sentences_makes_one_quote():
    # Choice: one quote; the comma that stood for a period becomes one.
    assert quotes('"We are ready," Elena Vasquez said. "The money is in the bank."') == [
        ("Elena Vasquez", "We are ready. The money is in the bank.", 0)
    ]


def test_attribution_inside_one_sentence_joins_without_the_comma():
    assert quotes('"I believe," said Elena Vasquez, "that the council will agree."') == [
        ("Elena Vasquez", "I believe that the council will agree.", 0)
    ]


def test_two_speakers_in_one_paragraph_stay_apart():
    text = '"Yes, we will," Elena Vasquez said. "Not this year," Peter Lindqvist said.'
    assert quotes(text) == [
        ("Elena Vasquez", "Yes, we will.", 0),
        ("Peter Lindqvist", "Not this year.", 0),
    ]


def test_curly_quotes_work_like_straight_ones():
    assert quotes("\u201cThe bridge will open in May,\u201d Elena Vasquez said.") == [
        ("Elena Vasquez", "The bridge will open in May.", 0)
    ]


def test_question_mark_inside_the_quote_is_kept():
    assert quotes('"Who pays for the repairs?" Elena Vasquez asked.') == [
        ("Elena Vasquez", "Who pays for the repairs?", 0)
    ]


# --- later references ---------------------------------------------------------------------


def test_western_surname_refers_to_last_word_of_name():
    assert quotes(MAYOR, '"We will not raise taxes," Vasquez said.') == [
        ("Elena Vasquez", "We will not raise taxes.", 1)
    ]


def test_korean_surname_is_the_first_word_of_the_name():
    intro = "Kim Soo-min, a nurse at a Busan clinic, said the ward was full."
    assert quotes(intro, '"We turned people away every night," Kim said.') == [
        ("Kim Soo-min", "We turned people away every night.", 1)
    ]


def test_surname_with_particles():
    intro = "Engineer Carlos van der Berg said the dam was sound."
    assert quotes(intro, '"The cracks are only cosmetic," van der Berg said.') == [
        ("Carlos van der Berg", "The cracks are only cosmetic.", 1)
    ]


def test_courtesy_title_and_surname():
    assert quotes(MAYOR, '"The audit is finished," Ms. Vasquez said.')[0][0] == "Elena Vasquez"


def test_pronoun_refers_to_most_recently_introduced_person():
    assert quotes(MAYOR, CHEMIST, '"The results were clear," he said.') == [
        ("Peter Lindqvist", "The results were clear.", 2)
    ]


def test_pronoun_gender_skips_a_person_known_to_be_the_other():
    intro = "Company spokeswoman Ana Ruiz said the plant would reopen."
    text = [intro, CHEMIST, '"It failed twice," he said.', '"I saw it myself," she said.']
    assert [speaker for speaker, _, _ in quotes(*text)] == ["Peter Lindqvist", "Ana Ruiz"]


def test_role_word_refers_to_person_introduced_with_it():
    intro = "Activist Hana Cho, founder of Open Doors, said the shelters were full."
    text = [intro, CHEMIST, '"Every bed has been taken since June," the activist said.']
    assert quotes(*text) == [("Hana Cho", "Every bed has been taken since June.", 2)]


@pytest.mark.parametrize(
    "intro, role, speaker",
    [
        ("Company spokesman Ivan Petrov said the plant would reopen.", "spokesman", "Ivan Petrov"),
        ("Foreign Minister Ana Núñez said talks would resume.", "minister", "Ana Núñez"),
        ("Rep. Jane Doe, R-Texas, said the bill had support.", "lawmaker", "Jane Doe"),
    ],
)
def test_other_role_words(intro, role, speaker):
    text = [intro, MAYOR, f'"It was the right decision," the {role} said.']
    assert quotes(*text) == [(speaker, "It was the right decision.", 2)]


def test_role_word_nobody_matches_refers_to_the_only_person_introduced():
    assert quotes(CHEMIST, '"We start again tomorrow," the researcher said.') == [
        ("Peter Lindqvist", "We start again tomorrow.", 1)
    ]


def test_role_word_nobody_matches_with_two_people_is_not_guessed():
    assert quotes(MAYOR, CHEMIST, '"We start again tomorrow," the witness said.') == []


def test_whole_paragraph_quote_continues_the_previous_speaker():
    assert quotes(
        '"We are ready," Elena Vasquez said.',
        "The council meets on Tuesday.",
        '"Nobody should doubt our commitment to the plan."',
    )[-1] == ("Elena Vasquez", "Nobody should doubt our commitment to the plan.", 2)


def test_unclosed_quote_continues_into_the_next_paragraph():
    text = ['"We are ready," Elena Vasquez said. "The money is there.', '"So are the workers."']
    assert quotes(*text) == [
        ("Elena Vasquez", "We are ready. The money is there.", 0),
        ("Elena Vasquez", "So are the workers.", 1),
    ]


def test_quote_after_reported_speech_in_same_paragraph_continues_that_speaker():
    text = 'Elena Vasquez said the vote was close. "We won by one seat."'
    assert quotes(text) == [("Elena Vasquez", "We won by one seat.", 0)]


def test_whole_paragraph_quote_with_nobody_introduced_is_dropped():
    assert quotes('"Nobody should doubt our commitment to the plan."') == []


# --- people introduced without a speech verb ----------------------------------------------

PETROV = "Ivan Petrov, a spokesman for the port authority, was less hopeful."
RUIZ = "Interior Minister Ana Ruiz defended the plan on Monday."
BENTON = "The talks followed a summit with U.S. President Carl Benton in June."


@pytest.mark.parametrize(
    "intro, attribution, speaker",
    [
        (PETROV, "said Petrov", "Ivan Petrov"),
        (PETROV, "Petrov said", "Ivan Petrov"),
        (PETROV, "he said", "Ivan Petrov"),  # "spokesman" says he is a man
        (PETROV, "the official said", "Ivan Petrov"),
        (RUIZ, "the minister said", "Ana Ruiz"),
        (RUIZ, "Ruiz said", "Ana Ruiz"),
        (RUIZ, "she said", "Ana Ruiz"),
        ("On Monday, Interior Minister Ana Ruiz defended the plan.", "she said", "Ana Ruiz"),
        ("Company spokesman Ivan Petrov shook his head.", "the spokesman said", "Ivan Petrov"),
        ("Margaret Oyelaran, 67, a retired nurse, lost her home.", "she said", "Margaret Oyelaran"),
    ],
)
def test_person_introduced_without_speech_verb_is_found_later(intro, attribution, speaker):
    assert quotes(MAYOR, intro, f'"The harbour will stay open," {attribution}.') == [
        (speaker, "The harbour will stay open.", 2)
    ]


def test_appositive_introduction_gives_the_description():
    [quote] = extract_quotes([PETROV, '"We lost the contract," Petrov said.'])
    assert quote.speaker_description == "a spokesman for the port authority"


def test_pronoun_prefers_the_most_recently_introduced_person():
    assert quotes(CHEMIST, RUIZ, '"The plan stays," he said.')[0][0] == "Ana Ruiz"


def test_introduced_person_is_not_a_speaker_until_quoted():
    assert quotes(PETROV, RUIZ, "The council meets on Tuesday.") == []


def test_an_introduction_ends_the_speaker_run_instead_of_guessing():
    text = ['"We are ready," Elena Vasquez said.', PETROV, '"The cranes are idle."']
    assert [paragraph for _, _, paragraph in quotes(*text)] == [0]


@pytest.mark.parametrize(
    "intro",
    [
        "New York, the largest city in the state, was quiet.",  # the appositive is no person
        "Ana Ruiz defended the plan on Monday.",  # no title or role: could be anything
        "Interior Minister Ana Ruiz's plan was approved.",
        "The port hired Ivan Petrov, a spokesman, last year.",  # an untitled object
    ],
)
def test_what_does_not_introduce_a_person(intro):
    assert quotes(intro, '"The harbour will stay open," he said.') == []


def test_byline_name_introduced_with_an_appositive_is_never_a_speaker():
    intro = "Dana Whitfield, a reporter for the paper, was in the room."
    assert quotes(intro, '"It was a long night," she said.', exclude=("Dana Whitfield",)) == []


# --- people mentioned in passing ----------------------------------------------------------


@pytest.mark.parametrize("attribution", ["he said", "she said", "the official said"])
def test_pronoun_or_guess_skips_a_head_of_state_mentioned_in_passing(attribution):
    assert quotes(MAYOR, BENTON, f'"Nothing will change," {attribution}.') == [
        ("Elena Vasquez", "Nothing will change.", 2)
    ]


@pytest.mark.parametrize(
    "mention",
    [
        BENTON,
        "U.S. President Carl Benton visited the port on Friday.",  # opens the sentence
        "Kim Jong Un, the North Korean leader, ignored the sanctions.",
        "Pope Francis was invited to Seoul.",
    ],
)
def test_head_of_state_is_not_who_he_said_means(mention):
    assert quotes(CHEMIST, mention, '"Nothing will change," he said.')[0][0] == "Peter Lindqvist"


@pytest.mark.parametrize("attribution", ["Benton said", "the president said"])
def test_head_of_state_speaks_when_the_quote_is_attributed_to_him(attribution):
    assert quotes(MAYOR, BENTON, f'"Nothing will change," {attribution}.') == [
        ("Carl Benton", "Nothing will change.", 2)
    ]


def test_head_of_state_mentioned_in_passing_gets_no_continuing_quote():
    assert quotes(BENTON, '"Nothing will change this year, whatever anyone hopes."') == []


def test_role_synonym_does_not_reach_a_head_of_state_in_passing():
    assert quotes(MAYOR, CHEMIST, BENTON, '"Nothing will change," the official said.') == []


# --- according to -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraph",
    [
        '"Flights resume on Friday," according to Ivan Petrov, a port spokesman.',
        'According to Ivan Petrov, a port spokesman, "Flights resume on Friday."',
        'According to Ivan Petrov: "Flights resume on Friday."',
    ],
)
def test_according_to_attributes_the_quote(paragraph):
    assert quotes(paragraph) == [("Ivan Petrov", "Flights resume on Friday.", 0)]


def test_according_to_a_known_person_by_surname_or_role():
    assert quotes(RUIZ, '"Flights resume on Friday," according to Ruiz.')[0][0] == "Ana Ruiz"
    assert quotes(RUIZ, '"Flights resume," according to the minister.')[0][0] == "Ana Ruiz"


def test_according_to_someones_source_is_nobodys_quote():
    assert quotes(MAYOR, 'According to Vasquez\'s office, "The budget is balanced."') == []


def test_according_to_reported_speech_moves_the_speaker():
    text = 'According to Elena Vasquez, the budget is balanced. "We cut nothing."'
    assert quotes(text) == [("Elena Vasquez", "We cut nothing.", 0)]


# --- they, and organisations --------------------------------------------------------------


def test_they_said_is_ignored():
    assert quotes(MAYOR, '"Flights resume on Friday," they said.') == []


@pytest.mark.parametrize(
    "attribution",
    [
        "the ministry said in a statement",
        "according to the ministry",
        "according to KCNA",
    ],
)
def test_organisations_stay_non_speakers_even_after_their_minister(attribution):
    text = [RUIZ, '"We are ready," Ruiz said.', f'"Flights resume on Friday," {attribution}.']
    assert [speaker for speaker, _, _ in quotes(*text, '"Check your airline."')] == ["Ana Ruiz"]


# --- descriptions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraph, speaker, description",
    [
        (CHEMIST, "Peter Lindqvist", "chemist, a professor at Uppsala University"),
        ("Company spokesman Ivan Petrov said it would.", "Ivan Petrov", "company spokesman"),
        ("Rep. Jane Doe, R-Texas, said the bill had support.", "Jane Doe", "Rep., R-Texas"),
        (
            "Activist Hana Cho, founder of Open Doors, said so.",
            "Hana Cho",
            "activist, founder of Open Doors",
        ),
        ("South Korean President Moon Jae-in said so.", "Moon Jae-in", "South Korean President"),
        ("Ms. Ana Ruiz said the plant would reopen.", "Ana Ruiz", ""),
        ("Ana Ruiz said the plant would reopen.", "Ana Ruiz", ""),
    ],
)
def test_description_from_first_mention(paragraph, speaker, description):
    [quote] = extract_quotes([f'{paragraph} "That is all I can say about it."'])
    assert (quote.speaker, quote.speaker_description) == (speaker, description)


def test_description_comes_from_the_first_mention_that_has_one():
    text = ['"Water is short," Ana Ruiz said.', "Ana Ruiz, a hydrologist, said wells were dry."]
    text.append('"It has not rained since May," Ruiz said.')
    assert [q.speaker_description for q in extract_quotes(text)] == ["a hydrologist"] * 2


# --- who is never a speaker ---------------------------------------------------------------


def test_only_mentioned_people_are_never_speakers():
    text = [
        "The talks followed a summit between U.S. President Carl Benton and Premier Li Wen.",
        '"There will be no deal this year, whatever anyone hopes."',
    ]
    assert quotes(*text) == []


def test_excluded_names_such_as_bylines_are_never_speakers():
    text = '"It was a long night in the newsroom," Dana Whitfield said.'
    assert quotes(text, exclude=["Dana Whitfield"]) == []


def test_organisations_are_not_speakers_and_end_the_speaker_run():
    text = [
        '"We are ready," Elena Vasquez said.',
        '"Flights will resume on Friday," the ministry said.',
        '"Passengers should check with their airline first."',
    ]
    assert [speaker for speaker, _, _ in quotes(*text)] == ["Elena Vasquez"]


@pytest.mark.parametrize("org", ["KCNA", "the Environment Agency", "North Korea", "The Kremlin"])
def test_named_organisations_are_not_speakers(org):
    assert quotes(f'"The exercise was a provocation of the worst kind," {org} said.') == []


@pytest.mark.parametrize(
    "paragraph",
    [
        'Elena Vasquez said the budget was "out of reach" for most towns.',
        'Residents were "donated" to the cause, Elena Vasquez said.',
        'Workers started "as soon as they were up," Elena Vasquez said.',
        'Elena Vasquez called the plan "a good start."',
        'Elena Vasquez said the plan, "which nobody read," was dropped.',
    ],
)
def test_scare_quotes_and_partial_quotes_are_not_quotes(paragraph):
    assert quotes(paragraph) == []


def test_short_quote_needs_closing_punctuation():
    assert quotes('"Never," Elena Vasquez said.') == [("Elena Vasquez", "Never.", 0)]
    assert quotes('"guest workers" Elena Vasquez said') == []


def test_quote_dataclass_is_frozen():
    quote = WireQuote("A B", "", "Words.", 0)
    with pytest.raises(AttributeError):
        quote.text = "Other words."  # type: ignore[misc]


# --- the sample story and the fixtures ----------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    return parse_wire(sample_text(), today=datetime.date(2018, 11, 1))


def test_sample_has_exactly_two_speakers(sample):
    assert sorted({q.speaker for q in sample.quotes}) == ["Jung Kwang-il", "Roh Hoi-chang"]


def test_sample_speaker_descriptions(sample):
    descriptions = {q.speaker: q.speaker_description for q in sample.quotes}
    assert descriptions["Roh Hoi-chang"].startswith("a former central party secretary")
    assert "activist" in descriptions["Jung Kwang-il"]
    assert "No Chain" in descriptions["Jung Kwang-il"]


def test_sample_quotes_in_order(sample):
    # One entry per quote paragraph; the opening words identify each paragraph.
    expected = [
        ("Roh Hoi-chang", "Sanctions, to my knowledge"),  # "he said": Roh was introduced last
        ("Roh Hoi-chang", "We would sometimes get injured"),
        ("Roh Hoi-chang", "The meals consisted"),  # whole-paragraph quote continues Roh
        ("Roh Hoi-chang", "The deployment of overseas workers"),  # around "Roh said"
        ("Jung Kwang-il", "North Korea political prison camps"),
        ("Jung Kwang-il", "I don't know"),
        ("Jung Kwang-il", "Actually, North Koreans"),  # "the activist said"
        ("Jung Kwang-il", "It is regrettable"),  # the final paragraph continues Jung
    ]
    assert [
        (q.speaker, q.text[: len(start)])
        for q, (_, start) in zip(sample.quotes, expected, strict=True)
    ] == expected


def test_sample_quotes_point_at_their_paragraph_blocks(sample):
    for quote in sample.quotes:
        block = sample.blocks[quote.paragraph]
        assert block.type == "paragraph"
        assert quote.text.split()[0].strip(",") in block.text


def test_sample_quote_around_attribution_holds_both_sentences(sample):
    deployment = next(q for q in sample.quotes if q.text.startswith("The deployment"))
    assert deployment.text.endswith("imprisonment.")
    assert "Roh said" not in deployment.text


def test_sample_mentioned_people_are_not_speakers(sample):
    speakers = {q.speaker for q in sample.quotes}
    for name in ["Donald Trump", "Moon Jae-in", "Pope Francis", "Francis", "Elizabeth Shim"]:
        assert name not in speakers


def test_sample_scare_quotes_are_not_quotes(sample):
    for fragment in ["out of reach", "guest workers", "donated", "as soon as they were up"]:
        assert not any(q.text.startswith(fragment) for q in sample.quotes)


FIXTURE_SPEAKERS = {
    "port-cranes-two-bylines.txt": [
        ("Anke Vogel", "Transport Minister", 2),  # "the minister said"
        ("Dieter Schmitz", "who leads the port branch of the dockworkers\u2019 union", 5),
        ("Dieter Schmitz", "who leads the port branch of the dockworkers\u2019 union", 7),  # he
        ("Anke Vogel", "Transport Minister", 9),
    ],
    "drought-three-bylines.txt": [
        ("José Luis Ortega", "farmer, who works 40 hectares outside Jaén", 2),
        ("José Luis Ortega", "farmer, who works 40 hectares outside Jaén", 3),  # said Ortega
        ("Carmen Ruiz de la Fuente", "hydrologist", 5),  # she
        ("Carmen Ruiz de la Fuente", "hydrologist", 7),  # Ruiz
        ("José Luis Ortega", "farmer, who works 40 hectares outside Jaén", 8),  # he: not Ruiz
    ],
    "shipyard-korea-related.txt": [
        ("Park Seo-yeon", "chief executive of Hanbada Heavy Industries", 2),
        ("Lee Min-ho", "company spokesman", 6),  # the spokesman
        ("Lee Min-ho", "company spokesman", 7),  # continuation
        # 9 and 10: the ministry's words, and its continuation, are nobody's
        ("Park Seo-yeon", "chief executive of Hanbada Heavy Industries", 13),
    ],
    "congress-border-bill.txt": [
        ("Jane Doe", "Rep., R-Texas, who wrote the bill", 1),
        ("Jane Doe", "Rep., R-Texas, who wrote the bill", 2),
        ("Jane Doe", "Rep., R-Texas, who wrote the bill", 3),  # the unclosed quote continues
        ("Marcus Webb", "Sen., D-Ohio", 4),
        ("Marcus Webb", "Sen., D-Ohio", 6),
    ],
    "panda-cubs-one-per-line.txt": [
        ("Chen Jing", "zoo spokeswoman", 2),
        ("Chen Jing", "zoo spokeswoman", 4),
        ("Zhao Wen", "keeper, who has cared for the mother since 2015", 6),
        ("Zhao Wen", "keeper, who has cared for the mother since 2015", 7),
    ],
    "flood-relief-no-byline.txt": [
        ("Margaret Oyelaran", "67, a retired nurse", 3),
        ("Margaret Oyelaran", "67, a retired nurse", 5),  # the nurse
        ("Margaret Oyelaran", "67, a retired nurse", 6),
    ],
}


@pytest.mark.parametrize("name", sorted(FIXTURE_SPEAKERS))
def test_fixture_quotes(name):
    story = parse_wire(
        (WIRE_FIXTURES / name).read_text(encoding="utf-8"), today=datetime.date(2025, 1, 5)
    )
    found = [(q.speaker, q.speaker_description, q.paragraph) for q in story.quotes]
    assert found == FIXTURE_SPEAKERS[name]


def test_fixture_quote_texts_are_joined_and_punctuated():
    story = parse_wire(
        (WIRE_FIXTURES / "congress-border-bill.txt").read_text(encoding="utf-8"),
        today=datetime.date(2025, 1, 5),
    )
    assert [q.text for q in story.quotes][3:] == [
        "A tower is not a policy. We need judges and asylum officers, too.",
        "I think that a deal is still possible if both sides drop the slogans.",
    ]


def test_capitalised_title_stays_in_the_description():
    [quote] = extract_quotes(['Mayor Rolf Weber said it would. "That is all I can say about it."'])
    assert (quote.speaker, quote.speaker_description) == ("Rolf Weber", "Mayor")


def test_inverted_role_stops_at_the_comma():
    intro = "Activist Hana Cho, founder of Open Doors, said the shelters were full."
    text = [intro, MAYOR, '"Every bed is taken," said the activist, adding that more were needed.']
    assert quotes(*text) == [("Hana Cho", "Every bed is taken.", 2)]


def test_the_company_is_not_its_spokesman():
    intro = "Company spokesman Ivan Petrov said the plant would reopen."
    assert quotes(intro, MAYOR, '"Output will double by next year," the company said.') == []


# --- appositives, objects, unnamed people, shared surnames (issue 14) ---------------------


@pytest.mark.parametrize(
    "intro, speaker, description",
    [
        (
            "The company's finance director, Jane Roe, said profits fell.",
            "Jane Roe",
            "company's finance director",
        ),
        (
            "The mayor's spokesman, Lee Ji-ho, said the office was closed.",
            "Lee Ji-ho",
            "mayor's spokesman",
        ),
        ("The interior minister, Ana Ruiz, defended the plan.", "Ana Ruiz", "interior minister"),
    ],
)
def test_a_description_then_the_name_between_commas(intro, speaker, description):
    surname = speaker.split()[0] if "-" in speaker else speaker.split()[-1]
    [quote] = extract_quotes([intro, f'"We expected worse than this," {surname} said.'])
    assert (quote.speaker, quote.speaker_description) == (speaker, description)


def test_a_person_introduced_as_an_object_who_said():
    text = [
        "The port hired Ivan Petrov, a spokesman, who said the cranes were old.",
        '"Half of them date from the 1980s," Petrov said.',
    ]
    [quote] = extract_quotes(text)
    assert (quote.speaker, quote.speaker_description) == ("Ivan Petrov", "a spokesman")


def test_an_untitled_subject_is_found_by_surname_only():
    text = [
        "Sofia Lindqvist rejected the figures.",
        '"They counted the wrong ships," Lindqvist said.',
    ]
    assert quotes(*text) == [("Sofia Lindqvist", "They counted the wrong ships.", 1)]
    # Named in passing: a pronoun does not reach them.
    assert quotes(text[0], '"They counted the wrong ships," she said.') == []


@pytest.mark.parametrize(
    "unnamed",
    ["One resident said the water was brown.", "A local official said the pipes were old."],
)
def test_a_pronoun_after_an_unnamed_person_is_left_unattributed(unnamed):
    text = [MAYOR, unnamed, '"Nobody told us anything for a week," she said.']
    assert quotes(*text) == []


def test_a_qualified_role_nobody_holds_is_someone_new():
    text = [
        PETROV,
        '"The figures were wrong," the former minister said.',
        '"All of them," he said.',
    ]
    assert quotes(*text) == []


def test_a_surname_two_people_share_is_left_unattributed():
    text = [
        "Grace Okafor, a nurse, said the clinic was full.",
        "Her brother, Daniel Okafor, a driver, said he had helped.",
        '"I drove them all for free," Okafor said.',
        '"I drove them all for free," Daniel Okafor said.',
    ]
    assert quotes(*text) == [("Daniel Okafor", "I drove them all for free.", 3)]


def test_a_credited_block_quote_is_its_speakers():
    text = ["Ivan Petrov, a spokesman, said the cranes were old.", "\u201cThey are worn out.\u201d"]
    assert extract_quotes(text, cited={1: "Marit Jansen"})[0].speaker == "Marit Jansen"
    assert extract_quotes(text)[0].speaker == "Ivan Petrov"


def test_precision_is_total_over_every_fixture_and_recall_is_reported():
    """The key in tests/fixtures/wire/quote-speakers.json, scored as `make bench` scores it."""
    from bench.quotes_bench import score

    result = score()
    assert result["wrong"] == []
    assert result["precision"] == 1.0
    assert result["fixtures"] >= 12 and result["recall"] >= 0.95, result["missed"]
