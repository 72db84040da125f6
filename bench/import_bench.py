"""Wire import speed: stories per second on a batch of generated stories.

    python -m bench import                              (with the other benchmarks' runner)
    python -m bench.import_bench [--stories 1000] [--format text|nitf|newsml|ninjs] [--json]

Each story goes the whole way the ``import_story`` command takes it: parse, fingerprint, then
article, bylines, people (reused across stories), quotes and related headlines in one
transaction. Without ``DATABASE_URL`` it runs on a throwaway SQLite file, never the dev database.
``run()`` does the measuring inside an already configured Django, for a benchmark registry.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import tempfile
import time
from html import escape
from pathlib import Path

from bench import Timing, benchmark

BATCH = 1000
WRITERS = [
    "Anna de Vries", "Tomás Herrera", "Jürgen Müller", "Inés Núñez", "Sam O'Brien",
    "Priya Raman", "Kofi Mensah", "Hana Sato", "Lars Eriksen", "Maya Goldberg",
]  # fmt: skip
SOURCES = [
    ("Marit Jansen", "chairwoman of the pilots' association"),
    ("Ivan Petrov", "a spokesman for the port authority"),
    ("Lena Schäfer", "a hydrologist at the federal institute"),
    ("Rolf Amherd", "the town's mayor"),
    ("Ana Lucía Ortiz", "a former deputy minister of transport"),
    ("Graham Whitcombe", "an economist at a London bank"),
    ("Yusuf Demir", "head of the drivers' union"),
    ("Chen Wei", "a researcher who studies supply chains"),
]
PLACES = ["ROTTERDAM", "GENEVA", "LONDON", "BEIJING", "NAIROBI", "LIMA", "OSLO", "SEOUL"]
MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct."]
TOPICS = ["port", "rail", "water", "grain", "power", "housing", "fishing", "mining"]


def story_parts(number: int, rng: random.Random) -> dict:
    """One original story's pieces, unique by ``number``, for any format to render."""
    topic = rng.choice(TOPICS)
    headline = (
        f"Talks on {topic} plan number {number} stall for a {rng.choice(['second', 'third'])} week"
    )
    writers = rng.sample(WRITERS, rng.choice([1, 1, 2, 3]))
    first, second = rng.sample(SOURCES, 2)
    photo = None
    if rng.random() < 0.6:
        photo = (
            f"Delegates meet over the {topic} plan.",
            "File Photo by" if rng.random() < 0.5 else "Photo by",
        )
    place, month, day = rng.choice(PLACES), rng.choice(MONTHS), rng.randint(1, 28)
    said_first, said_second = first[0].split()[-1], second[0].split()[-1]
    blocks = [
        ("p", f"Negotiators failed again on Tuesday to agree on plan {number} for the {topic} "
         "sector."),
        ("p", f"{first[0]}, {first[1]}, said the gap between the sides had narrowed."),
        ("p", f'"We are closer than we were, but not close enough," {said_first} said.'),
        ("related", f"Talks on {topic} plan number {max(number - 1, 0)} stall for a second week"),
        ("p", f"{second[0]}, {second[1]}, said the deadline would slip."),
        ("p", f'"Nobody wants to be the first to move," said {said_second}. "So nobody does."'),
    ]  # fmt: skip
    blocks += [
        ("p", f"Paragraph {i} of background on the {topic} plan and its costs.") for i in range(6)
    ]
    return {
        "number": number, "headline": headline, "writers": writers, "photo": photo,
        "place": place, "month": month, "day": day, "blocks": blocks,
    }  # fmt: skip


def generate_story(number: int, rng: random.Random) -> str:
    """One original wire story in the agency's plain-text shape, unique by ``number``."""
    return render_text(story_parts(number, rng))


def _byline(writers: list[str]) -> str:
    return "By " + (
        writers[0] if len(writers) == 1 else ", ".join(writers[:-1]) + " and " + writers[-1]
    )


def render_text(parts: dict) -> str:
    headline = parts["headline"]
    lines = [headline, "", _byline(parts["writers"]), headline]
    if parts["photo"]:
        caption, credit = parts["photo"]
        lines.append(f"{caption} {credit} Jo Bloggs/UPI | License Photo")
    dateline = f"{parts['place']}, {parts['month']} {parts['day']} (UPI) -- "
    for n, (kind, text) in enumerate(parts["blocks"]):
        lines += ["", ("RELATED " if kind == "related" else dateline if n == 0 else "") + text]
    lines += ["", "Latest Headlines", "Follow Us"]
    return "\n".join(lines)


