"""``manage.py media_to_bucket``: copy local media into the configured S3 storages, verified.

Run it with the new settings (``NEWSROOM_S3_BUCKET`` and friends) and with ``MEDIA_ROOT`` and
``NEWSROOM_PRIVATE_MEDIA_ROOT`` (or ``--public-from`` / ``--private-from``) naming the old local
folders. Every file a row points at is copied under the same name into the storage its field
uses, then checked (size and MD5 against the object); a file already there and identical is
skipped, so an interrupted run is resumed by running it again, and a second run copies nothing.
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError

from newsroom.backup import backup_models, media_files
from newsroom.media import PRIVATE, PUBLIC


class Command(BaseCommand):
    help = __doc__.split("\n\n", 1)[1].replace("\n", " ")

    def add_arguments(self, parser):
        parser.add_argument("--public-from", metavar="DIR", help="Default: MEDIA_ROOT.")
        parser.add_argument(
            "--private-from", metavar="DIR", help="Default: NEWSROOM_PRIVATE_MEDIA_ROOT."
        )

    def handle(self, *args, **options):
        sources = {
            PUBLIC: Path(options["public_from"] or settings.MEDIA_ROOT),
            PRIVATE: Path(options["private_from"] or settings.NEWSROOM_PRIVATE_MEDIA_ROOT),
        }
        for alias, folder in sources.items():
            target = storages[alias]
            if isinstance(target, FileSystemStorage) and Path(target.location) == folder.resolve():
                raise CommandError(
                    f"The {alias!r} storage is the folder {folder} itself: configure the bucket "
                    "(NEWSROOM_S3_BUCKET, docs/deployment.md) before copying into it."
                )
        copied = present = 0
        problems: list[str] = []
        for alias, name in media_files(backup_models()):
            source = sources[alias] / name
            if not source.is_file():
                problems.append(f"{alias}/{name}: not in {sources[alias]}")
                continue
            storage = storages[alias]
            size, digest = _local_digest(source)
            if storage.exists(name) and _remote_digest(storage, name) == (size, digest):
                present += 1
                continue
            if storage.exists(name):  # a partial or different copy from an earlier run
                storage.delete(name)
            with source.open("rb") as handle:
                saved = storage.save(name, File(handle, name=name))
            if saved != name or _remote_digest(storage, name) != (size, digest):
                problems.append(f"{alias}/{name}: the copy does not match the file")
                continue
            copied += 1
            if options["verbosity"] > 1:
                self.stdout.write(f"copied {alias}/{name}")
        self.stdout.write(f"{copied} copied, {present} already in place, {len(problems)} problems.")
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} files were not copied.", returncode=1)


def _local_digest(path: Path) -> tuple[int, str]:
    md5 = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            md5.update(block)
    return path.stat().st_size, md5.hexdigest()


def _remote_digest(storage, name: str) -> tuple[int, str]:
    """Size and MD5 of a stored object: S3's ETag when it is a plain MD5, else by reading it."""
    bucket = getattr(storage, "bucket", None)
    if bucket is not None:
        from storages.utils import clean_name

        key = storage._normalize_name(clean_name(name))
        head = bucket.meta.client.head_object(Bucket=bucket.name, Key=key)
        etag = head["ETag"].strip('"')
        if "-" not in etag:  # single-part upload: the ETag is the MD5
            return head["ContentLength"], etag
    md5 = hashlib.md5(usedforsecurity=False)
    size = 0
    with storage.open(name, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            md5.update(block)
            size += len(block)
    return size, md5.hexdigest()
