"""The wire inbox: a folder that an FTP/SFTP drop or an agency's client writes files into.

``Inbox(path).scan()`` finds the files that are ready; ``Inbox.claim()`` takes one for this
process; the ``ingest_wire`` command imports it and calls ``done()`` or ``failed()``. The rules
that keep every file, and import each exactly once:

- **Still being written.** Names ending ``.tmp``/``.part`` or starting with a dot are skipped
  (write them that way, then rename: the usual convention); any other file must keep the same
  size and modification time for ``settle`` seconds before it is taken.
- **Two processes on one folder.** A file is claimed by an atomic ``rename()`` into
  ``.claimed/``, named with this host and process id: of two processes exactly one rename
  succeeds, the other finds the file gone and moves on.
- **A crash mid-import.** Each story is one transaction, and the file leaves ``.claimed/`` only
  after it committed. On start (and on every scan) a claim whose process on this host is gone
  is put back in the inbox and imported again; a story already committed is then "already
  present", so nothing is doubled and no half story exists.
- **Done or refused.** Imported files move to ``processed/``; refused ones to ``failed/`` with
  a ``NAME.error`` note beside them. A name already there gets a numbered suffix: nothing is
  overwritten. A database that is down is nobody's file's fault: the file goes back to the
  inbox to be tried again.

Plain file handling, no Django: the command does the importing.
"""

from __future__ import annotations

import errno
import os
import socket
import stat
import time
from dataclasses import dataclass
from pathlib import Path

CLAIMED, PROCESSED, FAILED = ".claimed", "processed", "failed"
IN_PROGRESS_SUFFIXES = (".tmp", ".part", ".partial", ".filepart", ".crdownload")
SEP = "~"  # host~pid~name inside .claimed/


@dataclass(frozen=True)
class Claim:
    """A file this process holds in ``.claimed/`` while importing it."""

    name: str  # the file's name as it arrived
    path: Path  # where it is now


class Inbox:
    def __init__(self, folder: Path, *, settle: float = 1.0):
        self.folder = Path(folder)
        self.settle = settle
        self.owner = f"{socket.gethostname()}{SEP}{os.getpid()}"
        self._seen: dict[str, tuple[int, int, float]] = {}  # name -> size, mtime, first seen

    def prepare(self) -> None:
        """Make the inbox's folders; put back what crashed processes of this host left."""
        for name in (CLAIMED, PROCESSED, FAILED):
            (self.folder / name).mkdir(parents=True, exist_ok=True)
        self.recover()

    def recover(self) -> list[str]:
        """Return abandoned claims (their process on this host has died) to the inbox."""
        returned = []
        host = socket.gethostname()
        for path in sorted((self.folder / CLAIMED).iterdir()):
            parts = path.name.split(SEP, 2)
            if len(parts) != 3 or parts[0] != host or _alive(parts[1]):
                continue
            target = _free_name(self.folder / parts[2])
            try:
                os.rename(path, target)
            except FileNotFoundError:
                continue  # another process recovered it first
            returned.append(target.name)
        return returned

    def scan(self, *, now: float | None = None) -> tuple[list[str], list[str]]:
        """``(ready, waiting)``: file names ready to import (oldest first), and names still
        being written (their size or time changed, or they arrived less than ``settle`` ago)."""
        now = time.time() if now is None else now
        ready, waiting, current = [], [], {}
        with os.scandir(self.folder) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith(".") or name.lower().endswith(IN_PROGRESS_SUFFIXES):
                    continue
                try:
                    info = entry.stat(follow_symlinks=False)
                except FileNotFoundError:
                    continue  # taken by another process between listing and looking
                if not stat.S_ISREG(info.st_mode):
                    continue  # processed/, failed/, links and the like are not copy
                size, mtime = info.st_size, info.st_mtime_ns
                before = self._seen.get(name)
                # Unchanged since a look at least `settle` ago, or untouched for that long (a
                # file server whose clock runs ahead still passes the first test).
                stable_since = before[2] if before and before[:2] == (size, mtime) else now
                current[name] = (size, mtime, stable_since)
                if now - stable_since >= self.settle or now - mtime / 1e9 >= self.settle:
                    ready.append((mtime, name))
                else:
                    waiting.append(name)
        self._seen = current
        return [name for _, name in sorted(ready)], sorted(waiting)

    def claim(self, name: str) -> Claim | None:
        """Take ``name`` for this process, or None if another process took it first."""
        target = self.folder / CLAIMED / f"{self.owner}{SEP}{name}"
        try:
            os.rename(self.folder / name, target)
        except FileNotFoundError:
            return None
        self._seen.pop(name, None)
        return Claim(name, target)

    def done(self, claim: Claim) -> Path:
        """The file's story is in the newsroom: keep the file in ``processed/``."""
        return _move(claim.path, self.folder / PROCESSED / claim.name)

    def failed(self, claim: Claim, reason: str) -> Path:
        """The file was refused: keep it in ``failed/`` with ``NAME.error`` saying why."""
        target = _move(claim.path, self.folder / FAILED / claim.name)
        note = target.with_name(target.name + ".error")
        note.write_text(reason.rstrip() + "\n", encoding="utf-8")
        return target

    def release(self, claim: Claim) -> Path:
        """Put the file back in the inbox untouched, to be tried again (the database was down)."""
        return _move(claim.path, self.folder / claim.name)


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True  # someone else's process: alive
    except OSError as exc:
        return exc.errno != errno.ESRCH
    return True


def _free_name(path: Path) -> Path:
    """``path``, or ``name-1.ext``, ``name-2.ext``... whichever does not exist yet."""
    if not path.exists():
        return path
    for n in range(1, 100_000):
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise FileExistsError(path)


def _move(source: Path, target: Path) -> Path:
    target = _free_name(target)
    os.rename(source, target)
    return target