def _xml_body(parts: dict) -> str:
    return "".join(
        f'<p class="related">{escape(text)}</p>' if kind == "related" else f"<p>{escape(text)}</p>"
        for kind, text in parts["blocks"]
    )


def _dateline_text(parts: dict) -> str:
    return f"{parts['place']}, {parts['month']} {parts['day']} (UPI)"


def render_nitf(parts: dict) -> str:
    photo = ""
    if parts["photo"]:
        caption, credit = parts["photo"]
        photo = (
            '<media media-type="image"><media-reference source="https://photos.example.com/x.jpg"/>'
            f"<media-caption>{escape(caption)}</media-caption>"
            f"<media-producer>{credit} Jo Bloggs/UPI | License Photo</media-producer></media>"
        )
    people = " and ".join(f"<person>{escape(w)}</person>" for w in parts["writers"])
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><head><docdata>'
        f'<doc-id regsrc="UPI" id-string="urn:bench:nitf:{parts["number"]}"/><urgency ed-urg="5"/>'
        '<du-key version="1"/></docdata></head><body><body.head>'
        f"<hedline><hl1>{escape(parts['headline'])}</hl1></hedline><byline>By {people}</byline>"
        f"<dateline>{_dateline_text(parts)}</dateline></body.head>"
        f"<body.content>{photo}{_xml_body(parts)}</body.content></body></nitf>"
    )


def render_newsml(parts: dict) -> str:
    """A text newsItem; with a photo, a newsMessage holding it and its picture item."""
    guid = f"urn:bench:g2:{parts['number']}"
    text = (
        f'<newsItem guid="{guid}" version="1" standard="NewsML-G2" standardversion="2.35">'
        '<itemMeta><itemClass qcode="ninat:text"/><provider literal="UPI"/>'
        '<versionCreated>2024-05-01T10:00:00Z</versionCreated><pubStatus qcode="stat:usable"/>'
        "</itemMeta><contentMeta><urgency>5</urgency>"
        '<subject qcode="medtop:04000000"><name>Economy</name></subject>'
        f"<headline>{escape(parts['headline'])}</headline>"
        f"<dateline>{_dateline_text(parts)}</dateline><by>{escape(_byline(parts['writers']))}</by>"
        '</contentMeta><contentSet><inlineXML contenttype="application/xhtml+xml">'
        f'<html xmlns="http://www.w3.org/1999/xhtml"><body>{_xml_body(parts)}</body></html>'
        "</inlineXML></contentSet></newsItem>"
    )
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    g2 = "http://iptc.org/std/nar/2006-10-01/"
    if not parts["photo"]:
        return head + text.replace("<newsItem ", f'<newsItem xmlns="{g2}" ', 1)
    caption, credit = parts["photo"]
    picture = (
        f'<newsItem guid="{guid}:photo" version="1" standard="NewsML-G2" standardversion="2.35">'
        "<rightsInfo><usageTerms>License Photo</usageTerms></rightsInfo>"
        '<itemMeta><itemClass qcode="ninat:picture"/><provider literal="UPI"/>'
        "<versionCreated>2024-05-01T10:00:00Z</versionCreated></itemMeta><contentMeta>"
        f"<creditline>{credit} Jo Bloggs/UPI</creditline>"
        f'<description role="drol:caption">{escape(caption)}</description></contentMeta>'
        "</newsItem>"
    )
    return (
        f'{head}<newsMessage xmlns="{g2}"><header><sent>2024-05-01T10:00:00Z</sent></header>'
        f"<itemSet>{text}{picture}</itemSet></newsMessage>"
    )


