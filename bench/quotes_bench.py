"""Quote attribution, scored: precision and recall over the project's own wire fixtures.

    python -m bench quotes

``tests/fixtures/wire/quote-speakers.json`` says who really speaks each quote (by its opening
words), or null where the copy names no person. Precision = quotes given to the right person /
quotes given to anyone; recall = quotes given to the right person / quotes that have a named
speaker. A wrong speaker is worse than none, so precision must stay 100 %.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from bench import benchmark

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "wire"
TRUTH = FIXTURES / "quote-speakers.json"


def score(today: datetime.date = datetime.date(2024, 12, 1)) -> dict:
    """Precision, recall and the misses, per fixture and over all of them."""
    from articles.wire import read_stories

    truth = {k: v for k, v in json.loads(TRUTH.read_text(encoding="utf-8")).items() if k[0] != "_"}
    given = right = named = 0
    wrong, missed, stories = [], [], {}
    for name, expected in truth.items():
        [story] = read_stories((FIXTURES / name).read_text(encoding="utf-8"), today=today)
        found = {q.text: q.speaker for q in story.quotes}
        story_right = 0
        for opening, speaker in expected:
            said = next((who for text, who in found.items() if text.startswith(opening)), None)
            named += speaker is not None
            given += said is not None
            if said is not None and said == speaker:
                right += 1
                story_right += 1
            elif said is not None:
                wrong.append(f"{name}: {opening!r} given to {said}, not {speaker}")
            elif speaker is not None:
                missed.append(f"{name}: {opening!r} ({speaker}) left unattributed")
        unexpected = [t for t in found if not any(t.startswith(o) for o, _ in expected)]
        given += len(unexpected)
        wrong += [f"{name}: {t[:40]!r} is no quote in the key" for t in unexpected]
        stories[name] = {"quotes": len(expected), "right": story_right}
    return {
        "fixtures": len(truth),
        "quotes": sum(len(v) for v in truth.values()),
        "with_a_named_speaker": named,
        "attributed": given,
        "attributed_right": right,
        "precision": round(right / given, 4) if given else 1.0,
        "recall": round(right / named, 4) if named else 1.0,
        "wrong": wrong,
        "missed": missed,
        "per_fixture": stories,
    }


@benchmark("quotes")
def quotes_benchmark(runner) -> None:
    result = score()
    runner.facts.update(result)  # scores, not timings: bench/results/quotes.json "facts"
    print(
        f"  quotes: precision {result['precision']:.1%} ({result['attributed_right']} of "
        f"{result['attributed']} attributed), recall {result['recall']:.1%} (of "
        f"{result['with_a_named_speaker']} with a named speaker), {result['fixtures']} fixtures"
    )
    for line in result["wrong"] + result["missed"]:
        print(f"    {line}")
