"""``CleanImageField``: an image field that stores only what the registered cleaner made of it.

Every way a file reaches such a field — a form, ``field.save(name, content)``, a model saved
with a fresh file — passes ``FieldFile.save``, which runs the cleaner first (the story app
registers ``articles.photos.uploads.clean_image`` in ``ready()``; ``people`` uses the same
field without importing the story app). The stored bytes are the cleaner's re-encoding, under a
random name: no metadata, no appended payload, no name a reader could guess.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.fields.files import ImageFieldFile
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from newsroom.media.writable import STORAGE_ERRORS, MediaUnwritable, storage_problem

logger = logging.getLogger(__name__)
_cleaner: Callable[[Any], Any] | None = None
# The result of cleaning rides on the uploaded file, so validation and saving decode it once.
CLEANED = "_newsroom_cleaned_image"


def register_cleaner(cleaner: Callable[[Any], Any]) -> None:
    """Set the function that validates and re-encodes uploads (raises ``ValidationError``)."""
    global _cleaner
    _cleaner = cleaner


def cleaned(content) -> Any:
    """The cleaner's result for ``content``, made once and remembered on the file object."""
    result = getattr(content, CLEANED, None)
    if result is None:
        if _cleaner is None:
            raise ImproperlyConfigured("No image cleaner registered (see newsroom.media.fields).")
        result = _cleaner(content)
        # Bytes and the like have nowhere to remember it on.
        with contextlib.suppress(AttributeError):
            setattr(content, CLEANED, result)
    return result


def validate_clean_image(value) -> None:
    """Model validator: a new upload must pass the cleaner, and storage must take it now; a
    stored file already did both."""
    if not value or getattr(value, "_committed", True):
        return
    cleaned(getattr(value, "file", value))
    storage = getattr(value, "storage", None)
    if storage is not None and (problem := storage_problem(storage)):
        raise ValidationError(problem, code="storage")


@deconstructible
class RandomName:
    """An ``upload_to`` giving ``prefix/YYYY/MM/<random>.<ext>``: nothing to guess from it."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
        return f"{self.prefix}/{timezone.now():%Y/%m}/{secrets.token_urlsafe(18)}.{ext}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.prefix == self.prefix


class CleanImageFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        image = cleaned(content)
        hook = getattr(self.instance, "image_cleaned", None)
        if hook is not None:
            hook(self.field.name, image)
        replaced = self._stored_name()
        try:
            super().save(f"upload.{image.extension}", ContentFile(image.data), save)
        except STORAGE_ERRORS as error:
            logger.warning("Media storage refused an upload (%s)", type(error).__name__)
            raise MediaUnwritable() from error
        if replaced and replaced != self.name:
            # The file it replaces goes once the new one is committed (a rollback keeps both).
            storage = self.storage
            transaction.on_commit(lambda: storage.delete(replaced))

    def _stored_name(self) -> str:
        instance = self.instance
        if instance.pk is None:
            return ""
        manager = type(instance)._default_manager
        row = manager.filter(pk=instance.pk).values_list(self.field.attname, flat=True)
        return row.first() or ""


class CleanImageField(models.ImageField):
    attr_class = CleanImageFieldFile
    default_validators = [validate_clean_image]

    def pre_save(self, model_instance, add):
        file = super().pre_save(model_instance, add)
        if not file and not add:
            # Cleared in a form: the stored file goes once the row no longer names it.
            cleared = file._stored_name()
            if cleared:
                storage = file.storage
                transaction.on_commit(lambda: storage.delete(cleared))
        return file
