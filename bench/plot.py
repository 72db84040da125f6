"""``python -m bench.plot [--table]``: the scaling results as one plot (or Markdown tables),
for docs/benchmarks.md.

Reads ``bench/results/scaling*.json`` (SQLite, and PostgreSQL when there is a run) and draws
the median time of each request against the number of stories in the archive, log-scaled, to
``docs/benchmarks-scaling.png``. Needs matplotlib (``pip install -e '.[bench]'``; ``make bench``
installs it); without it, or without results, it says so and draws nothing.
"""

import json
import sys
from pathlib import Path

from bench import RESULTS

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "benchmarks-scaling.png"
# A few requests of each kind keep the plot readable; the table in the docs has them all.
SHOWN = [
    "front page /",
    "article page",
    "section, oldest page",
    "tag page /tag/topic-7/",
    "author page /people/reporter-0/",
    "latest RSS /feeds/rss/",
    "news sitemap /sitemap-news.xml",
    "admin changelist",
    "admin changelist search",
    "desk /desk/",
]


def series(path: Path) -> tuple[str, dict[str, dict[int, float]]]:
    payload = json.loads(path.read_text())
    database = payload["facts"].get("database", "sqlite")
    found: dict[str, dict[int, float]] = {}
    for timing in payload["timings"]:
        size, label = timing["label"].split(": ", 1)
        if label in SHOWN:
            found.setdefault(label, {})[int(size)] = timing["median_ms"]
    return database, found


def markdown_table(path: Path) -> str:
    """The scaling results as a Markdown table (what docs/benchmarks.md shows)."""
    payload = json.loads(path.read_text())
    rows = payload["facts"].get("table", [])
    if not rows:
        return ""
    sizes = sorted({int(size) for row in rows for size in row["p50_ms"]})
    lines = [
        "| request | " + " | ".join(f"{n:,} stories" for n in sizes) + " | ratio | queries |",
        "|---|" + "---:|" * (len(sizes) + 2),
    ]
    for row in rows:
        p50 = {int(k): v for k, v in row["p50_ms"].items()}
        queries = {int(k): v for k, v in row["queries"].items()}
        lines.append(
            f"| {row['request']} | "
            + " | ".join(f"{p50[n]:,.1f} ms" for n in sizes)
            + f" | {row['ratio']:.2f}x | "
            + " / ".join(str(queries[n]) for n in sizes)
            + " |"
        )
    return "\n".join(lines)


def main() -> int:
    runs = sorted(RESULTS.glob("scaling*.json"))
    if "--table" in sys.argv:
        for path in runs:
            print(f"{path.name}:\n{markdown_table(path)}\n")
        return 0
    if not runs:
        print("bench.plot: no bench/results/scaling*.json yet (make bench BENCH_ARGS=scaling)")
        return 0
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("bench.plot: matplotlib is not installed (pip install -e '.[bench]'); no plot")
        return 0
    figure, axes = plt.subplots(1, len(runs), figsize=(6.5 * len(runs), 5.2), squeeze=False)
    for ax, path in zip(axes[0], runs, strict=True):
        database, found = series(path)
        for label in SHOWN:
            points = sorted(found.get(label, {}).items())
            if points:
                ax.plot(*zip(*points, strict=True), marker="o", label=label)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("published stories in the archive")
        ax.set_ylabel("median time per request, page cache off (ms)")
        ax.set_title(f"Newsroom on {database}: time against archive size")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7, loc="upper left")
    figure.tight_layout()
    figure.savefig(OUTPUT, dpi=110)
    print(f"bench.plot: wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
