"""The edge cache on a news day: its hit ratio while the desk publishes, and a hit's cost.

Data: the article-page benchmark's fill (``bench/article_page.py``: the demo plus 1,000 published
stories shaped like the anchor's page). Servers: gunicorn with the production settings,
``-w 2 -k sync --no-control-socket`` on 127.0.0.1, as the anchor runs, with a throwaway
``redis-server`` on a free loopback port as the shared cache (the production path).

1. **A hit against bare Django.** The cached article page (story #777), against the anchor's
   ``plain/`` view with ``PLAIN_MIDDLEWARE=django`` (Django's 7 default middleware) returning a
   byte-for-byte copy of our page, served by the same gunicorn flags from the same virtualenv.
   Our page is measured twice: with Redis (production) and with the per-process local-memory
   cache (as the anchor's Wagtail runs). All three servers run side by side; after a 5 s warm-up
   each, ``RUNS`` rounds of ``wrk -t2 -c8 -d$DURATION --latency`` alternate between them.
   The anchor's code is read from ``../shared/bench/wagtail_anchor/`` (``WAGTAIL_ANCHOR`` to
   point elsewhere); without it this part is skipped and the JSON says so.
2. **Hit ratio on a news day.** Every page is read once to warm the cache; then ``wrk -t2 -c8``
   readers pick random pages (every story page, the front, sections, tags, authors and the RSS
   feed, weighted as ``READER_PAGES`` says) for ``SIM_SECONDS`` (60) while ``bench/newsday.py``
   publishes a new story and files a correction every ``SIM_EVERY`` (3) seconds in another
   process. Each response is counted by its ``X-Newsroom-Cache`` header (``bench/readers.lua``).

Every ``wrk`` run records how the machine's two cores were shared (``other_cpu_share``: any
process that is not the app servers, Redis, the desk process or ``wrk``).
"""

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import Runner, benchmark
from bench.article_page import fill, have_wrk
from bench.serve import (
    ROOT,
    busy_cpu_seconds,
    children_cpu_seconds,
    collectstatic,
    free_port,
    parse_wrk,
    production_env,
    stop,
    tree_cpu_seconds,
    wait_ready,
)

ANCHOR = Path(os.environ.get("WAGTAIL_ANCHOR", ROOT.parent / "shared/bench/wagtail_anchor"))
REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"
READERS = Path(__file__).resolve().parent / "readers.lua"
# How often each kind of page is read, against 1 for each story page.
READER_PAGES = {"front": 40, "section": 5, "feed": 10, "tag": 1, "person": 1}


# -- processes ------------------------------------------------------------------------------


class Server:
    """One process we started (gunicorn, Redis); stopped by its PID."""

    def __init__(self, label: str, command: list[str], env: dict, workdir: Path, port: int):
        self.label, self.port = label, port
        self.log = workdir / f"{re.sub(r'[^a-z0-9]+', '-', label.lower())}.log"
        with self.log.open("w") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)

    @property
    def pid(self) -> int:
        return self.process.pid

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


