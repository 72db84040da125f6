"""Wire import speed: stories per second on a batch of generated stories.

    python -m bench import                              (with the other benchmarks' runner)
    python -m bench.import_bench [--stories 1000] [--keep-db] [--json]

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


def generate_story(number: int, rng: random.Random) -> str:
    """One original wire story in the agency shape, unique by ``number``."""
    topic = rng.choice(TOPICS)
    headline = (
        f"Talks on {topic} plan number {number} stall for a {rng.choice(['second', 'third'])} week"
    )
    writers = rng.sample(WRITERS, rng.choice([1, 1, 2, 3]))
    byline = "By " + (
        writers[0] if len(writers) == 1 else ", ".join(writers[:-1]) + " and " + writers[-1]
    )
    first, second = rng.sample(SOURCES, 2)
    lines = [headline, "", byline, headline]
    if rng.random() < 0.6:
        credit = "File Photo by" if rng.random() < 0.5 else "Photo by"
        lines.append(
            f"Delegates meet over the {topic} plan. {credit} Jo Bloggs/UPI | License Photo"
        )
    lines += [
        "",
        f"{rng.choice(PLACES)}, {rng.choice(MONTHS)} {rng.randint(1, 28)} (UPI) -- Negotiators "
        f"failed again on Tuesday to agree on plan {number} for the {topic} sector.",
        "",
        f"{first[0]}, {first[1]}, said the gap between the sides had narrowed.",
        "",
        f'"We are closer than we were, but not close enough," {first[0].split()[-1]} said.',
        "",
        f"RELATED Talks on {topic} plan number {max(number - 1, 0)} stall for a second week",
        "",
        f"{second[0]}, {second[1]}, said the deadline would slip.",
        "",
        f'"Nobody wants to be the first to move," said {second[0].split()[-1]}. "So nobody does."',
        "",
    ]
    lines += [f"Paragraph {i} of background on the {topic} plan and its costs." for i in range(6)]
    lines += ["", "Latest Headlines", "Follow Us"]
    return "\n".join(lines)


def run(stories: int = BATCH, seed: int = 3) -> dict:
    """Import ``stories`` generated stories into the configured database; return the timings."""
    from django.contrib.auth import get_user_model

    from articles.wire import parse_wire
    from articles.wire.importer import ImportWireStory, Outcome

    rng = random.Random(seed)
    copies = [generate_story(n, rng) for n in range(stories)]
    today = datetime.date.today()
    user, _ = get_user_model().objects.get_or_create(
        username="import-bench", defaults={"is_superuser": True, "is_staff": True}
    )

    started = time.perf_counter()
    for text in copies:
        parse_wire(text, today=today)
    parse_seconds = time.perf_counter() - started

    outcomes, per_story = [], []
    started = time.perf_counter()
    for text in copies:
        began = time.perf_counter()
        outcomes.append(ImportWireStory(text, user, today=today).execute().outcome)
        per_story.append((time.perf_counter() - began) * 1000)
    import_seconds = time.perf_counter() - started
    return {
        "benchmark": "wire import",
        "stories": stories,
        "imported": outcomes.count(Outcome.IMPORTED),
        "seconds": round(import_seconds, 3),
        "stories_per_sec": round(stories / import_seconds, 1),
        "parse_only_stories_per_sec": round(stories / parse_seconds, 1),
        "story_ms": {
            "median": round(statistics.median(per_story), 2),
            "min": round(min(per_story), 2),
            "max": round(max(per_story), 2),
        },
    }


@benchmark("import")
def import_benchmark(runner) -> None:
    """For ``python -m bench import``: one batch of 1,000 stories, reported as stories/sec."""
    result = run(BATCH)
    runner.facts.update(result)
    runner.timings.append(
        Timing(
            f"import one story (batch of {BATCH:,})",
            result["story_ms"]["median"],
            result["story_ms"]["min"],
            result["story_ms"]["max"],
            BATCH,
            notes=f"{result['stories_per_sec']} stories/sec",
        )
    )
    print(f"  {_summary(result)}")


def _summary(result: dict) -> str:
    return (
        f"wire import: {result['stories_per_sec']} stories/sec "
        f"({result['imported']} stories in {result['seconds']} s; "
        f"parsing alone {result['parse_only_stories_per_sec']} stories/sec)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=BATCH)
    parser.add_argument("--keep-db", action="store_true", help="Keep the throwaway database.")
    parser.add_argument("--json", action="store_true", help="Print the result as JSON.")
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
        result = run(args.stories)
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
