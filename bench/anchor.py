"""The team's Wagtail anchor (``../shared/bench/wagtail_anchor/``), set up and served beside ours.

The anchor's code stays where it is: this module only runs it, the way its ``run.sh`` does.
It needs Python 3.11 and PyPI (for the pinned Wagtail 8.0.1 stack in
``requirements-wagtail.txt``), installed once into a virtual environment outside the
repository (``NEWSROOM_ANCHOR_VENV``, default ``~/.cache/newsroom-bench/wagtail-venv``), and
seeds its 1,000 articles into a temporary folder for each run.

``NEWSROOM_ANCHOR_DIR`` points elsewhere when the anchor is not at ``../shared/bench/``.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANCHOR = Path(
    os.environ.get("NEWSROOM_ANCHOR_DIR", ROOT.parent / "shared" / "bench" / "wagtail_anchor")
)
VENV = Path(
    os.environ.get(
        "NEWSROOM_ANCHOR_VENV", Path.home() / ".cache" / "newsroom-bench" / "wagtail-venv"
    )
)
REQUIREMENTS = ANCHOR / "requirements-wagtail.txt"
ARTICLES = 1_000
LABEL = "Wagtail 8.0.1 article page (anchor)"

# Median in-process render time with the test client, as our own in-process figure is taken.
RENDER_TIMER = """
import os, statistics, sys, time
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsite.settings")
import django
django.setup()
from django.test import Client
client, url, runs = Client(HTTP_HOST="127.0.0.1:8765"), sys.argv[1], int(sys.argv[2])
for _ in range(3):
    assert client.get(url).status_code == 200
samples = []
for _ in range(runs):
    start = time.perf_counter()
    client.get(url)
    samples.append((time.perf_counter() - start) * 1000)
print(statistics.median(samples))
"""


def missing() -> str:
    """Why the anchor cannot run here, or "" when it can."""
    if not (ANCHOR / "site" / "manage.py").is_file():
        return f"the anchor is not at {ANCHOR} (set NEWSROOM_ANCHOR_DIR)"
    if _python() is None:
        return "the anchor needs Python 3.11 (python3.11 is not on the PATH)"
    return ""


def _python() -> str | None:
    if sys.version_info[:2] == (3, 11):
        return getattr(sys, "_base_executable", sys.executable)
    return shutil.which("python3.11")


def python() -> Path:
    """The anchor's virtual environment's Python, made (or brought up to date) first."""
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    marker = VENV / ".newsroom-requirements"
    if not (marker.is_file() and marker.read_text() == wanted):
        print(f"  installing the anchor's Wagtail stack into {VENV} (once)", flush=True)
        if not (VENV / "bin" / "python").exists():
            subprocess.run([_python(), "-m", "venv", str(VENV)], check=True)
        pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True, capture_output=True)
        marker.write_text(wanted)
    return VENV / "bin" / "python"


def env(data: Path) -> dict:
    """Our environment without our Django settings, pointed at the anchor's data folder."""
    skip = ("DJANGO_SETTINGS_MODULE", "PYTHONPATH", "GUNICORN_CMD_ARGS", "VIRTUAL_ENV")
    environment = {k: v for k, v in os.environ.items() if k not in skip}
    environment["WAGTAIL_ANCHOR_DATA"] = str(data)
    return environment


def _run(data: Path, *args: str) -> str:
    done = subprocess.run(
        [str(python()), *args],
        cwd=ANCHOR / "site",
        env=env(data),
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def seed(data: Path) -> str:
    """Migrate and seed the anchor's 1,000 articles into ``data``; returns the article's URL."""
    data.mkdir(parents=True, exist_ok=True)
    _run(data, "manage.py", "migrate", "-v0")
    _run(data, "manage.py", "seed_news", "--articles", str(ARTICLES))
    return (data / "bench_url.txt").read_text().strip()


def queries(data: Path, url: str) -> dict:
    """The anchor's own count of SQL queries per render (``tools/count_queries.py``)."""
    report = json.loads(_run(data, str(ANCHOR / "tools" / "count_queries.py"), url, "3"))
    return {
        "warm": report["queries_warm"][-1],
        "html_bytes": report["html_bytes"],
        "body_words": report["body_words"],
        "inline_related_links": report["inline_related_links"],
    }


def render_ms(data: Path, url: str, runs: int) -> float:
    """Median in-process render time of the anchor's article page, in milliseconds."""
    return round(float(_run(data, "-c", RENDER_TIMER, url, str(runs))), 2)


def server_command(port: int) -> list[str]:
    """gunicorn exactly as the anchor's run.sh starts it."""
    gunicorn = VENV / "bin" / "gunicorn"
    return [str(gunicorn), "--chdir", str(ANCHOR / "site"), "-w", "2", "-k", "sync"]  + [
        "--no-control-socket", "-b", f"127.0.0.1:{port}", "newsite.wsgi:application",
    ]  # fmt: skip


def target(data: Path, url: str):
    """The anchor as a server for ``bench.serve.alternate``."""
    from bench.serve import Target

    return Target(LABEL, server_command, env(data), url, cwd=ANCHOR / "site")
