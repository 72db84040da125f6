"""``manage.py import_story PATH [PATH ...]``: wire copy files (or folders of them) into drafts.

Any format the readers know (plain text, NITF, NewsML-G2, ninjs), told from the content; a
folder imports its ``*.txt``, ``*.xml`` and ``*.json`` files.
"""

import json
from datetime import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

from articles.models import Section
from articles.syndication.export import export_article, for_export
from articles.wire.importer import (
    MAX_WIRE_BYTES,
    ImportRefused,
    ImportWireStory,
    Outcome,
    may_import,
    read_wire_file,
    wire_image,
)

WIRE_SUFFIXES = {".txt", ".xml", ".json", ".nitf"}  # which files of a folder are wire copy


class Command(BaseCommand):
    help = (
        "Import wire copy (plain text, NITF, NewsML-G2 or ninjs): each PATH is a file or a "
        "folder of *.txt, *.xml and *.json files. Each story is "
        "made a draft (or published with --publish) in one transaction; a file that cannot be "
        "imported is reported and skipped. Exits non-zero if any file was refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        when = parser.add_mutually_exclusive_group()
        when.add_argument("--publish", action="store_true", help="Publish each story now.")
        when.add_argument(
            "--publish-at",
            metavar="ISO8601",
            help="Schedule each story, e.g. 2025-05-01T06:00+02:00 (no zone: the site's).",
        )
        parser.add_argument("--section", metavar="SLUG", help="File the stories in this section.")
        parser.add_argument(
            "--photo", metavar="IMAGE", help="The lead photo's image file (one story only)."
        )
        parser.add_argument(
            "--json", action="store_true", help="Print each story's export object, one per line."
        )
        parser.add_argument(
            "--update", action="store_true", help="Re-import copy already present into its story."
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Who imports (and publishes); default: the first superuser.",
        )

    def handle(self, *args, **options):
        user = self._user(options["user"])
        publish_at = self._publish_at(options["publish_at"])
        publishing = options["publish"] or publish_at is not None
        try:
            may_import(user, publishing=publishing)
        except PermissionDenied as exc:
            raise CommandError(f"{user.get_username()}: {exc}") from None
        section = self._section(options["section"])
        files = self._files(options["paths"])
        if options["photo"] and len(files) != 1:
            raise CommandError("--photo belongs to one story: give exactly one wire file.")

        # Human messages go to stderr under --json so stdout stays one JSON object per line.
        self.say = self.stderr if options["json"] else self.stdout
        progress = len(files) > 1 and self.stdout.isatty()
        tally = {Outcome.IMPORTED: 0, Outcome.UPDATED: 0, Outcome.PENDING: 0, Outcome.PRESENT: 0}
        refused: list[tuple[Path, str]] = []
        for number, (path, problem) in enumerate(files, start=1):
            if progress:
                self.stdout.write(f"\r\033[K[{number}/{len(files)}] {path.name}", ending="")
                self.stdout.flush()
            try:
                if problem:
                    raise ImportRefused(problem)
                results = self._import(path, user, section, options, publish_at)
            except (ImportRefused, PermissionDenied, DatabaseError, ValueError, OSError) as exc:
                # Each story rolled back alone; the batch carries on and reports this one.
                refused.append((path, _one_line(exc)))
                if progress:
                    self.stdout.write("\r\033[K", ending="")
                if len(files) > 1:
                    self.stderr.write(f"{path}: {_one_line(exc)}")
                continue
            if progress:
                self.stdout.write("\r\033[K", ending="")
            for result in results:
                tally[result.outcome] += 1
                self.say.write(f"{path}: {result.describe()}")
                if options["json"] and result.outcome != Outcome.PRESENT:
                    article = for_export().get(pk=result.article.pk)
                    self.stdout.write(json.dumps(export_article(article), ensure_ascii=False))

        if len(files) == 1 and refused:
            path, reason = refused[0]
            raise CommandError(f"{path}: {reason}", returncode=1)
        if len(files) > 1:
            self._summary(tally, refused)
        if refused:
            raise CommandError(f"{len(refused)} of {len(files)} files refused.", returncode=1)

    def _import(self, path, user, section, options, publish_at):
        text = read_wire_file(path, MAX_WIRE_BYTES)
        image = wire_image(Path(options["photo"])) if options["photo"] else None
        try:
            return ImportWireStory(
                text,
                user,
                section=section,
                image=image,
                publish=options["publish"],
                publish_at=publish_at,
                update=options["update"],
            ).execute_all()
        finally:
            if image is not None:
                image.close()

    def _summary(self, tally, refused):
        parts = [f"{tally[Outcome.IMPORTED]} imported"]
        if tally[Outcome.UPDATED]:
            parts.append(f"{tally[Outcome.UPDATED]} updated")
        if tally[Outcome.PENDING]:
            parts.append(f"{tally[Outcome.PENDING]} waiting for the desk")
        parts += [f"{tally[Outcome.PRESENT]} already present", f"{len(refused)} refused"]
        self.say.write("Summary: " + ", ".join(parts) + ".")
        for path, reason in refused:
            self.say.write(f"  refused {path}: {reason}")

    def _user(self, username):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            user = users.filter(username=username).first()
            if user is None:
                raise CommandError(f"No active user called {username!r}.")
            return user
        user = users.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            raise CommandError(
                "No superuser to import as: create one (createsuperuser) or pass --user USERNAME."
            )
        return user

    def _publish_at(self, value):
        if not value:
            return None
        try:
            at = datetime.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--publish-at {value!r} is not an ISO 8601 time.") from None
        return timezone.make_aware(at) if timezone.is_naive(at) else at

    def _section(self, slug):
        if not slug:
            return None
        section = Section.objects.filter(slug=slug).first()
        if section is None:
            known = ", ".join(Section.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No section {slug!r} (sections: {known}).")
        return section

    def _files(self, paths) -> list[tuple[Path, str]]:
        """Each file to import with the problem found up front ("" if none); folders expand."""
        files = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                found = sorted(
                    p for p in path.iterdir() if p.is_file() and p.suffix.lower() in WIRE_SUFFIXES
                )
                if not found:
                    files.append((path, "The folder holds no *.txt, *.xml or *.json files."))
                files.extend((p, "") for p in found)
            elif not path.exists():
                files.append((path, "No such file."))
            else:
                files.append((path, ""))
        return files


def _one_line(exc) -> str:
    messages = getattr(exc, "messages", None) or [str(exc)]
    return " ".join(" ".join(messages).split())
