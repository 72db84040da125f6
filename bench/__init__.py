"""Benchmarks: ``make bench`` (``python -m bench [name ...]``).

A benchmark is a function registered with ``@benchmark("name")``. It receives a
:class:`Runner`, fills whatever data it needs into the temporary database that ``__main__``
set up, times things with ``runner.time(label, fn)`` and returns nothing; the runner prints a
table and writes ``bench/results/<name>.json``. Add a module to ``MODULES`` to register more.
"""

import json
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
MODULES = [
    "bench.feeds",
    "bench.import_bench",
    "bench.quotes_bench",
    "bench.article_page",
    "bench.api",
    "bench.scaling",
    "bench.edge_cache",
]
BENCHMARKS: dict[str, Callable] = {}


def benchmark(name: str):
    """Register ``function(runner)`` as the benchmark called ``name``."""

    def register(function):
        BENCHMARKS[name] = function
        return function

    return register


@dataclass
class Timing:
    label: str
    median_ms: float
    min_ms: float
    max_ms: float
    runs: int
    queries: int | None = None
    bytes: int | None = None
    notes: str = ""


@dataclass
class Runner:
    name: str
    runs: int = 5
    timings: list[Timing] = field(default_factory=list)
    facts: dict = field(default_factory=dict)

    def time(self, label: str, function: Callable, runs: int | None = None, notes: str = ""):
        """Run ``function`` once to warm up, then ``runs`` times; record the median.

        ``function`` may return ``(queries, size)``; those of the last run are reported.
        """
        function()  # warm-up, not timed
        samples, extra = [], None
        for _ in range(runs or self.runs):
            start = time.perf_counter()
            extra = function()
            samples.append((time.perf_counter() - start) * 1000)
        extra = extra or (None, None)
        timing = Timing(
            label,
            round(statistics.median(samples), 2),
            round(min(samples), 2),
            round(max(samples), 2),
            len(samples),
            queries=extra[0],
            bytes=extra[1],
            notes=notes,
        )
        self.timings.append(timing)
        print(
            f"  {label:<52} {timing.median_ms:>9.2f} ms  "
            f"(min {timing.min_ms:.2f}, max {timing.max_ms:.2f}, n={timing.runs})"
            + (f"  {timing.queries} queries" if timing.queries is not None else "")
            + (f"  {timing.bytes:,} bytes" if timing.bytes is not None else ""),
            flush=True,
        )
        return timing

    def write(self) -> Path:
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"{self.name}.json"
        payload = {
            "benchmark": self.name,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "facts": self.facts,
            "timings": [asdict(t) for t in self.timings],
        }
        path.write_text(json.dumps(payload, indent=2) + "\n")
        return path
