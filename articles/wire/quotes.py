"""Quote attribution for wire copy: which person said which quoted words.

A small rule-based pass over a story's paragraphs, in order. It keeps a cast of the people
introduced so far ("Roh Hoi-chang, a former party secretary, told UPI ...") and resolves each
attribution against it. The rules, each with a one-line example:

* ``"Words," Roh said.`` / ``"Words," said Ivan Petrov, a spokesman.`` -- attribution after.
  The comma before an attribution stands for a period, so the text is ``Words.``
* ``Roh told reporters: "Words."`` / ``Roh said, "Words."`` -- attribution before.
* ``"First," Roh said. "Second."`` -- attribution between two quoted sentences: ONE quote,
  text ``First. Second.`` (the comma that stood for a period becomes one; after ``Roh said,``
  the sentence continues and the comma is dropped).
* ``Roh said`` -- a surname names the person introduced with it (Korean-style names such as
  ``Roh Hoi-chang`` are family-name-first, so ``Roh``; Western names use the last word).
* ``he said`` / ``she said`` -- the person most recently introduced or attributed, skipping
  one known to be of the other gender.
* ``the activist said`` -- the most recent person whose description holds that role word; when
  nobody's does and exactly one person has been introduced, that person.
* ``"Whole paragraph."`` -- a paragraph that is only a quote continues the last speaker; so
  does a quoted sentence after reported speech in the same paragraph (``Roh said X. "Y."``).
* ``"out of reach"`` -- a quote must open its sentence and be a whole utterance (five words or
  closing punctuation inside the marks), so scare quotes and partial quotes are skipped.
* Descriptions come from the first mention that has one: words before the name
  (``company spokesman Ivan Petrov`` -> ``company spokesman``) and an appositive after it
  (``Rep. Jane Doe, R-Texas,`` -> name ``Jane Doe``, description ``Rep., R-Texas``). Courtesy
  titles (Mr., Ms.) are dropped.

Only people who are attributed speech become speakers: names merely mentioned ("talks with
U.S. President Donald Trump") never do, nor do names passed in ``exclude`` (the bylines), nor
organisations ("the ministry said", "KCNA said"), which end the current speaker's run instead.

Known limits, all on purpose to keep the rules small: a person is introduced only by a speech
verb (``attribution.SPEECH_VERBS``), so "Minister X defended the plan" followed by "the minister
said" finds nobody unless X is the only person so far; "according to X" is not an attribution;
an unknown single word ("Madonna said") is not a person unless titled ("President Benton");
a capitalised group ("South Koreans said") may be taken for a person; "they said" is ignored;
pronoun gender is known only from Mr./Ms., -man/-woman roles or an earlier "he"/"she".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from articles.wire.attribution import (
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
    gender_of,
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
_ANY_VERB = re.compile(rf"\b(?:{'|'.join(sorted(SPEECH_VERBS))})\b", re.IGNORECASE)


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


def extract_quotes(paragraphs: list[str], *, exclude: Iterable[str] = ()) -> list[WireQuote]:
    """Return the attributed quotes in ``paragraphs``, in order.

    ``exclude`` names people (usually the bylines) who are never speakers.
    ``WireQuote.paragraph`` indexes ``paragraphs``.
    """
    cast = _Cast(exclude)
    found = [
        (speaker, text, index)
        for index, paragraph in enumerate(paragraphs)
        for speaker, text in _quotes_in_paragraph(paragraph, cast)
    ]
    # Every quote of one speaker carries the story's description of them, even the quotes
    # that came before the paragraph that described them.
    return [WireQuote(s, cast.people[s].description, text, i) for s, text, i in found]


class _Cast:
    """The people introduced so far, and who is speaking now."""

    def __init__(self, exclude: Iterable[str]) -> None:
        self.exclude = {" ".join(name.split()).casefold() for name in exclude}
        self.people: dict[str, _Person] = {}
        self.recent: dict[str, None] = {}  # names, least recent first (an ordered set)
        self.current: str | None = None  # whose words an unattributed quote continues

    def resolve(self, subject: Subject | None) -> str | None:
        """The full name ``subject`` refers to, registering a new person if needed."""
        if subject is None:
            return None
        if subject.kind == "pronoun":
            gender = PRONOUNS[subject.words[0]]
            name = next((n for n in self._recall() if self.people[n].gender in ("", gender)), None)
            if name and not self.people[name].gender:
                self.people[name].gender = gender
        elif subject.kind == "role":
            name = self._by_role(subject.words[0])
        elif subject.kind == "name":
            name = self._by_name(subject)
        else:
            name = None
        if name is not None:
            self.recent.pop(name, None)
            self.recent[name] = None
        return name

    def _recall(self) -> Iterator[str]:
        return islice(reversed(self.recent), RECALL)

    def _by_role(self, role: str) -> str | None:
        if role not in ROLE_NOUNS:
            return None  # "the ministry said": an organisation, not a person
        wanted = {role} | ROLE_SYNONYMS.get(role, set())
        for name in self._recall():
            words = {w.strip(",;:()").lower() for w in self.people[name].description.split()}
            if wanted & (words | {w.rstrip("s") for w in words}):
                return name
        return next(iter(self.recent)) if len(self.recent) == 1 else None

    def _by_name(self, subject: Subject) -> str | None:
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
        if not person.description:
            person.description = describe(subject)
        if not person.gender:
            person.gender = gender_of(subject)
        return person.name

    def _by_part(self, words: tuple[str, ...]) -> str | None:
        """The most recent person whose name starts or ends with ``words`` ("Roh", "Núñez")."""
        wanted = [w.casefold() for w in words]
        for name in self._recall():
            parts = [p.casefold() for p in name.split() if p not in PARTICLES]
            if len(parts) <= len(wanted):
                continue
            family = parts[:1] if family_name_first(name.split()) else []
            if wanted in (parts[-len(wanted) :], family, parts[-len(wanted) - 1 : -1]):
                return name
        return None


# --- one paragraph ------------------------------------------------------------------------


def _quotes_in_paragraph(paragraph: str, cast: _Cast) -> list[tuple[str, str]]:
    """(speaker, text) for each quote in ``paragraph``, updating ``cast`` as people speak."""
    spans = _find_spans(paragraph)
    edges = [0, *(i for span in spans for i in (span.start, span.end)), len(paragraph)]
    gaps = [paragraph[edges[i] : edges[i + 1]] for i in range(0, len(edges), 2)]
    count = len(spans)
    whole = count == 1 and not gaps[0].strip() and not gaps[1].strip()
    speakers: list[str | None] = [None] * count
    attributed = [False] * count
    introduced = [False] * count  # "X said:" / "X said," stands right before span k
    joins = [""] * count  # span k continues span k-1 across "Roh said." / "he said,"
    spoke_here = False
    for g, gap in enumerate(gaps):
        for kind, subject in _gap_events(gap, has_prev=g > 0, has_next=g < count):
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


def _gap_events(gap: str, *, has_prev: bool, has_next: bool) -> list[tuple[str, Subject]]:
    """The speech verbs in the text between two quotes, in order, each with its subject and
    its role: "after" (attributes the quote before), "before" (the quote after), "between"
    (both), or "mention" (reported speech: it only moves the current speaker)."""
    if not _ANY_VERB.search(gap):
        return []  # most gaps: skip the word-by-word scan
    tokens = gap.split()
    start = 1 if tokens[:1] == [","] else 0  # '"Yes" , he said' with the comma outside
    verbs = [i for i in range(start, len(tokens)) if clean_word(tokens[i]).lower() in SPEECH_VERBS]
    events: list[tuple[str, Subject]] = []
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
        events.append((kind, subject))
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
