"""Backup and restore of the newsroom: every row of the project's apps plus the media files.

A backup is one ``.tar.gz`` holding ``manifest.json`` (row counts and file names), two
fixtures that ``loaddata`` reads, and ``media/<storage>/<name>`` for every file a ``FileField``
points at, in whichever storage the field names (``private``: originals, renditions as made,
portraits; ``default``: the public copies of released renditions):

* ``accounts.xml``: users and groups by name (natural keys), so they merge with the groups the
  migrations create and the logins another database already has;
* ``content.xml``: every other row with its id (stories link to each other by id inside their
  body), pointing at users, content types and tags by natural key.

XML, because Django's JSON encoder rounds times to milliseconds; taggit's natural key for
tagged items is not unique, hence ids for everything but accounts.

Which models: every model of the project's own apps (found from the app registry, so a model
added later is included without touching this module) plus ``auth`` users and groups and
taggit's tags. Not included: what ``migrate`` recreates (content types, permissions) and what
is disposable (sessions, the admin log).
"""

import io
import itertools
import json
import shutil
import tarfile
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection, models, transaction
from django.utils import timezone

from newsroom.media import storage_alias

FORMAT = 2  # 1: media/<name>, all in the default storage
ACCOUNTS_NAME = "accounts.xml"
CONTENT_NAME = "content.xml"
ACCOUNT_MODELS = ("auth.user", "auth.group")
MANIFEST_NAME = "manifest.json"
MEDIA_DIR = "media"
# Apps outside the project whose rows are newsroom content.
THIRD_PARTY_APPS = ("auth", "taggit")
# Rows that ``migrate`` makes (and that natural keys point at by name).
SKIPPED_MODELS = ("auth.permission",)


class BackupError(Exception):
    """A backup that cannot be read, or a restore that would mix two newsrooms."""


def _is_project_app(app_config) -> bool:
    path = Path(app_config.path).resolve()
    base = Path(settings.BASE_DIR).resolve()
    return path.is_relative_to(base) and "site-packages" not in path.parts


def backup_models() -> list[type[models.Model]]:
    """The models whose rows a backup holds, in app-registry order."""
    chosen = []
    for app_config in apps.get_app_configs():
        if not (_is_project_app(app_config) or app_config.label in THIRD_PARTY_APPS):
            continue
        for model in app_config.get_models():
            if model._meta.label_lower not in SKIPPED_MODELS and not model._meta.proxy:
                chosen.append(model)
    return chosen


def _file_fields(model) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def media_files(model_list: Iterable[type[models.Model]]) -> list[tuple[str, str]]:
    """``(storage alias, name)`` of every file the given models' rows point at, sorted."""
    found: set[tuple[str, str]] = set()
    for model in model_list:
        for field in _file_fields(model):
            alias = storage_alias(field.storage)
            values = model._default_manager.exclude(**{field.name: ""}).values_list(
                field.name, flat=True
            )
            found.update((alias, v) for v in values if v)
    return sorted(found)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def _fixture(model_list: list[type[models.Model]], natural_primary: bool) -> bytes:
    """The rows of ``model_list`` as a loaddata fixture, models ordered by dependency."""
    ordered = serializers.sort_dependencies(
        [(apps.get_app_config(m._meta.app_label), [m]) for m in model_list], allow_cycles=True
    )
    rows = itertools.chain.from_iterable(m._default_manager.order_by("pk") for m in ordered)
    return serializers.serialize(
        "xml",
        rows,
        use_natural_foreign_keys=True,
        use_natural_primary_keys=natural_primary,
    ).encode()


