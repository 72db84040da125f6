"""``manage.py ingest_wire DIR [--once] [--interval SECONDS]``: import what arrives in a folder.

Each new file (any wire format) is imported, then moved to ``DIR/processed/``, or to
``DIR/failed/`` with a ``.error`` note. The file rules (files being written, two processes,
crashes) are ``articles/wire/inbox.py``'s; docs/wire-import.md has a systemd unit.
"""

import signal
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections, connection

from articles.models import Section
from articles.wire.importer import (
    MAX_WIRE_BYTES,
    ImportRefused,
    ImportWireStory,
    Outcome,
    read_wire_file,
)
from articles.wire.inbox import Inbox

TALLY = (Outcome.IMPORTED, Outcome.UPDATED, Outcome.PENDING, Outcome.PRESENT)


class Command(BaseCommand):
    help = (
        "Watch DIR for wire copy (plain text, NITF, NewsML-G2, ninjs): import each new file, "
        "then move it to DIR/processed/ or, with a .error note, to DIR/failed/."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="DIR")
        parser.add_argument("--once", action="store_true", help="Import what is there and exit.")
        parser.add_argument(
            "--interval", type=float, default=5.0, metavar="SECONDS", help="Between scans (5)."
        )
        parser.add_argument(
            "--settle",
            type=float,
            default=1.0,
            metavar="SECONDS",
            help="A file must stay unchanged this long before it is read (1).",
        )
        parser.add_argument("--section", metavar="SLUG", help="File the stories in this section.")
        parser.add_argument(
            "--user", metavar="USERNAME", help="Who imports; default: the first superuser."
        )

    def handle(self, *args, folder, once, interval, settle, section, user, **options):
        path = Path(folder)
        if not path.is_dir():
            raise CommandError(f"{path}: no such folder.")
        if interval <= 0 or settle < 0:
            raise CommandError("--interval must be above 0 and --settle not below 0.")
        self.user = self._user(user)
        if not self.user.has_perm("articles.add_article"):
            raise CommandError(f"{self.user.get_username()} may not import stories.")
        self.section = self._section(section)
        inbox = Inbox(path, settle=settle)
        inbox.prepare()
        self.stopping = False
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._stop)
        self.stdout.write(
            f"Watching {path} as {self.user.get_username()}"
            + (" (once)" if once else f" every {interval:g} s")
        )
        trouble = False
        while not self.stopping:
            _refresh_connections()
            returned = inbox.recover()
            if returned:
                self.stdout.write(f"Retrying {len(returned)} file(s) left by a stopped process.")
            ready = self._ready(inbox, once)
            if ready:
                trouble |= self._batch(inbox, ready)
            if once:
                break
            self._sleep(interval)
        if once and trouble:
            raise CommandError("Some files failed or must be retried (see above).", returncode=1)

    # -- one pass --------------------------------------------------------------------------

    def _ready(self, inbox: Inbox, once: bool) -> list[str]:
        ready, waiting = inbox.scan()
        deadline = time.monotonic() + max(inbox.settle * 3, 1.0)
        while once and waiting and time.monotonic() < deadline and not self.stopping:
            # --once still waits for a file it saw being written, a little.
            time.sleep(min(0.2, max(inbox.settle, 0.05)))
            more, waiting = inbox.scan()
            ready = list(dict.fromkeys(ready + more))
        for name in waiting if once else []:
            self.stdout.write(f"{name}: still being written; left for the next run")
        return ready

    def _batch(self, inbox: Inbox, names: list[str]) -> bool:
        started = time.monotonic()
        tally = dict.fromkeys(TALLY, 0)
        failed = retry = files = 0
        for number, name in enumerate(names, start=1):
            if self.stopping:
                break
            claim = inbox.claim(name)
            if claim is None:
                continue  # another ingest process took it
            files += 1
            where = f"[{number}/{len(names)}] {name}"
            try:
                text = read_wire_file(claim.path, MAX_WIRE_BYTES)
                results = ImportWireStory(text, self.user, section=self.section).execute_all()
            except (ImportRefused, PermissionDenied, ValueError) as exc:
                inbox.failed(claim, _one_line(exc))
                failed += 1
                self.stdout.write(f"{where}: failed: {_one_line(exc)}")
                continue
            except DatabaseError as exc:
                inbox.release(claim)
                retry += 1
                self.stdout.write(f"{where}: database error, left to retry: {_one_line(exc)}")
                _refresh_connections()
                continue
            except Exception as exc:  # a bug must not lose the file: keep it, say what broke
                inbox.failed(claim, f"{type(exc).__name__}: {_one_line(exc)}")
                failed += 1
                self.stderr.write(f"{where}: failed: {type(exc).__name__}: {_one_line(exc)}")
                continue
            inbox.done(claim)
            for result in results:
                tally[result.outcome] += 1
            self.stdout.write(f"{where}: " + "; ".join(r.describe() for r in results))
        seconds = time.monotonic() - started
        parts = [f"{count} {outcome}" for outcome, count in tally.items() if count]
        parts += [f"{failed} failed"] if failed else []
        parts += [f"{retry} to retry"] if retry else []
        rate = files / seconds if seconds > 0 else 0.0
        self.stdout.write(
            f"Summary: {', '.join(parts) or 'nothing new'} "
            f"({files} files in {seconds:.1f} s, {rate:.0f} files/s)."
        )
        return bool(failed or retry)

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < end:
            time.sleep(min(0.2, end - time.monotonic()) if end > time.monotonic() else 0)

    def _stop(self, signum, frame) -> None:
        # Finish the file in hand, then exit: a claim is never left half done on purpose.
        self.stopping = True

    # -- options ---------------------------------------------------------------------------

    def _user(self, username):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            found = users.filter(username=username).first()
            if found is None:
                raise CommandError(f"No active user called {username!r}.")
            return found
        found = users.filter(is_superuser=True).order_by("pk").first()
        if found is None:
            raise CommandError("No superuser to import as: pass --user USERNAME.")
        return found

    def _section(self, slug):
        if not slug:
            return None
        found = Section.objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(f"No section {slug!r}.")
        return found


def _refresh_connections() -> None:
    """A long-running watcher drops broken or expired connections between files, as Django does
    between requests; never one inside a transaction (as when a test calls the command)."""
    if not connection.in_atomic_block:
        close_old_connections()


def _one_line(exc) -> str:
    messages = getattr(exc, "messages", None) or [str(exc)]
    return " ".join(" ".join(messages).split())
