"""Renditions at public addresses only while a public (or scheduled) story uses the photo.

Renditions are made once, into private storage. When a story that uses a photo is published or
scheduled, each rendition is copied to the public storage (behind ``MEDIA_URL`` and the CDN)
under a fresh random folder name; when no public or scheduled story uses the photo any more, the
copies are deleted. ``sync_photos()`` compares what is public with
``visibility.photos_to_release()`` and fixes the difference, so it is safe to call any number of
times; the signal handlers call it after every story change, and ``manage.py release_photos``
runs it for every photo (for stories that expired by the clock, with no event). Each release or
withdrawal sends ``photo_released`` after commit, so the page caches drop what shows the photo.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable

from django.db import transaction

from articles.models import Photo, Rendition
from articles.signals import announce_photo_files
from articles.visibility import photos_to_release
from newsroom.media import copy_file, public_storage

logger = logging.getLogger(__name__)


def sync_photos(photo_ids: Iterable[int]) -> None:
    """Release or withdraw each photo's renditions as the visibility rule says."""
    ids = {pk for pk in photo_ids if pk is not None}
    if not ids:
        return
    wanted = set(photos_to_release().filter(pk__in=ids).values_list("pk", flat=True))
    for pk in sorted(ids):
        if pk in wanted:
            release(pk)
        else:
            withdraw(pk)


def sync_all() -> tuple[int, int]:
    """Reconcile every photo; returns (photos released, photos withdrawn)."""
    wanted = set(photos_to_release().values_list("pk", flat=True))
    public = set(
        Rendition.objects.exclude(public_file="").values_list("photo_id", flat=True).distinct()
    )
    pending = set(
        Rendition.objects.filter(photo_id__in=wanted, public_file="").values_list(
            "photo_id", flat=True
        )
    )
    for pk in sorted(pending):
        release(pk)
    gone = public - wanted
    for pk in sorted(gone):
        withdraw(pk)
    return len(pending), len(gone)


def release(photo_id: int) -> int:
    """Copy the photo's renditions that are not public yet; returns how many were copied."""
    storage = public_storage()
    written: list[str] = []
    folder = f"renditions/{secrets.token_urlsafe(18)}"
    try:
        with transaction.atomic():
            rows = list(
                Rendition.objects.select_for_update().filter(photo_id=photo_id, public_file="")
            )
            for rendition in rows:
                ext = rendition.file.name.rsplit(".", 1)[-1]
                name = copy_file(
                    rendition.file.storage,
                    rendition.file.name,
                    storage,
                    f"{folder}/{rendition.spec}.{ext}",
                )
                written.append(name)
                rendition.public_file.name = name
                rendition.save(update_fields=["public_file"])
    except BaseException:
        for name in written:  # nothing half-released: no public copy without its row
            storage.delete(name)
        raise
    if written:
        announce_photo_files(photo_id)  # pages showing it may now link the public copies
    return len(written)


def withdraw(photo_id: int) -> int:
    """Delete the photo's public copies; returns how many were public."""
    with transaction.atomic():
        rows = list(
            Rendition.objects.select_for_update().filter(photo_id=photo_id).exclude(public_file="")
        )
        names = [r.public_file.name for r in rows]
        Rendition.objects.filter(pk__in=[r.pk for r in rows]).update(public_file="")
        transaction.on_commit(lambda: delete_public(names))
        if names:
            announce_photo_files(photo_id)  # no cached page may keep linking the deleted copies
    return len(names)


def delete_public(names: Iterable[str]) -> None:
    storage = public_storage()
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # logged; sync_all() finds nothing left to do, the object lingers
            logger.exception("Could not delete public media %s", name)


def photo_ids_of(article) -> set[int]:
    """The photos a story uses now, from the read model (or, for a deleted story, its copy)."""
    ids = set(article.photo_ids())
    if article.pk is not None:
        ids |= set(
            Photo.stories.through.objects.filter(article_id=article.pk).values_list(
                "photo_id", flat=True
            )
        )
    return ids
