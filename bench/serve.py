"""Serve Newsroom with gunicorn and the production settings, and load one URL with ``wrk``.

As the team's Wagtail anchor does (shared/bench/wagtail_anchor/run.sh): gunicorn ``-w 2 -k sync``
on a free 127.0.0.1 port, one check request, a 5 s ``wrk -t2 -c8`` warm-up that is thrown away,
then ``runs`` x ``wrk -t2 -c8 -d<duration> --latency``. The server is stopped by its PID.
"""

import os
import re
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent

WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(output: str) -> dict:
    """Requests/sec, latency percentiles and errors from ``wrk --latency`` output."""

    def ms(value: str) -> float:
        number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
        return round(float(number) * WRK_UNITS[unit], 2)

    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for pct in ("50", "90", "99"):
        result[f"p{pct}_ms"] = ms(re.search(rf"^\s+{pct}%\s+(\S+)", output, re.M).group(1))
    result["requests"] = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["non_2xx"] = int(non_2xx.group(1)) if non_2xx else 0
    errors = re.search(r"Socket errors: (.*)", output)
    result["socket_errors"] = errors.group(1).strip() if errors else ""
    return result


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (all cores, from /proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds used by ``pid`` and its children (the gunicorn master and its workers)."""
    total, pids = 0.0, [pid]
    while pids:
        current = pids.pop()
        try:
            stat = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
        pids += [int(child) for child in children]
    return total


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measured(command: list[str], server: subprocess.Popen) -> tuple[str, dict]:
    """Run ``wrk`` and say how the machine's CPU was shared while it ran.

    The machine may be shared: ``other_cpu_share`` is the part of all cores that went to
    processes other than this server and ``wrk``; much above zero means the figures are low.
    """
    started, busy = time.monotonic(), busy_cpu_seconds()
    server_cpu, client_cpu = tree_cpu_seconds(server.pid), children_cpu_seconds()
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    wall = time.monotonic() - started
    server_cpu = tree_cpu_seconds(server.pid) - server_cpu
    client_cpu = children_cpu_seconds() - client_cpu
    other = busy_cpu_seconds() - busy - server_cpu - client_cpu
    cores = os.cpu_count() or 1
    return output, {
        "server_cpu_share": round(server_cpu / (wall * cores), 2),
        "wrk_cpu_share": round(client_cpu / (wall * cores), 2),
        "other_cpu_share": round(max(other, 0.0) / (wall * cores), 2),
    }


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(database: str, workdir: Path, page_cache: bool) -> dict:
    """The production settings on plain http against the benchmark's SQLite file."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{database}",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": os.environ.get("MEDIA_ROOT", str(workdir / "media")),
        "NEWSROOM_PRIVATE_MEDIA_ROOT": os.environ.get(
            "NEWSROOM_PRIVATE_MEDIA_ROOT", str(workdir / "private-media")
        ),
        "NEWSROOM_HTTP_CACHE": "true" if page_cache else "false",
    }
    # Per-process local-memory cache, like the anchor's Wagtail; no replica, no extra flags.
    for name in ("REDIS_URL", "DATABASE_REPLICA_URL", "GUNICORN_CMD_ARGS"):
        env.pop(name, None)
    return env


def fetch(url: str) -> tuple[int, int, str]:
    """Status, body size and X-Newsroom-Cache (hit/miss) of one GET."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, len(response.read()), response.headers.get("X-Newsroom-Cache", "")


def wait_ready(url: str, server: subprocess.Popen, log: Path) -> tuple[int, int, str]:
    """The first answer from a server that is starting; raises if it dies or never answers."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()[-2000:]}")
        try:
            return fetch(url)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn never answered {url}:\n{log.read_text()[-2000:]}")


def stop(server: subprocess.Popen) -> None:
    """Stop the gunicorn master we started (it stops its workers); kill it if it hangs."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@dataclass
class Target:
    """A server to load: how to start it on a port, with what environment, and which path."""

    label: str
    command: Callable[[int], list[str]]
    env: dict
    path: str
    cwd: Path = ROOT


def newsroom(label: str, env: dict, path: str) -> Target:
    """Our gunicorn with the anchor's flags (no config file, so no access log)."""
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))

    def command(port: int) -> list[str]:
        return [gunicorn, "--chdir", str(ROOT), "-w", "2", "-k", "sync", "--no-control-socket"] + [
            "-b", f"127.0.0.1:{port}", "newsroom.wsgi:application",
        ]  # fmt: skip

    return Target(label, command, env, path)


