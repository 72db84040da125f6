"""``python -m bench [name ...] [--runs N]``: run benchmarks against a throwaway database.

The database is a temporary SQLite file (never the development database), migrated fresh for
each benchmark, which fills what it needs. With ``BENCH_DATABASE_URL`` pointing at a throwaway
PostgreSQL server (``make bench-postgres`` starts one), each benchmark gets a fresh database
on it instead; the in-process benchmarks (``scaling``, ``feeds``, ``import``) run there, the
``article-page`` load test needs SQLite, as the anchor's site uses. Not part of the test suite.
"""

import argparse
import importlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.dev"
    os.environ["DJANGO_DEBUG"] = "false"  # DEBUG keeps every query in memory
    server = os.environ.get("BENCH_DATABASE_URL", "")
    os.environ["DATABASE_URL"] = server or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["NEWSROOM_PRIVATE_MEDIA_ROOT"] = str(workdir / "private-media")
    os.environ.pop("REDIS_URL", None)
    # As in production: one site address, so the pages stored while filling are the ones every
    # server (on its own port) serves, and two servers print the same bytes.
    os.environ["NEWSROOM_SITE_URL"] = "https://news.example.org"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    import django

    django.setup()
    from django.core.management import call_command

    import bench

    for module in bench.MODULES:
        importlib.import_module(module)
    names = args.names or list(bench.BENCHMARKS)
    unknown = [n for n in names if n not in bench.BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; known: {sorted(bench.BENCHMARKS)}")

    from django.db import connections

    try:
        for name in names:
            # Each benchmark gets a fresh database, so one's data never slows another.
            if server:
                fresh_postgres_database(f"newsroom_bench_{name.replace('-', '_')}")
            else:
                connections["default"].close()
                connections["default"].settings_dict["NAME"] = str(workdir / f"{name}.sqlite3")
            call_command("migrate", verbosity=0, interactive=False)
            run(bench, name, args.runs)
    finally:
        connections["default"].close()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def fresh_postgres_database(name: str) -> None:
    """Drop and create database ``name`` on the benchmark's PostgreSQL server; use it."""
    from django.db import connections

    connection = connections["default"]
    if connection.vendor != "postgresql":
        raise SystemExit("BENCH_DATABASE_URL must point at a throwaway PostgreSQL server.")
    with connection.cursor() as cursor:  # autocommit: CREATE DATABASE refuses a transaction
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    connection.settings_dict["NAME"] = name


def run(bench, name: str, runs: int) -> None:
    """Run one registered benchmark, print its table and write bench/results/<name>.json."""
    print(f"\n== {name} ==", flush=True)
    started = time.perf_counter()
    runner = bench.Runner(name, runs=runs)
    bench.BENCHMARKS[name](runner)
    runner.facts["wall_seconds"] = round(time.perf_counter() - started, 1)
    print(f"  -> {runner.write()}  ({runner.facts['wall_seconds']} s)", flush=True)


if __name__ == "__main__":
    sys.exit(main())
