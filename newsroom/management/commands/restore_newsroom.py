"""``manage.py restore_newsroom FILE.tar.gz [--flush]``: the other half of backup_newsroom."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Load a backup_newsroom archive into a freshly migrated database and media storage."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--flush",
            action="store_true",
            help="Empty the database first (every table, like `manage.py flush`).",
        )

    def handle(self, *args, archive: Path, flush: bool, **options):
        if not archive.exists():
            raise CommandError(f"No such file: {archive}")
        try:
            manifest = restore_backup(archive, flush=flush)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"Restored {rows} rows and {len(manifest['files'])} media files from {archive}."
        )
