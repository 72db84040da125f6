"""Quote attribution for wire copy: which person said which quoted words.

A small rule-based pass over a story's paragraphs, in order. It keeps a cast of the people
introduced so far ("Roh Hoi-chang, a former party secretary, told UPI ...") and resolves each
attribution against it. The rules, each with a one-line example:

* ``"Words," Roh said.`` / ``"Words," said Ivan Petrov, a spokesman.`` -- attribution after.
  The comma before an attribution stands for a period, so the text is ``Words.``
* ``Roh told reporters: "Words."`` / ``Roh said, "Words."`` -- attribution before.
* ``"Words," according to Roh.`` / ``According to Roh, "Words."`` -- "according to" attributes
  like a speech verb; ``according to Roh's source`` is nobody's, ``the ministry`` no person's.
* ``"First," Roh said. "Second."`` -- attribution between two quoted sentences: ONE quote,
  text ``First. Second.`` (the comma that stood for a period becomes one; after ``Roh said,``
  the sentence continues and the comma is dropped).
* ``Roh said`` -- a surname names the person introduced with it (Korean-style names such as
  ``Roh Hoi-chang`` are family-name-first, so ``Roh``; Western names use the last word).
* ``he said`` / ``she said`` -- the person most recently introduced or attributed, skipping
  one known to be of the other gender and people mentioned only in passing. When that is
  someone the copy never names (``One resident said``, ``a local chief said``), the quote stays
  unattributed: a pronoun never reaches back past a new person to a named one.
* ``the activist said`` -- the most recent person whose description holds that role word; when
  nobody's does and exactly one person has been introduced (not in passing), that person. A
  qualified role nobody holds (``the former minister said``) is someone new, as above.
* ``Roh said`` when two people share the surname (Grace and Daniel Okafor) -- nobody: an
  unclear referent is left for the editor.
* ``The company's finance director, Jane Roe, said`` -- a description, then the name between
  commas (the reverse appositive); so is ``The interior minister, Ana Ruiz, defended the plan.``
* ``hired Ivan Petrov, a spokesman, who said`` -- a person introduced as an object, speaking
  in a relative clause.
* ``Sofia Lindqvist rejected the figures.`` -- an untitled name opening a sentence is
  remembered in passing: ``Lindqvist said`` finds her, a pronoun or role word does not.
* A paragraph whose markup credits a speaker (NITF ``<bq>`` with ``<credit>``, a
  ``<blockquote>`` with ``<cite>``; ``cited=``) is that person's.
* ``Ivan Petrov, a spokesman for the port authority, was less hopeful.`` / ``Interior Minister
  Ana Ruiz defended the plan.`` -- a person who opens a sentence with an appositive that
  describes a person, or with a title or role, is introduced without a speech verb: later
  ``Petrov said``, ``the minister said`` or ``she said`` find them. Their entrance ends the
  current speaker's run.
* ``talks with U.S. President Carl Benton`` -- a titled name anywhere else is remembered in
  passing: only its name or the role word itself (``the president said``) finds it, never a
  pronoun, a role synonym, a continuing quote or a guess. Heads of state (``President``,
  ``Pope``, ``the North Korean leader``: ``attribution.DIGNITARY_WORDS``) stay in passing even
  when they open a sentence, until a quote is attributed to them.
* ``"Whole paragraph."`` -- a paragraph that is only a quote continues the last speaker; so
  does a quoted sentence after reported speech in the same paragraph (``Roh said X. "Y."``).
* ``"out of reach"`` -- a quote must open its sentence and be a whole utterance (five words or
  closing punctuation inside the marks), so scare quotes and partial quotes are skipped.
* Descriptions come from the first mention that has one: words before the name
  (``company spokesman Ivan Petrov`` -> ``company spokesman``) and an appositive after it
  (``Rep. Jane Doe, R-Texas,`` -> name ``Jane Doe``, description ``Rep., R-Texas``). Courtesy
  titles (Mr., Ms.) are dropped. A description from a mention in passing gives way to the
  first fuller one.

Only people who are attributed speech become speakers: names merely mentioned or introduced
("talks with U.S. President Donald Trump", "Minister X defended the plan") never do until a
quote is attributed to them, nor do names passed in ``exclude`` (the bylines), nor
organisations ("the ministry said in a statement", "according to KCNA"), which end the current
speaker's run instead. "they said" is ignored on purpose: a group is nobody's quote.

Known limits, all on purpose to keep the rules small: a person is introduced without a speech
verb only as a sentence's subject (an untitled one only in passing) or as the object of a "who
said" clause; a quote right after such an introduction, with no attribution, is dropped rather
than guessed; a company "President" counts as a head of state; an unknown single word ("Madonna
said") is not a person unless titled ("President Benton"); a capitalised group ("South Koreans
said") may be taken for a person; pronoun gender is known only from Mr./Ms., -man/-woman roles
or an earlier "he"/"she", so "she said" may mean a person whose gender is unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from articles.wire.attribution import (
    FEMININE,
    MASCULINE,
    PARTICLES,
    PRONOUNS,
    QUOTE_MARK,
    ROLE_NOUNS,
    ROLE_SYNONYMS,
    SPEECH_VERBS,
    WINDOW,
    Subject,
    clean_word,
    describe,
    ends_sentence,
    family_name_first,
    find_introductions,
    gender_of,
    is_dignitary,
    parse_according_to,
    parse_object,
    parse_subject,
)

__all__ = ["WireQuote", "extract_quotes"]


@dataclass(frozen=True)
class WireQuote:
    """Words a person said, as the story quotes them."""

    speaker: str  # full name as introduced, e.g. "Roh Hoi-chang"
    speaker_description: str  # description from the first mention that has one, or ""
    text: str  # the quoted words, without the quote marks
    paragraph: int  # index into the paragraph list given to extract_quotes()


RECALL = 50  # people searched for a surname, pronoun or role: recent ones only
_ANY_VERB = re.compile(rf"\b(?:{'|'.join(sorted(SPEECH_VERBS))}|according)\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    text: str


@dataclass
class _Person:
    name: str
    description: str
    gender: str  # "m", "f" or "" when unknown
    described_in_passing: bool = False  # a fuller description from a later mention may replace


def extract_quotes(
    paragraphs: list[str],
    *,
    exclude: Iterable[str] = (),
    cited: dict[int, str] | None = None,
) -> list[WireQuote]:
    """Return the attributed quotes in ``paragraphs``, in order.

    ``exclude`` names people (usually the bylines) who are never speakers.
    ``cited`` maps a paragraph index to the speaker its markup credits (a NITF ``<bq>`` with
    a ``<credit>``, an HTML ``<blockquote>`` with a ``<cite>``): that paragraph's quotes are
    theirs unless its own words attribute them. ``WireQuote.paragraph`` indexes ``paragraphs``.
    """
    cast = _Cast(exclude)
    cited = cited or {}
    found = [
        (speaker, text, index)
        for index, paragraph in enumerate(paragraphs)
        for speaker, text in _quotes_in_paragraph(paragraph, cast, cited.get(index))
    ]
    # Every quote of one speaker carries the story's description of them, even the quotes
    # that came before the paragraph that described them.
    return [WireQuote(s, cast.people[s].description, text, i) for s, text, i in found]


class _Cast:
    """The people introduced so far, and who is speaking now.

    Everyone named is remembered in ``recent``, where a name or a role word finds them. Only
    people who spoke or opened a sentence (``on_stage``) are found by a pronoun or a guess:
    a head of state mentioned in passing is not who "he said" means.
    """

    def __init__(self, exclude: Iterable[str]) -> None:
        self.exclude = {" ".join(name.split()).casefold() for name in exclude}
        self.people: dict[str, _Person] = {}
        self.recent: dict[str, None] = {}  # names, least recent first (an ordered set)
        self.on_stage: dict[str, None] = {}  # the same, for people a pronoun may mean
        self.current: str | None = None  # whose words an unattributed quote continues

    def resolve(self, subject: Subject | None) -> str | None:
        """The full name ``subject`` of a speech verb refers to, registering a new person if
        needed; that person is now on stage."""
        if subject is None:
            return None
        if subject.kind == "pronoun":
            gender = PRONOUNS[subject.words[0]]
            recall = islice(reversed(self.on_stage), RECALL)
            name = next((n for n in recall if self.people[n].gender in ("", gender)), None)
            if name and not self.people[name].gender and not _is_unnamed(name):
                self.people[name].gender = gender
        elif subject.kind == "role":
            name = self._by_role(subject.words[0], qualified=bool(subject.before))
        elif subject.kind == "name":
            name = self._by_name(subject)
        elif subject.kind == "unnamed":
            name = self._unnamed(subject.words[0])
        else:
            name = None
        if name is not None:
            self._remember(name, on_stage=True)
        return None if name is None or _is_unnamed(name) else name

    def _unnamed(self, role: str) -> str | None:
        """Put someone the copy never names on stage ("One resident said"): a pronoun or role
        word after them means them, or is unclear, but never reaches back to a named person.
        Before anyone is named it is the lede's "a defector said", whom the story names next."""
        if not any(not _is_unnamed(n) for n in self.on_stage):
            return None
        name = f"\x00unnamed {len(self.people)}"
        gender = "f" if role in FEMININE else "m" if role in MASCULINE else ""
        self.people[name] = _Person(name, role, gender)
        return name

    def introduce(self, subject: Subject, *, as_subject: bool) -> None:
        """Remember a person named without a speech verb. One who opens a sentence goes on
        stage (a head of state does not) and ends the current speaker's run, so the next
        unattributed quote is not handed to the wrong person."""
        name = self._by_name(subject, in_passing=not as_subject)
        if name is None:
            return
        on_stage = as_subject and not is_dignitary(subject)
        self._remember(name, on_stage=on_stage)
        if on_stage and name != self.current:
            self.current = None

    def _remember(self, name: str, *, on_stage: bool) -> None:
        for names in (self.recent, self.on_stage) if on_stage else (self.recent,):
            names.pop(name, None)
            names[name] = None

    def _recall(self) -> Iterator[str]:
        return islice(reversed(self.recent), RECALL)

    def _by_role(self, role: str, *, qualified: bool = False) -> str | None:
        if role not in ROLE_NOUNS:
            return None  # "the ministry said": an organisation, not a person
        wanted = {role} | ROLE_SYNONYMS.get(role, set())
        for name in self._recall():
            words = {w.strip(",;:()").lower() for w in self.people[name].description.split()}
            # Someone mentioned in passing answers only to the role word itself: "the official
            # said" is not the prime minister.
            if (wanted if name in self.on_stage else {role}) & (
                words | {w.rstrip("s") for w in words}
            ):
                return name
        if len(self.on_stage) == 1 and not qualified:
            return next(iter(self.on_stage))
        # Nobody answers to the role: someone new ("the former minister said").
        return self._unnamed(role)

    def _by_name(self, subject: Subject, *, in_passing: bool = False) -> str | None:
        full = " ".join(subject.words)
        if full.casefold() in self.exclude:
            return None
        if full in self.people:
            person = self.people[full]
        elif known := self._by_part(subject.words):
            person = self.people[known]
        elif len(subject.words) >= 2 or subject.titles:
            person = self.people[full] = _Person(full, "", "")
        else:
            return None  # an unknown single word ("Pyongyang said") is not a person
        # "Rep. Jane Doe, R-Texas, said": the attribution describes her better than the titled
        # mention found on the way to it, so a description from a mention in passing gives way.
        fresh = describe(subject)
        if fresh and (not person.description or person.described_in_passing):
            person.description = fresh
            person.described_in_passing = in_passing or subject.tentative
        if not person.gender:
            person.gender = gender_of(subject)
        return person.name

    def _by_part(self, words: tuple[str, ...]) -> str | None:
        """The person whose name starts or ends with ``words`` ("Roh", "Núñez"); None when
        two people share it ("Okafor" after Grace and Daniel Okafor): unclear is no one."""
        wanted = [w.casefold() for w in words]
        found = []
        for name in self._recall():
            parts = [p.casefold() for p in name.split() if p not in PARTICLES]
            if len(parts) <= len(wanted) or _is_unnamed(name):
                continue
            family = parts[:1] if family_name_first(name.split()) else []
            if wanted in (parts[-len(wanted) :], family, parts[-len(wanted) - 1 : -1]):
                found.append(name)
        return found[0] if len(found) == 1 else None