class Lab:
    """The servers of one benchmark run, all stopped (by PID) when it ends."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.servers: list[Server] = []

    def gunicorn(self, label, env, app="newsroom.wsgi:application", chdir=ROOT) -> Server:
        port = free_port()
        command = [str(Path(sys.executable).with_name("gunicorn")), "--chdir", str(chdir)]
        command += ["-w", "2", "-k", "sync", "--no-control-socket"]
        command += ["-b", f"127.0.0.1:{port}", app]
        self.servers.append(Server(label, command, env, self.workdir, port))
        return self.servers[-1]

    def redis(self) -> Server:
        port = free_port()
        command = [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", str(self.workdir)]
        server = Server("redis", command, dict(os.environ), self.workdir, port)
        self.servers.append(server)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    return server
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"redis-server did not start:\n{server.log.read_text()[-2000:]}")

    def close(self) -> None:
        for server in reversed(self.servers):
            stop(server.process)


def wrk(url: str, duration: str, cpu_of: dict[str, int], script_arg: Path | None = None) -> dict:
    """One ``wrk -t2 -c8`` run (with the readers script when given its paths file), its figures
    and how the CPU was shared while it ran: ``cpu_of`` names the processes we started."""
    command = ["wrk", "-t2", "-c8", f"-d{duration}", "--latency"]
    if script_arg is not None:
        command += ["-s", str(READERS), url, "--", str(script_arg)]
    else:
        command.append(url)
    started, busy, clients = time.monotonic(), busy_cpu_seconds(), children_cpu_seconds()
    before = {name: tree_cpu_seconds(pid) for name, pid in cpu_of.items()}
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    wall, cores = time.monotonic() - started, os.cpu_count() or 1
    used = {name: tree_cpu_seconds(pid) - before[name] for name, pid in cpu_of.items()}
    used["wrk"] = children_cpu_seconds() - clients
    other = busy_cpu_seconds() - busy - sum(used.values())
    result = parse_wrk(output)
    for name, seconds in used.items():
        result[f"{name}_cpu_share"] = round(seconds / (wall * cores), 2)
    result["other_cpu_share"] = round(max(other, 0.0) / (wall * cores), 2)
    edge = re.search(r"EDGE hits=(\d+) misses=(\d+) others=(\d+)", output)
    if edge:
        hits, misses, others = (int(n) for n in edge.groups())
        result.update(hits=hits, misses=misses, others=others)
        result["hit_ratio"] = round(hits / max(1, hits + misses + others), 4)
    return result


def fetch(url: str) -> tuple[int, bytes, dict]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read(), dict(response.headers)


def report(label: str, result: dict) -> None:
    shares = ", ".join(
        f"{k.removesuffix('_cpu_share')} {v:.0%}"
        for k, v in result.items()
        if k.endswith("_cpu_share")
    )
    ratio = f", hit ratio {result['hit_ratio']:.2%}" if "hit_ratio" in result else ""
    print(
        f"  [{label}] {result['rps']:.0f} req/s, p50 {result['p50_ms']} ms, "
        f"p99 {result['p99_ms']} ms, {result['non_2xx']} non-2xx{ratio}; CPU: {shares}",
        flush=True,
    )


# -- 1. a hit against bare Django -----------------------------------------------------------

PLAIN = "plain Django view, 7 default middleware"


def hit_against_django(runner, lab, redis, env, path, duration, runs) -> None:
    if not (ANCHOR / "plain" / "plainsite.py").is_file():
        runner.facts["hit_vs_django"] = (
            "skipped: the anchor's plain/ view is not in ../shared/bench/wagtail_anchor/ "
            "(set WAGTAIL_ANCHOR to its folder)"
        )
        print(f"  {runner.facts['hit_vs_django']}")
        return
    # A Redis database of its own: pages the news day cached may show an older "latest" box
    # (docs/caching.md), and every server must serve the page as it is now, byte for byte.
    env = {**env, "REDIS_URL": env["REDIS_URL"].removesuffix("/0") + "/1"}
    local_env = {k: v for k, v in env.items() if k != "REDIS_URL"}
    servers = {
        "newsroom hit, Redis": lab.gunicorn("newsroom-redis", env),
        "newsroom hit, local memory": lab.gunicorn("newsroom-local", local_env),
    }
    targets = {}
    for label, server in servers.items():
        targets[label] = server.url(path)
        wait_ready(targets[label], server.process, server.log)
        # Each of the two workers may keep its own copy: read until both have one.
        seen = [fetch(targets[label])[2].get("X-Newsroom-Cache") for _ in range(12)]
        assert seen[-4:] == ["hit"] * 4, (label, seen)
    page = lab.workdir / "our-article-page.html"
    page.write_bytes(fetch(targets["newsroom hit, Redis"])[1])
    plain_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    plain_env.update(PLAIN_MIDDLEWARE="django", STATIC_HTML=str(page))
    servers[PLAIN] = lab.gunicorn(
        "plain-django", plain_env, app="plainsite:application", chdir=ANCHOR / "plain"
    )
    targets[PLAIN] = servers[PLAIN].url("/bench-article/")
    wait_ready(targets[PLAIN], servers[PLAIN].process, servers[PLAIN].log)
    bodies = {label: fetch(url)[1] for label, url in targets.items()}
    assert len(set(bodies.values())) == 1, "the plain view must return our page byte for byte"
    for url in targets.values():
        subprocess.run(["wrk", "-t2", "-c8", "-d5s", url], check=True, capture_output=True)

    results: dict[str, list] = {label: [] for label in targets}
    for run in range(1, runs + 1):
        for label, url in targets.items():
            cpu_of = {"server": servers[label].pid}
            if "Redis" in label:
                cpu_of["redis"] = redis.pid
            results[label].append(wrk(url, duration, cpu_of))
            report(f"{label}, run {run}", results[label][-1])
    medians = {
        label: {k: statistics.median(r[k] for r in rs) for k in ("rps", "p50_ms", "p99_ms")}
        for label, rs in results.items()
    }
    runner.facts["hit_vs_django"] = {
        "page_bytes": len(bodies[PLAIN]),
        "load": f"wrk -t2 -c8 -d{duration} --latency, {runs} alternating rounds after 5 s warm-ups",
        "median": medians,
        "ratio_to_plain_django": {
            label: round(m["rps"] / medians[PLAIN]["rps"], 2) for label, m in medians.items()
        },
        "runs": results,
    }


# -- 2. hit ratio on a news day -------------------------------------------------------------


def reader_paths(path_file: Path) -> dict:
    """Write the readers' pages (one per line, repeated to weight them); say what is in it."""
    from articles.models import Article, Section
    from articles.visibility import public_people, public_tags

    stories = [a.get_absolute_url() for a in Article.objects.published().select_related("section")]
    lists = {
        "front": ["/"],
        "section": [s.get_absolute_url() for s in Section.objects.all()],
        "feed": ["/feeds/rss/"],
        "tag": [f"/tag/{slug}/" for slug in public_tags().values_list("slug", flat=True)[:40]],
        "person": [p.get_absolute_url() for p in public_people()[:25]],
    }
    lines = list(stories)
    for kind, urls in lists.items():
        lines += [url for url in urls for _ in range(READER_PAGES[kind])]
    path_file.write_text("\n".join(lines) + "\n")
    return {
        "story_pages": len(stories),
        **{f"{kind}_pages": len(urls) for kind, urls in lists.items()},
        "weights": READER_PAGES,
        "requests_to_story_pages": round(len(stories) / len(lines), 3),
    }


