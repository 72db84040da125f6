"""The wire inbox (articles/wire/inbox.py) and ``manage.py ingest_wire``.

The file rules are tested directly; the command in-process; and the failure modes with real
processes: two ingest processes on one folder, files appearing while being written, and a
process killed mid-batch then restarted. The real-process tests run on their own SQLite file
(migrated once per module), whatever database the suite uses, and read it back with sqlite3.
"""

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from articles.wire.inbox import CLAIMED, FAILED, PROCESSED, Inbox
from bench.import_bench import generate_story
from tests.support import REPO

FORMATS_DIR = REPO / "tests" / "fixtures" / "wire" / "formats"


def stories(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [generate_story(n, rng) for n in range(count)]


def old(path: Path, seconds: float = 60) -> Path:
    """Backdate a file, as if it arrived a while ago."""
    when = time.time() - seconds
    os.utime(path, (when, when))
    return path


# -- the file rules ------------------------------------------------------------------------------


def test_scan_skips_files_being_written_and_what_is_not_copy(tmp_path):
    inbox = Inbox(tmp_path, settle=1.0)
    inbox.prepare()
    (tmp_path / "ready.xml").write_text("copy")
    old(tmp_path / "ready.xml")
    (tmp_path / "story.xml.tmp").write_text("half")
    (tmp_path / ".hidden").write_text("x")
    (tmp_path / "fresh.txt").write_text("just arrived")
    (tmp_path / "folder").mkdir()
    (tmp_path / "link.txt").symlink_to(tmp_path / "ready.xml")

    ready, waiting = inbox.scan()

    assert (ready, waiting) == (["ready.xml"], ["fresh.txt"])


def test_a_file_unchanged_for_the_settle_time_is_ready_and_one_still_growing_is_not(tmp_path):
    inbox = Inbox(tmp_path, settle=5.0)
    growing, steady = tmp_path / "growing.txt", tmp_path / "steady.txt"
    growing.write_text("a")
    steady.write_text("b")
    now = time.time()
    assert inbox.scan(now=now) == ([], ["growing.txt", "steady.txt"])
    growing.write_text("a longer text")  # written to again: its clock starts over
    os.utime(growing, (now + 5.5, now + 5.5))
    assert inbox.scan(now=now + 6) == (["steady.txt"], ["growing.txt"])
    assert inbox.scan(now=now + 12) == (["steady.txt", "growing.txt"], [])  # oldest first


def test_only_one_claim_of_a_file_succeeds(tmp_path):
    first, second = Inbox(tmp_path), Inbox(tmp_path)
    first.prepare()
    (tmp_path / "a.txt").write_text("copy")
    claim = first.claim("a.txt")
    assert claim is not None and claim.path.parent.name == CLAIMED
    assert second.claim("a.txt") is None
    assert not (tmp_path / "a.txt").exists()


def test_claims_of_a_dead_process_go_back_to_the_inbox(tmp_path):
    inbox = Inbox(tmp_path)
    inbox.prepare()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    pid = dead.stdout.decode().strip()
    import socket

    host = socket.gethostname()
    (tmp_path / CLAIMED / f"{host}~{pid}~lost.txt").write_text("copy")
    (tmp_path / CLAIMED / f"{host}~{os.getpid()}~mine.txt").write_text("copy")
    (tmp_path / CLAIMED / "elsewhere~1~theirs.txt").write_text("copy")

    assert inbox.recover() == ["lost.txt"]
    assert (tmp_path / "lost.txt").read_text() == "copy"
    assert len(list((tmp_path / CLAIMED).iterdir())) == 2


def test_refused_files_keep_a_note_and_nothing_is_overwritten(tmp_path):
    inbox = Inbox(tmp_path)
    inbox.prepare()
    for n in range(2):
        (tmp_path / "same.txt").write_text(f"copy {n}")
        inbox.failed(inbox.claim("same.txt"), f"reason {n}")
    names = sorted(p.name for p in (tmp_path / FAILED).iterdir())
    assert names == ["same-1.txt", "same-1.txt.error", "same.txt", "same.txt.error"]
    assert (tmp_path / FAILED / "same-1.txt.error").read_text() == "reason 1\n"
    assert (tmp_path / FAILED / "same-1.txt").read_text() == "copy 1"


# -- the command, in this process ----------------------------------------------------------------


@pytest.fixture
def boss(db):
    from tests import factories

    return factories.user("Admin", username="boss", is_superuser=True)


@pytest.mark.django_db
def test_once_imports_every_format_and_files_the_refusals(boss, tmp_path, capsys):
    for name in (
        "rural-clinic.nitf.xml",
        "museum-masks.ninjs.json",
        "lighthouse-keepers.newsml.xml",
    ):
        shutil.copy(FORMATS_DIR / name, tmp_path / name)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bomb.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY a "aaaa">]><nitf>&a;</nitf>'
    )
    for path in tmp_path.iterdir():
        old(path)

    with pytest.raises(CommandError) as failed:
        call_command("ingest_wire", str(tmp_path), "--once")

    assert failed.value.returncode == 1
    out = capsys.readouterr().out
    assert Article.objects.count() == 3
    assert sorted(p.name for p in (tmp_path / PROCESSED).iterdir()) == [
        "lighthouse-keepers.newsml.xml",
        "museum-masks.ninjs.json",
        "rural-clinic.nitf.xml",
    ]
    assert (tmp_path / FAILED / "bomb.xml.error").read_text().startswith("The XML declares")
    assert (tmp_path / FAILED / "empty.txt.error").read_text() == "The file is empty.\n"
    lines = [line for line in out.splitlines() if line.startswith("[")]
    assert len(lines) == 5 and lines[0].startswith("[1/5] ")
    assert "Summary: 3 imported, 2 failed (5 files in" in out


