"""The desk's side of the hit-ratio simulation (bench/edge_cache.py), run in its own process.

``python -m bench.newsday SECONDS EVERY``: for ``SECONDS``, every ``EVERY`` seconds publish a new
story (a copy of a random live one, with its bylines and tags) and, half a period later, file a
correction on a random live story, both through the workflow steps as the admin does, so the
edge cache hears of them the way it does in production. Prints one JSON line with what it did,
then waits for its standard input to close (so the benchmark can read its CPU time first).
Uses the settings of its environment: the benchmark gives it the app servers' database and Redis.
"""

import json
import random
import statistics
import sys
import time


def main(seconds: float, every: float) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from articles.models import Article, Byline
    from articles.publishing.steps import AddCorrection

    editor = get_user_model().objects.filter(is_superuser=True).first()
    live = list(Article.objects.published().values_list("pk", flat=True))
    rng = random.Random(2026)
    published, corrected = [], []
    started = time.monotonic()
    tick = 0
    while True:
        due = started + tick * every / 2
        if due - started >= seconds:
            break
        time.sleep(max(0.0, due - time.monotonic()))
        began = time.perf_counter()
        if tick % 2 == 0:
            model = Article.objects.get(pk=rng.choice(live))
            story = Article.objects.create(
                headline=f"{model.headline} (update {tick // 2})",
                slug=f"{model.slug}-update-{tick // 2}",
                dek=model.dek,
                body=model.body,
                body_text=model.body_text,
                section_id=model.section_id,
                lead_photo_id=model.lead_photo_id,
                dateline_place=model.dateline_place,
                dateline_agency=model.dateline_agency,
                dateline_date=model.dateline_date,
            )
            Byline.objects.bulk_create(
                Byline(article=story, person_id=b.person_id, position=b.position)
                for b in model.bylines.all()
            )
            story.tags.set(list(model.tags.all()))
            story.publish(by=editor)
            published.append(time.perf_counter() - began)
        else:
            story = Article.objects.get(pk=rng.choice(live))
            AddCorrection(
                story, editor, f"An earlier version misstated a figure ({tick})."
            ).execute()
            corrected.append(time.perf_counter() - began)
        tick += 1
    return {
        "seconds": round(time.monotonic() - started, 1),
        "published": len(published),
        "corrections": len(corrected),
        "publish_ms_median": round(statistics.median(published) * 1000, 1) if published else None,
        "correction_ms_median": round(statistics.median(corrected) * 1000, 1)
        if corrected
        else None,
    }


if __name__ == "__main__":
    result = main(float(sys.argv[1]), float(sys.argv[2]))
    print(json.dumps(result), flush=True)
    sys.stdin.read()