def render_ninjs(parts: dict) -> str:
    data = {
        "uri": f"urn:bench:ninjs:{parts['number']}",
        "version": "1",
        "type": "text",
        "pubstatus": "usable",
        "urgency": 5,
        "located": _dateline_text(parts),
        "by": _byline(parts["writers"]),
        "headlines": [{"role": "main", "value": parts["headline"]}],
        "subjects": [{"name": "Economy"}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": _xml_body(parts)}],
    }
    if parts["photo"]:
        caption, credit = parts["photo"]
        data["associations"] = [
            {
                "name": "featureimage",
                "uri": f"urn:bench:ninjs:{parts['number']}:photo",
                "type": "picture",
                "by": f"{credit} Jo Bloggs/UPI",
                "usageterms": "License Photo",
                "descriptions": [{"role": "caption", "value": caption}],
            }
        ]
    return json.dumps(data)


RENDERERS = {
    "text": render_text,
    "nitf": render_nitf,
    "newsml": render_newsml,
    "ninjs": render_ninjs,
}


def run(stories: int = BATCH, seed: int = 3, kind: str = "text", first: int = 0) -> dict:
    """Import ``stories`` generated stories of one format into the configured database; return
    the timings. ``first`` numbers the stories, so batches of several formats never collide."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.wire import read_stories
    from articles.wire.importer import ImportWireStory, Outcome

    rng = random.Random(seed)
    render = RENDERERS[kind]
    copies = [render(story_parts(first + n, rng)) for n in range(stories)]
    today = datetime.date.today()
    user, _ = get_user_model().objects.get_or_create(
        username="import-bench", defaults={"is_superuser": True, "is_staff": True}
    )

    started = time.perf_counter()
    for text in copies:
        read_stories(text, today=today)
    parse_seconds = time.perf_counter() - started

    outcomes, per_story = [], []
    started, cpu = time.perf_counter(), time.process_time()
    for text in copies:
        began = time.perf_counter()
        outcomes.append(ImportWireStory(text, user, today=today).execute().outcome)
        per_story.append((time.perf_counter() - began) * 1000)
    import_seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu
    # Queries are counted on 20 more stories, after the timing: counting costs time itself.
    extra = [render(story_parts(first + stories + n, rng)) for n in range(20)]
    with CaptureQueriesContext(connection) as counted:
        for text in extra:
            ImportWireStory(text, user, today=today).execute()
    queries = len(counted.captured_queries) / len(extra)
    return {
        "benchmark": "wire import",
        "format": kind,
        "stories": stories,
        "imported": outcomes.count(Outcome.IMPORTED),
        "seconds": round(import_seconds, 3),
        "stories_per_sec": round(stories / import_seconds, 1),
        # CPU seconds of this process: what the importer costs when the machine is shared.
        "stories_per_cpu_sec": round(stories / cpu_seconds, 1),
        "queries_per_story": round(queries, 1),
        "parse_only_stories_per_sec": round(stories / parse_seconds, 1),
        "story_ms": {
            "median": round(statistics.median(per_story), 2),
            "min": round(min(per_story), 2),
            "max": round(max(per_story), 2),
        },
    }


@benchmark("import")
def import_benchmark(runner) -> None:
    """For ``python -m bench import``: a batch of 1,000 stories in each format."""
    results = {}
    for n, kind in enumerate(RENDERERS):
        result = run(BATCH, kind=kind, first=n * BATCH)
        results[kind] = result
        runner.timings.append(
            Timing(
                f"import one {kind} story (batch of {BATCH:,})",
                result["story_ms"]["median"],
                result["story_ms"]["min"],
                result["story_ms"]["max"],
                BATCH,
                queries=round(result["queries_per_story"]),
                notes=f"{result['stories_per_sec']} stories/sec",
            )
        )
        print(f"  {_summary(result)}", flush=True)
    runner.facts.update(results["text"])
    runner.facts["formats"] = results


def _summary(result: dict) -> str:
    return (
        f"wire import ({result['format']}): {result['stories_per_sec']} stories/sec "
        f"({result['imported']} stories in {result['seconds']} s; "
        f"{result['stories_per_cpu_sec']} per CPU second; {result['queries_per_story']} queries "
        f"each; parsing alone {result['parse_only_stories_per_sec']} stories/sec)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=BATCH)
    parser.add_argument("--keep-db", action="store_true", help="Keep the throwaway database.")
    parser.add_argument("--json", action="store_true", help="Print the result as JSON.")
    parser.add_argument("--format", choices=sorted(RENDERERS), default="text")
    args = parser.parse_args(argv)

    throwaway = None
    if not os.environ.get("DATABASE_URL"):
        throwaway = Path(tempfile.mkdtemp(prefix="import-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{throwaway}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.test")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    try:
        result = run(args.stories, kind=args.format)
    finally:
        if throwaway is not None and not args.keep_db:
            throwaway.unlink(missing_ok=True)
    if args.json:
        print(json.dumps(result))
    else:
        print(_summary(result))
    return 0 if result["imported"] == args.stories else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
