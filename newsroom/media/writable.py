"""Whether media storage takes files now: a full disk, a read-only folder or an unreachable
bucket is an editor's clear error ("nothing was saved; try again"), never a server error.

``storage_problem(storage)`` writes and removes a tiny file; upload validation runs it, so a
form shows the problem beside the file field with everything else the editor typed. A write
that fails later anyway (the disk filled in between) raises ``MediaUnwritable`` from the field,
inside the save's transaction, so the row is not written either.
"""

import logging
import uuid

from django.core.files.base import ContentFile

PROBE_FOLDER = ".health"
MESSAGE = (
    "The file could not be stored: media storage is not taking files just now (full, "
    "read-only or unreachable). Nothing was saved; try again shortly, or tell whoever runs "
    "the site."
)

try:  # S3 storage (django-storages) reports through botocore
    from botocore.exceptions import BotoCoreError, ClientError

    STORAGE_ERRORS: tuple[type[BaseException], ...] = (OSError, BotoCoreError, ClientError)
except ImportError:  # pragma: no cover - botocore comes with the S3 extra
    STORAGE_ERRORS = (OSError,)

logger = logging.getLogger(__name__)


class MediaUnwritable(Exception):
    """Storage refused a file; the message is the editor's, the cause is chained."""

    def __init__(self, message: str = MESSAGE):
        super().__init__(message)


def storage_problem(storage) -> str | None:
    """None when ``storage`` takes a file now; otherwise the editor's message."""
    try:
        name = storage.save(f"{PROBE_FOLDER}/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
        storage.delete(name)
    except STORAGE_ERRORS as error:
        logger.warning("Media storage refused a file (%s)", type(error).__name__)
        return MESSAGE
    return None