def _is_unnamed(name: str) -> bool:
    return name.startswith("\x00")


# --- one paragraph ------------------------------------------------------------------------


def _quotes_in_paragraph(
    paragraph: str, cast: _Cast, cited: str | None = None
) -> list[tuple[str, str]]:
    """(speaker, text) for each quote in ``paragraph``, updating ``cast`` as people speak."""
    spans = _find_spans(paragraph)
    spoke_here = False
    if cited and spans:
        # The markup names the speaker: '<bq><block>..</block><credit>Jansen</credit></bq>'.
        cast.current = cast.resolve(parse_object(cited.strip(" \u2014\u2013-").split()))
        spoke_here = cast.current is not None
    edges = [0, *(i for span in spans for i in (span.start, span.end)), len(paragraph)]
    gaps = [paragraph[edges[i] : edges[i + 1]] for i in range(0, len(edges), 2)]
    count = len(spans)
    whole = count == 1 and not gaps[0].strip() and not gaps[1].strip()
    speakers: list[str | None] = [None] * count
    attributed = [False] * count
    introduced = [False] * count  # "X said:" / "X said," stands right before span k
    joins = [""] * count  # span k continues span k-1 across "Roh said." / "he said,"
    for g, gap in enumerate(gaps):
        tokens = gap.split()
        opens = g == 0 or spans[g - 1].text[-1:] in (".", "?", "!")
        people = [
            (i, "introduced" if first else "named", subject)
            for i, subject, first in find_introductions(tokens, opens_sentence=opens)
        ]
        events = _gap_events(gap, has_prev=g > 0, has_next=g < count)
        for _, kind, subject in sorted(people + events, key=lambda event: event[0]):
            if kind in ("introduced", "named"):
                cast.introduce(subject, as_subject=kind == "introduced")
                continue
            name = cast.resolve(subject)
            cast.current = name
            spoke_here = spoke_here or name is not None
            if kind in ("after", "between"):
                speakers[g - 1], attributed[g - 1] = name, True
            if kind in ("before", "between"):
                speakers[g], attributed[g], introduced[g] = name, True, True
            if kind == "between":
                joins[g] = gap.rstrip()[-1]
        if g < count and not attributed[g] and (whole or spoke_here):
            speakers[g] = cast.current  # may still be overridden by "..., X said" after it
    valid = [
        _opens_sentence(gaps[k], spans[k - 1] if k else None, introduced[k])
        and _is_utterance(span.text)
        for k, span in enumerate(spans)
    ]
    return _join(spans, speakers, joins, valid)


