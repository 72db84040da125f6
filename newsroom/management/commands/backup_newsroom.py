"""``manage.py backup_newsroom FILE.tar.gz``: every story, person, photo (with files) and tag."""

from pathlib import Path

from django.core.management.base import BaseCommand

from newsroom.backup import write_backup


class Command(BaseCommand):
    help = "Write the whole newsroom (rows and media files) to one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="Where to write, e.g. newsroom.tar.gz")

    def handle(self, *args, archive: Path, **options):
        manifest = write_backup(archive)
        rows = sum(manifest["rows"].values())
        self.stdout.write(f"Wrote {archive}: {rows} rows, {len(manifest['files'])} media files.")
        for name in manifest["missing_files"]:
            self.stderr.write(f"Missing from media storage (not backed up): {name}")