@pytest.mark.django_db
def test_a_file_sent_again_is_already_present_and_still_filed(boss, tmp_path, capsys):
    old(shutil.copy(FORMATS_DIR / "rural-clinic.nitf.xml", tmp_path / "a.xml"))
    call_command("ingest_wire", str(tmp_path), "--once")
    old(shutil.copy(FORMATS_DIR / "rural-clinic.nitf.xml", tmp_path / "a.xml"))
    call_command("ingest_wire", str(tmp_path), "--once")
    assert Article.objects.count() == 1
    assert sorted(p.name for p in (tmp_path / PROCESSED).iterdir()) == ["a-1.xml", "a.xml"]
    assert "1 already present" in capsys.readouterr().out


@pytest.mark.django_db
def test_bad_options_are_refused(boss, tmp_path):
    with pytest.raises(CommandError, match="no such folder"):
        call_command("ingest_wire", str(tmp_path / "nope"), "--once")
    with pytest.raises(CommandError, match="interval"):
        call_command("ingest_wire", str(tmp_path), "--once", "--interval", "0")


# -- real processes ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A migrated SQLite file with a superuser, copied for each test that needs processes."""
    folder = tmp_path_factory.mktemp("ingest-db")
    database = folder / "template.sqlite3"
    env = process_env(database)
    manage = [sys.executable, str(REPO / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=REPO)
    make_boss = (
        "from django.contrib.auth import get_user_model; "
        "get_user_model().objects.create_superuser('boss', 'boss@example.com', 'pw')"
    )
    subprocess.run([*manage, "shell", "-c", make_boss], env=env, check=True, cwd=REPO)
    return database


def process_env(database: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DATABASE_URL=f"sqlite:///{database}", DJANGO_SETTINGS_MODULE="newsroom.settings.test"
    )
    return env


@pytest.fixture
def database(migrated, tmp_path):
    path = tmp_path / "ingest.sqlite3"
    shutil.copy(migrated, path)
    return path


def ingest(database: Path, folder: Path, *args: str, **popen) -> subprocess.Popen:
    command = [sys.executable, str(REPO / "manage.py"), "ingest_wire", str(folder), *args]
    return subprocess.Popen(
        command,
        env=process_env(database),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **popen,
    )


def count(folder: Path) -> int:
    return len(list(folder.iterdir())) if folder.is_dir() else 0


def rows(database: Path, sql: str):
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


def assert_each_story_whole_and_once(database: Path, expected: int) -> None:
    assert rows(database, "SELECT COUNT(*) FROM articles_article") == [(expected,)]
    assert rows(database, "SELECT COUNT(DISTINCT headline) FROM articles_article") == [(expected,)]
    # No half story: every article has its bylines, quotes and the one revision of its import.
    for table in ("articles_byline", "articles_quote", "articles_revision"):
        orphans = rows(
            database,
            f"SELECT COUNT(*) FROM articles_article a WHERE NOT EXISTS "
            f"(SELECT 1 FROM {table} t WHERE t.article_id = a.id)",
        )
        assert orphans == [(0,)], table
    assert (
        rows(
            database,
            "SELECT COUNT(*) FROM articles_revision GROUP BY article_id HAVING COUNT(*) > 1",
        )
        == []
    )


def test_two_processes_on_one_folder_import_each_file_exactly_once(database, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    copies = stories(150)
    for n, text in enumerate(copies):
        (inbox / f"story-{n:03}.txt").write_text(text)
        old(inbox / f"story-{n:03}.txt")

    first = ingest(database, inbox, "--once", "--settle", "0")
    second = ingest(database, inbox, "--once", "--settle", "0")
    outputs = [p.communicate(timeout=300)[0] for p in (first, second)]

    assert [first.returncode, second.returncode] == [0, 0], outputs
    done = sorted(p.name for p in (inbox / PROCESSED).iterdir())
    assert done == [f"story-{n:03}.txt" for n in range(150)]
    assert not list((inbox / FAILED).iterdir()) and not list((inbox / CLAIMED).iterdir())
    claimed = [sum(line.startswith("[") for line in out.splitlines()) for out in outputs]
    assert sum(claimed) == 150 and all(claimed), claimed  # both worked, no file twice
    assert_each_story_whole_and_once(database, 150)


def test_files_appearing_mid_write_are_imported_whole_once(database, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    watcher = ingest(database, inbox, "--interval", "0.1", "--settle", "1.0")
    try:
        first, second = stories(2, seed=11)
        # A writer that pauses between chunks (shorter than the settle time)...
        with (inbox / "slow.txt").open("w") as handle:
            for start in range(0, len(first), len(first) // 5):
                handle.write(first[start : start + len(first) // 5])
                handle.flush()
                time.sleep(0.3)
        # ...and one that writes under a temporary name, then renames.
        temporary = inbox / "quick.txt.tmp"
        temporary.write_text(second[: len(second) // 2])
        time.sleep(1.5)  # longer than the settle time: a .tmp file is never taken
        assert temporary.exists()
        with temporary.open("a") as handle:
            handle.write(second[len(second) // 2 :])
        temporary.rename(inbox / "quick.txt")
        deadline = time.time() + 60
        while count(inbox / PROCESSED) < 2 and time.time() < deadline:
            time.sleep(0.2)
    finally:
        watcher.send_signal(signal.SIGTERM)
        output = watcher.communicate(timeout=60)[0]
    assert watcher.returncode == 0, output
    assert sorted(p.name for p in (inbox / PROCESSED).iterdir()) == ["quick.txt", "slow.txt"]
    assert not list((inbox / FAILED).iterdir()), output
    assert_each_story_whole_and_once(database, 2)
    bodies = rows(database, "SELECT body_text FROM articles_article ORDER BY id")
    assert all("Paragraph 5 of background" in body for (body,) in bodies)


def test_a_process_killed_mid_batch_loses_nothing_and_doubles_nothing(database, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n, text in enumerate(stories(120, seed=5)):
        (inbox / f"s{n:03}.txt").write_text(text)
        old(inbox / f"s{n:03}.txt")

    victim = ingest(database, inbox, "--once", "--settle", "0")
    deadline = time.time() + 120
    while count(inbox / PROCESSED) < 20 and time.time() < deadline:
        time.sleep(0.05)
    victim.send_signal(signal.SIGKILL)  # no clean-up at all: mid-file, mid-transaction maybe
    victim.communicate(timeout=60)
    left = len(list((inbox / CLAIMED).iterdir())) + len(list(inbox.glob("*.txt")))
    assert left > 0, "the batch finished before the kill; nothing was tested"

    again = ingest(database, inbox, "--once", "--settle", "0")
    output = again.communicate(timeout=300)[0]

    assert again.returncode == 0, output
    assert len(list((inbox / PROCESSED).iterdir())) == 120
    assert not list((inbox / CLAIMED).iterdir()) and not list(inbox.glob("*.txt"))
    assert_each_story_whole_and_once(database, 120)