@contextmanager
def running(target: Target, workdir: Path) -> Iterator[tuple[subprocess.Popen, str]]:
    """Start ``target`` on a free port; yields (server, url) once it answers; stops it after."""
    port = free_port()
    url = f"http://127.0.0.1:{port}{target.path}"
    log = workdir / f"gunicorn-{re.sub(r'[^a-z0-9]+', '-', target.label.lower())}.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            target.command(port), cwd=target.cwd, env=target.env, stdout=output, stderr=output
        )
    try:
        wait_ready(url, server, log)
        yield server, url
    finally:
        stop(server)


def check_and_warm(label: str, url: str) -> dict:
    """One checked GET (200 or raise) and a 5 s wrk warm-up that is thrown away."""
    caching = [fetch(url)[2]]
    status, size, header = fetch(url)
    caching += [header, fetch(url)[2]]
    if status != 200:
        raise RuntimeError(f"GET {url} answered {status}")
    print(
        f"  [{label}] GET {urlsplit(url).path} -> {status}, {size:,} bytes, "
        f"X-Newsroom-Cache: {', '.join(h or '-' for h in caching)}"
    )
    subprocess.run(["wrk", "-t2", "-c8", "-d5s", url], check=True, capture_output=True)
    return {"url": urlsplit(url).path, "html_bytes": size, "x_newsroom_cache": caching}


def wrk_run(label: str, url: str, server: subprocess.Popen, duration: str, run: int) -> dict:
    """One ``wrk -t2 -c8 --latency`` run: its figures and how the CPU was shared."""
    output, cpu = measured(["wrk", "-t2", "-c8", f"-d{duration}", "--latency", url], server)
    r = {**parse_wrk(output), **cpu}
    print(
        f"  [{label}] run {run}: {r['rps']:.0f} req/s, p50 {r['p50_ms']} ms, "
        f"p99 {r['p99_ms']} ms, {r['non_2xx']} non-2xx; CPU: server "
        f"{r['server_cpu_share']:.0%}, wrk {r['wrk_cpu_share']:.0%}, "
        f"others {r['other_cpu_share']:.0%}",
        flush=True,
    )
    return r


def summary(facts: dict, results: list[dict]) -> dict:
    return {
        **facts,
        "median": {
            k: statistics.median(r[k] for r in results) for k in ("rps", "p50_ms", "p99_ms")
        },
        "runs": results,
    }


def load(label: str, path: str, env: dict, workdir: Path, duration: str, runs: int) -> dict:
    """Serve with gunicorn as the anchor does, check one page, warm up, then ``runs`` x wrk."""
    with running(newsroom(label, env, path), workdir) as (server, url):
        facts = check_and_warm(label, url)
        results = [wrk_run(label, url, server, duration, n) for n in range(1, runs + 1)]
    return summary(facts, results)


def alternate(targets: list[Target], workdir: Path, duration: str, runs: int) -> dict:
    """Every target served at once, each checked and warmed, then wrk on each in turn, ``runs``
    rounds (A, B, A, B, ...): a change in the machine's speed hits both sides alike."""
    with ExitStack() as stack:
        served = {t.label: stack.enter_context(running(t, workdir)) for t in targets}
        facts = {label: check_and_warm(label, url) for label, (_, url) in served.items()}
        results: dict[str, list[dict]] = {label: [] for label in served}
        for n in range(1, runs + 1):
            for label, (server, url) in served.items():
                results[label].append(wrk_run(label, url, server, duration, n))
    return {label: summary(facts[label], results[label]) for label in served}


def collectstatic(env: dict) -> None:
    """Hashed static files into the temporary STATIC_ROOT (the manifest storage needs them)."""
    manage = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"]
    subprocess.run(manage, cwd=ROOT, env=env, check=True)
