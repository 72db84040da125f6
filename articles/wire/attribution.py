"""Reading one attribution: the person reference next to a speech verb.

``parse_subject(["Roh", "Hoi-chang,", "a", "former", "party", "secretary,"])`` is the name
``Roh Hoi-chang`` with the description ``a former party secretary``; ``["the", "activist"]``
is a role; ``["he"]`` a pronoun; ``["KCNA"]`` something that speaks but is no person.
``quotes.py`` decides which quote an attribution belongs to and whom it refers to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


def _words(text: str) -> frozenset[str]:
    """A word list written as one string, for readability."""
    return frozenset(text.split())


SPEECH_VERBS = _words(
    "said says told added asked explained noted wrote stated insisted warned argued recalled "
    "continued replied acknowledged admitted declared claimed stressed emphasized urged "
    "testified tweeted countered cautioned conceded observed remarked"
)
PRONOUNS = {"he": "m", "she": "f"}
# Words that may sit between the speaker and the verb: "Roh also said".
ADVERBS = _words("also later then previously earlier once further again has had")
# Role nouns that can refer back to a person ("the defector said").
ROLE_NOUNS = _words(
    "defector activist spokesman spokeswoman spokesperson minister official lawmaker senator "
    "congressman congresswoman president mayor governor ambassador diplomat analyst expert "
    "researcher professor lawyer attorney witness survivor doctor executive founder chairman "
    "chairwoman director officer commander general leader prosecutor judge economist scientist "
    "teacher student resident farmer worker author historian journalist coach owner manager "
    "refugee pastor priest monk nurse engineer pilot veteran keeper "
    "fisherman physician surgeon architect designer photographer volunteer organizer driver "
    "miner soldier trader banker investor entrepreneur writer poet singer musician producer "
    "curator librarian midwife paramedic firefighter detective ranger mechanic electrician "
    "welder carpenter shopkeeper vendor chef principal villager neighbor protester "
    "negotiator adviser advisor consultant pollster lecturer"
)
# Words that open a mention of someone never named: "One resident said", "a local chief said".
UNNAMED_OPENERS = _words("a an one another some two three several many")
# Words that open a description but refer to nobody: "Company spokesman Lee Min-ho".
DESCRIPTIVE_WORDS = _words("company former senior longtime retired acting")
ROLE_SYNONYMS = {
    "lawmaker": {"rep.", "sen.", "representative", "senator", "congressman", "congresswoman"},
    "senator": {"sen."},
    "congressman": {"rep."},
    "congresswoman": {"rep."},
    "official": {"spokesman", "spokeswoman", "spokesperson", "minister", "secretary"},
}
# Capitalised words that precede a name but are not part of it.
TITLE_WORDS = _words(
    "President Vice Prime Minister Secretary General Gen. Lt. Col. Maj. Capt. Sgt. Adm. Cmdr. "
    "Rep. Sen. Gov. Mayor Governor Senator Representative Judge Justice Chief Director "
    "Ambassador Chancellor Pope King Queen Prince Princess Sheikh Chairman Chairwoman Chair "
    "Speaker Leader Deputy Dr. Prof. Professor Rev. Father Sister Bishop Cardinal Archbishop "
    "Spokesman Spokeswoman Spokesperson Commissioner Envoy Premier Congressman Congresswoman "
    "Coach CEO Mr. Mrs. Ms. Miss Mx. Sir Dame Former U.S. U.N. U.K. E.U."
)
COURTESY = {"Mr.": "m", "Mrs.": "f", "Ms.": "f", "Miss": "f", "Mx.": ""}
# A "name" holding one of these is an organisation or a place, not a person.
ORG_WORDS = _words(
    "Korea Ministry Department Office International Watch Nations Council Agency News Party "
    "Committee Government House Union Bureau Service Times Post Inc. Corp. Co. Group Bank "
    "University Institute Association Commission Organization Foundation Center Centre Command "
    "Police Court Embassy Kremlin Pentagon Company Network Federation Forces Army Navy Staff "
    "Press Board Authority Administration Republic States Kingdom Assembly Parliament Congress "
    "Senate Fund Society Airlines Reuters"
)
# Capitalised words that start sentences or name days; they stop a name or a description.
STOP_WORDS = _words(
    "the a an this that these those but and or so yet meanwhile however still when while after "
    "before if then as on in at to from with by for of according during because since until "
    "who which where said says told monday tuesday wednesday thursday friday saturday sunday "
    "january february march april may june july august september october november december"
)
PARTICLES = _words("de van von der den da del della la le du dos di ter ten bin ibn al y")
ABBREVIATIONS = _words(
    "mr mrs ms mx dr rep sen gov gen lt col maj capt sgt adm cmdr rev prof st jr sr "
    "jan feb mar apr aug sep sept oct nov dec no inc corp co ltd mt ft"
)
KIN = _words("brother sister son daughter wife husband father mother uncle aunt cousin widow")
FEMININE = _words("spokeswoman chairwoman congresswoman businesswoman actress mother")
MASCULINE = _words("spokesman chairman congressman businessman actor father")
# Heads of state and the like, whom stories mention in passing: a pronoun or a guess never
# refers to them, only their name or the role word itself ("the president said").
DIGNITARY_WORDS = _words(
    "president premier prime chancellor pope king queen prince princess emperor monarch "
    "sheikh leader"
)
MAX_DESCRIPTION_WORDS = 40
WINDOW = 60  # words before a verb that can hold its subject; keeps huge input linear
QUOTE_MARK = re.compile('["\u201c\u201d]')
_WORD_EDGES = "\"'()[]{}\u201c\u201d\u2018\u2019"


@dataclass(frozen=True)
class Subject:
    """Who a speech verb belongs to, as the copy puts it (not yet resolved to a person)."""

    kind: str  # "pronoun" | "role" | "name" | "other" (an organisation or place)
    words: tuple[str, ...] = ()  # the name, or (role noun,), or (pronoun,)
    titles: tuple[str, ...] = ()  # capitalised titles inside the name run: ("Rep.",)
    before: str = ""  # words before the name: "company spokesman"
    after: str = ""  # appositive: "a former central party secretary"
    # Found in a relative clause ("X, a consultant, who said"): a fuller description from a
    # later mention may replace this one.
    tentative: bool = False


def family_name_first(words: list[str]) -> bool:
    """Korean-style names ("Roh Hoi-chang", "Moon Jae-in") put the family name first."""
    given = words[-1]
    return 2 <= len(words) <= 3 and "-" in given and given.split("-", 1)[1][:1].islower()


def describe(subject: Subject) -> str:
    """ "company spokesman", "Rep., R-Texas": words before the name, titles, appositive."""
    titles = [t for t in subject.titles if t not in COURTESY]
    before = " ".join(filter(None, [subject.before, " ".join(titles)]))
    return ", ".join(filter(None, [before, subject.after]))


def gender_of(subject: Subject) -> str:
    """ "m" or "f" when a courtesy title or a gendered role says so, else ""."""
    for title in subject.titles:
        if title in COURTESY:
            return COURTESY[title]
    words = set(f"{subject.before} {subject.after}".lower().replace(",", " ").split())
    return "f" if words & FEMININE else "m" if words & MASCULINE else ""


def is_dignitary(subject: Subject) -> bool:
    """ "U.S. President Carl Benton", "Kim Jong Un, the North Korean leader": a head of state."""
    head = []  # the appositive up to "for"/"of": "a spokesman for the president" is no president
    for word in subject.after.replace(",", " ").split():
        if word.lower() in STOP_WORDS - {"a", "an", "the"}:
            break
        head.append(word)
    words = [*subject.titles, *subject.before.split(), *head]
    return any(clean_word(word).lower() in DIGNITARY_WORDS for word in words)


# --- subjects: who a speech verb belongs to -------------------------------------------------


def parse_subject(tokens: list[str], *, whole: bool) -> Subject | None:
    """The person reference ending ``tokens`` (the words before a speech verb). With
    ``whole``, the reference must be all of ``tokens`` (text right after a quote)."""
    tokens = list(tokens)
    while tokens and clean_word(tokens[-1]).lower() in ADVERBS and not _is_boundary(tokens[-1]):
        tokens.pop()  # "Roh also said"
    if not tokens or _is_boundary(tokens[-1]) and not tokens[-1].endswith(","):
        return None
    word = clean_word(tokens[-1])
    if word.lower() in PRONOUNS and not _is_boundary(tokens[-1]):
        return Subject("pronoun", (word.lower(),)) if not whole or len(tokens) == 1 else None
    if word.lower() == "who" and len(tokens) > 1 and tokens[-2].endswith(","):
        return _object_subject(tokens[:-1])  # "hired Ivan Petrov, a spokesman, who said"
    if word.islower() and not _is_boundary(tokens[-1]):
        return _role_before(tokens, whole) or _unnamed(tokens)
    if tokens[-1].endswith(","):
        return _described_name(tokens) or _appositive_subject(tokens, whole)
    subject = _name_subject(tokens, len(tokens) - 1, whole, after="")
    if subject is None and word[:1].isupper() and (not whole or len(tokens) <= 6):
        return Subject("other")  # "KCNA said", "North Korea said": speaks, is no person
    return subject


def _unnamed(tokens: list[str]) -> Subject | None:
    """ "One resident", "a local chief", "Another official": someone the copy never names.
    Not a speaker, but a pronoun after them must not reach back past them to a named person."""
    start = len(tokens) - 1
    while start > 0 and start > len(tokens) - 5 and not _is_boundary(tokens[start - 1]):
        start -= 1
    words = [clean_word(t).lower() for t in tokens[start:]]
    if len(words) >= 2 and words[0] in UNNAMED_OPENERS and all(w.isalpha() for w in words):
        return Subject("unnamed", (words[-1],))
    return None


def _described_name(tokens: list[str]) -> Subject | None:
    """ "The company's finance director, Jane Roe," -- a description, then the name between
    commas (the reverse appositive)."""
    name_end = len(tokens) - 1
    start = name_end
    while start > 0 and not _is_boundary(tokens[start - 1]):
        start -= 1
    if start == 0 or not tokens[start - 1].endswith(","):
        return None
    subject = _name_subject(tokens, name_end, False, after="")
    if subject is None or len(subject.words) + len(subject.titles) != name_end - start + 1:
        return None
    if len(subject.words) < 2 and not subject.titles:
        return None
    first = start - 1
    while first > 0 and start - first < 9 and not _is_boundary(tokens[first - 1]):
        first -= 1
    description = [clean_word(t) for t in tokens[first:start]]
    if not _describes_a_person(" ".join(description)):
        return None
    if description and description[0].lower() in ("the", "a", "an"):
        description = description[1:]
    return Subject("name", subject.words, subject.titles, " ".join(description), "")


def _object_subject(tokens: list[str]) -> Subject | None:
    """ "... hired Ivan Petrov, a spokesman," / "... met Ivan Petrov," (before "who said")."""
    for i in range(len(tokens) - 1, max(-1, len(tokens) - MAX_DESCRIPTION_WORDS), -1):
        if ends_sentence(tokens[i]) or QUOTE_MARK.search(tokens[i]):
            return None
        if tokens[i].endswith(",") and _is_name_word(clean_word(tokens[i])):
            after = " ".join(tokens[i + 1 :]).removesuffix(",")
            subject = _name_subject(tokens, i, False, after=after)
            if subject is not None and (len(subject.words) > 1 or subject.titles):
                # Words before an object are its sentence's, not its description ("hired").
                before = subject.before if all(_is_role(w) for w in subject.before.split()) else ""
                return Subject("name", subject.words, subject.titles, before, after, True)
    return None


def _role_before(tokens: list[str], whole: bool) -> Subject | None:
    """ "the activist", "the former minister": the last word is the role."""
    for j in range(len(tokens) - 2, max(-1, len(tokens) - 6), -1):
        word = clean_word(tokens[j])
        if word.lower() == "the" and (j == 0 or not whole):
            qualifier = " ".join(clean_word(t) for t in tokens[j + 1 : -1])
            return Subject("role", (clean_word(tokens[-1]).lower(),), before=qualifier)
        if not word.islower() or _is_boundary(tokens[j]):
            break
    return None


def _appositive_subject(tokens: list[str], whole: bool) -> Subject | None:
    """ "Roh Hoi-chang, a former party secretary," -- the name before the first comma that
    makes a name (two words or a title; else a single known surname)."""
    candidates = []
    for i in range(len(tokens) - 2, max(-1, len(tokens) - MAX_DESCRIPTION_WORDS - 2), -1):
        if ends_sentence(tokens[i]) or QUOTE_MARK.search(tokens[i]):
            break
        if tokens[i].endswith(","):
            after = " ".join(tokens[i + 1 :]).removesuffix(",")
            subject = _name_subject(tokens, i, whole, after=after)
            if subject is not None:
                candidates.append(subject)
    full = [s for s in candidates if len(s.words) > 1 or s.titles]
    return (full or candidates or [None])[0]


def parse_object(tokens: list[str]) -> Subject | None:
    """The person after an inverted verb: '"...," said Ivan Petrov, a company spokesman.'"""
    words: list[str] = []
    for token in tokens:
        words.append(token)
        if ends_sentence(token) or QUOTE_MARK.search(token):
            break
    if not words:
        return None
    first = clean_word(words[0]).lower()
    if first in PRONOUNS:
        return Subject("pronoun", (first,))
    if first == "the" and len(words) > 1 and clean_word(words[1]).islower():
        role = words[1]  # "the activist", "the former minister"
        for token in words[2:4]:
            if _is_boundary(role) or not clean_word(token).islower():
                break
            role = token
        return Subject("role", (clean_word(role).lower(),))
    start = next((i for i, w in enumerate(words[:5]) if _is_name_word(clean_word(w))), None)
    if start is None or any(clean_word(w).lower() in STOP_WORDS for w in words[:start]):
        return None
    end = start
    while end + 1 < len(words) and not _is_boundary(words[end]):
        if not (
            _is_name_word(clean_word(words[end + 1])) or clean_word(words[end + 1]) in PARTICLES
        ):
            break
        end += 1
    parts = _split_run([clean_word(w) for w in words[start : end + 1]])
    if parts is None:
        return None
    after = " ".join(words[end + 1 :]) if words[end].endswith(",") else ""
    before = " ".join(clean_word(w) for w in words[:start])
    return Subject("name", parts[1], parts[0], before, after.rstrip(".").strip())


def parse_according_to(tokens: list[str]) -> Subject | None:
    """The source after "according to": a person ("Ivan Petrov, a spokesman."), a role ("the
    minister") or something that is no person ("the ministry", "KCNA"). None for a source
    that only belongs to someone ("Roh's source")."""
    subject = parse_object(tokens)
    if subject is None:
        first = clean_word(tokens[0]) if tokens else ""
        return Subject("other") if first[:1].isupper() and not _is_possessive(first) else None
    if any(_is_possessive(word) for word in subject.words):
        return None
    return Subject(
        subject.kind,
        subject.words,
        subject.titles,
        subject.before,
        subject.after.rstrip(",:").strip(),
    )


# --- introductions: people named without a speech verb --------------------------------------


def find_introductions(
    tokens: list[str], *, opens_sentence: bool
) -> list[tuple[int, Subject, bool]]:
    """People ``tokens`` name without a speech verb, as (token index, subject, as_subject).

    ``as_subject``: the person opens a sentence with an appositive ("Ivan Petrov, a spokesman
    for the port authority, was less hopeful.") or a title or role ("Interior Minister Ana Ruiz
    defended the plan."). Otherwise a titled name anywhere ("talks with U.S. President Carl
    Benton"): a mention in passing. Each check looks at a few words only, so this is linear.
    """
    found: list[tuple[int, Subject, bool]] = []
    covered = -1  # tokens up to here belong to a name already found
    for i, token in enumerate(tokens):
        if i <= covered:
            continue
        starts = (i == 0 and opens_sentence) or (i > 0 and ends_sentence(tokens[i - 1]))
        if starts and (opening := _sentence_subject(tokens, i)):
            found.append((i, opening[0], opening[2]))
            covered = opening[1]
            continue
        if clean_word(token) in TITLE_WORDS:
            end = _run_end(tokens, i)
            context = max(0, i - 6)  # "South Korean" before "President Moon Jae-in"
            subject = _name_subject(tokens[context : end + 1], end - context, False, after="")
            if subject is not None and not _is_possessive(subject.words[-1]):
                found.append((i, subject, False))
            covered = end
    return found


def _sentence_subject(tokens: list[str], i: int) -> tuple[Subject, int, bool] | None:
    """The person opening the sentence at ``tokens[i]``, the index of the last token of the
    name or appositive, and whether they are introduced (on stage) or only named in passing;
    after a short opening phrase ("On Monday,") too."""
    opening = i
    if clean_word(tokens[i]).lower() in STOP_WORDS:
        comma = next((j for j in range(i, min(i + 9, len(tokens))) if _is_boundary(tokens[j])), -1)
        if comma < 0 or not tokens[comma].endswith(",") or comma + 1 >= len(tokens):
            return None
        i = comma + 1
    j = i
    while j < min(i + 4, len(tokens)) and (
        _is_role(clean_word(tokens[j]))
        or tokens[j].lower() == "and"
        or (j == i and j + 1 < len(tokens) and _is_lower_role(clean_word(tokens[j + 1])))
    ):
        j += 1  # "Company spokesman Ivan Petrov", "Culture minister Ana Ruiz", "Defector and ..."
    if j >= len(tokens) or not _is_name_word(clean_word(tokens[j])):
        return None
    end = _run_end(tokens, j)
    if _is_possessive(clean_word(tokens[end])):
        return None  # "Interior Minister Ana Ruiz's plan"
    if tokens[end].endswith(","):
        if opening < i and end + 1 < len(tokens) and _is_verb(tokens[end + 1]):
            # "The interior minister, Ana Ruiz, defended the plan."
            described = _described_name(tokens[opening : end + 1])
            return (described, end, True) if described else None
        found = _appositive_opening(tokens, i, end)
        return (*found, True) if found else None
    if end + 1 >= len(tokens) or not _is_verb(tokens[end + 1]):
        return None
    subject = _name_subject(tokens[i : end + 1], end - i, True, after="")
    if subject is None:
        return None
    if not (subject.titles or subject.before):
        # A bare name may be a place ("New Delhi was quiet"): remembered in passing, so only
        # its surname finds it ("Ruiz said"), never a pronoun or a role word.
        return (subject, end, False) if len(subject.words) >= 2 else None
    return subject, end, True


def _appositive_opening(tokens: list[str], i: int, end: int) -> tuple[Subject, int] | None:
    """ "Ivan Petrov, a spokesman for the port authority, was" -- name, appositive, verb."""
    if end + 1 < len(tokens) and _is_verb(tokens[end + 1]):
        return None  # "... Ana Ruiz, defended": the comma closed an opening description
    for k in range(end + 1, min(end + MAX_DESCRIPTION_WORDS, len(tokens) - 1)):
        if ends_sentence(tokens[k]) or QUOTE_MARK.search(tokens[k]):
            return None
        if tokens[k].endswith(",") and _is_verb(tokens[k + 1]):
            subject = _appositive_subject(tokens[i : k + 1], whole=True)
            if subject is None or not (len(subject.words) > 1 or subject.titles):
                return None
            return (subject, k) if _describes_a_person(subject.after) else None
    return None


def _describes_a_person(appositive: str) -> bool:
    """ "a spokesman for X", "67, a retired nurse", "who leads the union" -- not "the capital"."""
    words = [clean_word(w) for w in appositive.split()[:8]]
    if not words:
        return False
    if words[0].lower() == "who" or words[0].isdigit():
        return True
    return any(
        _is_role(w.removesuffix("'s").removesuffix("\u2019s"))
        or w.title() in TITLE_WORDS
        or w.lower() in FEMININE | MASCULINE | KIN
        for w in words
    )


def _run_end(tokens: list[str], i: int) -> int:
    """The last token of the capitalised run starting at ``tokens[i]`` (ten words at most)."""
    end = i
    while end + 1 < len(tokens) and end - i < 10 and not _is_boundary(tokens[end]):
        word = clean_word(tokens[end + 1])
        if not (_is_name_word(word) or word in PARTICLES):
            break
        end += 1
    return end


def _is_verb(token: str) -> bool:
    """A lowercase word after a name that can be its verb ("defended", "was"), but not a speech
    verb: ``quotes.py`` reads those as attributions."""
    word = clean_word(token)
    return word.isalpha() and word.islower() and word not in STOP_WORDS | SPEECH_VERBS


def _is_possessive(word: str) -> bool:
    return word.endswith(("'s", "\u2019s"))


def _name_subject(tokens: list[str], end: int, whole: bool, *, after: str) -> Subject | None:
    """The name whose last word is ``tokens[end]``, with any description words before it."""
    start = end
    while start > 0 and not _is_boundary(tokens[start - 1]):
        word = clean_word(tokens[start - 1])
        if not (_is_name_word(word) or word in PARTICLES):
            break
        start -= 1
    while start < end and (
        clean_word(tokens[start]) in PARTICLES or _is_role(clean_word(tokens[start]))
    ):
        start += 1  # "Farmer José Luis Ortega" at a sentence start: "farmer" describes him
    if not _is_name_word(clean_word(tokens[start])) or not _is_name_word(clean_word(tokens[end])):
        return None
    parts = _split_run([clean_word(t) for t in tokens[start : end + 1]])
    if parts is None:
        return None
    before = _words_before(tokens, start, whole)
    if before is None:
        return None
    return Subject("name", parts[1], parts[0], before, after)


def _split_run(run: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """Split "South Korean President Moon Jae-in" into titles and the name; None if the
    run names an organisation or nothing."""
    cut = max((k + 1 for k, word in enumerate(run) if word in TITLE_WORDS), default=0)
    titles, name = run[:cut], run[cut:]
    while name and name[0] in PARTICLES:
        name = name[1:]
    if not name or len(name) > 6 or any(word in ORG_WORDS for word in run):
        return None
    return tuple(titles), tuple(name)


def _words_before(tokens: list[str], start: int, whole: bool) -> str | None:
    """Description words before a name ("company spokesman"), up to six, back to a comma,
    sentence end or function word. With ``whole`` they must reach the start of ``tokens``."""
    j = start - 1
    while j >= 0 and start - j <= 6:
        word = clean_word(tokens[j])
        if _is_boundary(tokens[j]) or not word or word.lower() in STOP_WORDS - {"and"}:
            break
        j -= 1
    if whole and j >= 0 and not (j == 0 and clean_word(tokens[0]).lower() in ("the", "a", "an")):
        return None
    words = [clean_word(t) for t in tokens[j + 1 : start]]
    while words and words[0].lower() == "and":
        words.pop(0)
    sentence_start = j < 0 or ends_sentence(tokens[j])
    if words and sentence_start and _is_role(words[0]):
        words[0] = words[0].lower()  # "Defector and activist Jung" -> "defector and activist"
    return " ".join(words)


# --- words ----------------------------------------------------------------------------------


def _is_lower_role(word: str) -> bool:
    """ "minister" in "Culture minister Ana Ruiz": a role in lower case after a qualifier."""
    return word.islower() and _is_role(word)


@lru_cache(maxsize=8192)
def _is_role(word: str) -> bool:
    """A common noun for what someone does: "defector", "Chemist" (-ist), "farmer". Titles
    such as "Mayor" or "President" are not roles here: they keep their capital."""
    lower = word.lower()
    return word not in TITLE_WORDS and (
        lower in ROLE_NOUNS
        or lower in DESCRIPTIVE_WORDS
        or (lower.endswith("ist") and len(lower) > 5)
    )


@lru_cache(maxsize=8192)  # the same words recur in every story: look each up once
def clean_word(token: str) -> str:
    """A token without quotes, brackets and trailing punctuation; abbreviations keep their
    period ("Rep.", "U.S.")."""
    word = token.strip(_WORD_EDGES).rstrip(",;:!?").rstrip(_WORD_EDGES)
    if word.endswith(".") and not _is_abbreviation(word[:-1]):
        word = word.rstrip(".")
    return word


def _is_abbreviation(stem: str) -> bool:
    return stem.lower() in ABBREVIATIONS or "." in stem or (len(stem) == 1 and stem.isupper())


@lru_cache(maxsize=8192)
def ends_sentence(token: str) -> bool:
    """The token closes a sentence: "said." or "up?" but not "Rep." or "U.S."."""
    text = token.rstrip(_WORD_EDGES)
    if text[-1:] in ("?", "!"):
        return True
    return text.endswith(".") and not _is_abbreviation(text.lstrip(_WORD_EDGES)[:-1])


@lru_cache(maxsize=8192)
def _is_boundary(token: str) -> bool:
    return token[-1:] in (",", ";", ":") or token.endswith("--") or ends_sentence(token)


@lru_cache(maxsize=8192)
def _is_name_word(word: str) -> bool:
    """ "Roh", "Hoi-chang", "Núñez", "O'Brien", "al-Assad", "Rep." -- not "The", "KCNA"."""
    if not word or word.lower() in STOP_WORDS:
        return False
    head, _, rest = word.partition("-")
    if head in PARTICLES and rest[:1].isupper():
        return True
    acronym = len(word) > 1 and word.isupper() and "." not in word
    return word[0].isupper() and not acronym and all(c.isalpha() or c in "-'\u2019." for c in word)