def _find_spans(paragraph: str) -> list[_Span]:
    """Quoted stretches: straight quotes alternate; curly ones open and close. An unclosed
    quote runs to the end of the paragraph (a quote continued in the next paragraph)."""
    spans: list[_Span] = []
    start: int | None = None
    for mark in QUOTE_MARK.finditer(paragraph):
        char, at = mark.group(), mark.start()
        if start is None and char != "\u201d":
            start = at
        elif start is not None and char != "\u201c":
            spans.append(_Span(start, at + 1, paragraph[start + 1 : at].strip()))
            start = None
    if start is not None:
        spans.append(_Span(start, len(paragraph), paragraph[start + 1 :].strip()))
    return spans


def _opens_sentence(gap: str, previous: _Span | None, introduced: bool) -> bool:
    """A quote counts only if it starts a sentence or follows "X said:" / "X said,"."""
    text = gap.rstrip()
    if not text:
        return previous is None or previous.text[-1:] in (".", "?", "!")
    return text[-1] in ".!?:" or (introduced and text[-1] == ",")


def _is_utterance(text: str) -> bool:
    """Five words, or closing punctuation inside the marks: not a scare quote."""
    return len(text.split()) >= 5 or text[-1:] in (".", ",", "?", "!")


def _gap_events(gap: str, *, has_prev: bool, has_next: bool) -> list[tuple[int, str, Subject]]:
    """The speech verbs in the text between two quotes, in order, each with its token index,
    its role and its subject: "after" (attributes the quote before), "before" (the quote
    after), "between" (both), or "mention" (reported speech: it only moves the current
    speaker). "according to X" attributes like a speech verb."""
    if not _ANY_VERB.search(gap):
        return []  # most gaps: skip the word-by-word scan
    tokens = gap.split()
    start = 1 if tokens[:1] == [","] else 0  # '"Yes" , he said' with the comma outside
    verbs = [i for i in range(start, len(tokens)) if clean_word(tokens[i]).lower() in SPEECH_VERBS]
    events = _according_to(tokens, start, gap.rstrip()[-1:], has_prev=has_prev, has_next=has_next)
    for i in verbs:
        kind, subject = "mention", None
        if i == verbs[0] and has_prev:
            if i == start:
                subject = parse_object(tokens[i + 1 : i + WINDOW])
            elif i - start <= WINDOW:
                subject = parse_subject(tokens[start:i], whole=True)
            kind = "after" if subject else kind
        if subject is None:
            subject = parse_subject(tokens[max(start, i - WINDOW) : i], whole=False)
        if subject is None:
            continue
        # 'X said: "..."' may name an audience or a setting ("said in a statement:"); before
        # a comma, only one word may follow the verb ("told reporters,", "said Tuesday,").
        # An inverted '"...," said X, "..."' has only X after the verb.
        ending, unbroken = gap.rstrip()[-1:], not any(ends_sentence(t) for t in tokens[i:-1])
        short = i == start or len(tokens) - i - 1 <= (1 if ending == "," else 4)
        if i == verbs[-1] and has_next and unbroken and short:
            if kind == "after" and ending in (".", ",", ":"):
                kind = "between"
            elif kind == "mention" and ending in (",", ":"):
                kind = "before"
        events.append((i, kind, subject))
    return sorted(events, key=lambda event: event[0])