def news_day(runner, lab, redis, env, seconds: int, every: float) -> None:
    paths = lab.workdir / "reader-paths.txt"
    facts = reader_paths(paths)
    server = lab.gunicorn("newsroom-news-day", env)
    wait_ready(server.url("/"), server.process, server.log)
    cpu_of = {"server": server.pid, "redis": redis.pid}

    started = time.monotonic()
    unique = sorted(set(paths.read_text().split()))
    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(lambda path: fetch(server.url(path))[0], unique))
    warm = {
        "pages": len(unique),
        "seconds": round(time.monotonic() - started, 1),
        "not_200": sum(1 for status in statuses if status != 200),
    }
    print(f"  warmed {warm['pages']:,} pages in {warm['seconds']} s (each read once)", flush=True)

    desk_env = {**env, "PYTHONPATH": str(ROOT)}
    desk = subprocess.Popen(
        [sys.executable, "-m", "bench.newsday", str(seconds), str(every)],
        cwd=ROOT,
        env=desk_env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        measured = wrk(
            server.url("/"), f"{seconds}s", {**cpu_of, "desk": desk.pid}, script_arg=paths
        )
        line = desk.stdout.readline()
        if not line:
            raise RuntimeError(f"the desk process failed:\n{desk.stderr.read()[-3000:]}")
        desk_result = json.loads(line)
    finally:
        if desk.poll() is None:
            desk.stdin.close()
            try:
                desk.wait(timeout=30)
            except subprocess.TimeoutExpired:
                desk.send_signal(signal.SIGKILL)
                desk.wait()
    report(f"readers while the desk publishes ({seconds} s)", measured)
    print(
        f"  desk: {desk_result['published']} stories published, {desk_result['corrections']} "
        f"corrections filed (median {desk_result['publish_ms_median']} / "
        f"{desk_result['correction_ms_median']} ms each)",
        flush=True,
    )
    runner.facts["news_day"] = {
        "readers": f"wrk -t2 -c8 -d{seconds}s --latency -s bench/readers.lua",
        "pages": facts,
        "desk": desk_result,
        "every_seconds": every,
        "warm_up": warm,
        "measured": measured,
    }


# -- the benchmark --------------------------------------------------------------------------


@benchmark("edge-cache")
def edge_cache(runner: Runner) -> None:
    from django.db import connections

    started = time.perf_counter()
    url = fill(runner)
    runner.facts["fill_seconds"] = round(time.perf_counter() - started, 1)
    print(f"  filled {runner.facts['stories']:,} stories in {runner.facts['fill_seconds']} s")
    if not have_wrk() or not Path(REDIS).exists():
        runner.facts["http"] = "skipped: needs wrk and redis-server (apt-get install wrk redis)"
        print(f"  {runner.facts['http']}")
        return
    duration, runs = os.environ.get("DURATION", "15s"), int(os.environ.get("RUNS", "3"))
    seconds = int(os.environ.get("SIM_SECONDS", "60"))
    every = float(os.environ.get("SIM_EVERY", "3"))
    database = connections["default"].settings_dict["NAME"]
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-edge-"))
    lab = Lab(workdir)
    try:
        redis = lab.redis()
        env = production_env(database, workdir, page_cache=True)
        env["REDIS_URL"] = f"redis://127.0.0.1:{redis.port}/0"
        collectstatic(env)
        news_day(runner, lab, redis, env, seconds, every)
        connections["default"].close()
        hit_against_django(runner, lab, redis, env, url, duration, runs)
    finally:
        lab.close()
        shutil.rmtree(workdir, ignore_errors=True)
    table(runner)


# Issue 12's targets for this benchmark.
TARGET_HIT_RATIO = 0.95
TARGET_RATIO_TO_PLAIN = 1.0


def table(runner: Runner) -> None:
    day = runner.facts.get("news_day")
    if isinstance(day, dict):
        m = day["measured"]
        verdict = "meets" if m["hit_ratio"] >= TARGET_HIT_RATIO else "misses"
        print(
            f"\n  news day: hit ratio {m['hit_ratio']:.2%} over {m['requests']:,} requests "
            f"({m['rps']:.0f} req/s, p50 {m['p50_ms']} ms, p99 {m['p99_ms']} ms), "
            f"{day['desk']['published']} publishes and {day['desk']['corrections']} corrections; "
            f"other processes {m['other_cpu_share']:.0%} of the CPU "
            f"({verdict} the {TARGET_HIT_RATIO:.0%} target)"
        )
    versus = runner.facts.get("hit_vs_django")
    if isinstance(versus, dict):
        print(f"\n  {'target':<42} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6}")
        for label, m in versus["median"].items():
            ratio = versus["ratio_to_plain_django"][label]
            print(
                f"  {label:<42} {m['rps']:>8.0f} {m['p50_ms']:>8.2f} {m['p99_ms']:>8.2f} "
                f"{ratio:>5.2f}x"
            )
        print(f"  (target: a hit at {TARGET_RATIO_TO_PLAIN:.1f}x the plain view or better)")