def write_backup(path: Path) -> dict:
    """Write a backup of the whole newsroom to ``path``; returns the manifest."""
    model_list = backup_models()
    accounts = [m for m in model_list if m._meta.label_lower in ACCOUNT_MODELS]
    content = [m for m in model_list if m not in accounts]
    # One transaction, so the rows and the list of files agree with each other.
    with transaction.atomic(), tarfile.open(path, "w:gz") as archive:
        files = media_files(model_list)
        missing = [f for f in files if not storages[f[0]].exists(f[1])]
        kept = [f for f in files if f not in missing]
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "rows": {m._meta.label_lower: m._default_manager.count() for m in model_list},
            "files": [f"{alias}/{name}" for alias, name in kept],
            "missing_files": [f"{alias}/{name}" for alias, name in missing],
        }
        _add_bytes(archive, MANIFEST_NAME, json.dumps(manifest, indent=2).encode())
        _add_bytes(archive, ACCOUNTS_NAME, _fixture(accounts, natural_primary=True))
        _add_bytes(archive, CONTENT_NAME, _fixture(content, natural_primary=False))
        for alias, name in kept:
            with storages[alias].open(name, "rb") as handle:
                _add_bytes(archive, f"{MEDIA_DIR}/{alias}/{name}", handle.read())
    return manifest


def _safe_media_name(member: tarfile.TarInfo) -> str | None:
    """The path of a media member under ``media/``, or None for anything else (links, ``..``)."""
    path = PurePosixPath(member.name)
    if not member.isfile() or path.is_absolute() or ".." in path.parts:
        return None
    if len(path.parts) < 2 or path.parts[0] != MEDIA_DIR:
        return None
    return str(PurePosixPath(*path.parts[1:]))


def _destination(path: str, backup_format: int, referenced: dict[str, str]) -> tuple[str, str]:
    """``(storage alias, name)`` for a media member: format 2 names its storage; format 1 files
    go where the restored rows expect them."""
    if backup_format >= 2:
        alias, _, name = path.partition("/")
        if alias in storages.backends and alias != "staticfiles" and name:
            return alias, name
        raise BackupError(f"The backup names an unknown storage for {path}.")
    return referenced.get(path, "default"), path


def holds_content() -> bool:
    """Whether this database already has newsroom rows (beyond what migrate creates)."""
    project_models = [m for m in backup_models() if m._meta.app_label not in THIRD_PARTY_APPS]
    return any(m._default_manager.exists() for m in project_models)


def restore_backup(path: Path, flush: bool = False) -> dict:
    """Load the backup at ``path`` into this database and media storage; returns the manifest.

    The database must not hold newsroom content already, unless ``flush`` empties it first
    (every table, as ``manage.py flush`` does). Rows and files are restored in one transaction:
    if a file cannot be written, no row is kept.
    """
    with tarfile.open(path, "r:gz") as archive, tempfile.TemporaryDirectory() as tmp:
        try:
            manifest = json.load(archive.extractfile(MANIFEST_NAME))
            fixtures = []
            for name in (ACCOUNTS_NAME, CONTENT_NAME):
                fixtures.append(Path(tmp) / name)
                with fixtures[-1].open("wb") as out:
                    shutil.copyfileobj(archive.extractfile(name), out)
        except (KeyError, json.JSONDecodeError) as error:
            raise BackupError(f"{path} is not a newsroom backup: {error}") from error
        if manifest.get("format") not in (1, FORMAT):
            raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")

        with transaction.atomic():
            if flush:
                # PostgreSQL will not TRUNCATE with deferred FK checks pending in this transaction.
                connection.check_constraints()
                call_command("flush", interactive=False, verbosity=0)
            elif holds_content():
                raise BackupError(
                    "This database already holds newsroom content; restore into a freshly "
                    "migrated database, or pass --flush to empty it first."
                )
            call_command("loaddata", *map(str, fixtures), verbosity=0)
            # Content-type ids may differ from the ones this process has cached.
            ContentType.objects.clear_cache()
            referenced = {name: alias for alias, name in media_files(backup_models())}
            for member in archive.getmembers():
                path = _safe_media_name(member)
                if path is None:
                    continue
                alias, name = _destination(path, manifest["format"], referenced)
                storage = storages[alias]
                content = archive.extractfile(member).read()
                if storage.exists(name):
                    storage.delete(name)
                saved = storage.save(name, ContentFile(content))
                if saved != name:
                    raise BackupError(f"Storage renamed {name} to {saved}.")
    return manifest