def _according_to(
    tokens: list[str], start: int, ending: str, *, has_prev: bool, has_next: bool
) -> list[tuple[int, str, Subject]]:
    """'"Words," according to X.' attributes the quote before; 'According to X, "Words."'
    the quote after (a sentence of the name and a short description only); elsewhere it is
    reported speech, like "X said" in the middle of a paragraph."""
    events: list[tuple[int, str, Subject]] = []
    for i in range(start, len(tokens) - 2):
        if clean_word(tokens[i]).lower() != "according" or clean_word(tokens[i + 1]) != "to":
            continue
        subject = parse_according_to(tokens[i + 2 : i + 26])  # a name and a short description
        if subject is None:
            continue  # "according to Roh's source"
        tail = tokens[i:] if len(tokens) - i <= 14 else []  # "According to X, a spokesman,"
        opens = i == start or ends_sentence(tokens[i - 1])
        if i == start and has_prev:
            kind = "after"
        elif (
            has_next
            and tail
            and opens
            and ending in (",", ":")
            and (not any(ends_sentence(token) for token in tail[:-1]))
        ):
            kind = "before"
        else:
            kind = "mention"
        events.append((i, kind, subject))
    return events


def _join(
    spans: list[_Span], speakers: list[str | None], joins: list[str], valid: list[bool]
) -> list[tuple[str, str]]:
    """Merge quotes split by their attribution into one; keep quotes that count."""
    out: list[tuple[str, str, int]] = []
    for k, span in enumerate(spans):
        speaker, text = speakers[k], span.text
        if not valid[k] or speaker is None:
            continue
        if joins[k] and out and out[-1][2] == k - 1 and out[-1][0] == speaker:
            first = out.pop()[1]
            if first.endswith(","):  # "A," he said. "B." -> "A. B."; "A," he said, "b." -> "A b."
                first = first[:-1] + ("" if joins[k] == "," else ".")
            text = f"{first} {text}"
        out.append((speaker, text, k))
    # The comma before an attribution stands for a period: '"We won," he said.' -> "We won."
    return [(speaker, text[:-1] + "." if text.endswith(",") else text) for speaker, text, _ in out]
