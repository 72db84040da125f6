"""Where media files live, and who may fetch them.

Two storages (``settings.STORAGES``):

* ``"private"``: photo originals, every rendition as made, portraits. Never at a public address:
  on the local disk it sits outside ``MEDIA_ROOT`` and ``url()`` is a short-lived signed address
  served by ``newsroom.media.views``; on S3 it is a private bucket or prefix and ``url()`` is a
  presigned URL.
* ``"default"``: the public location behind ``MEDIA_URL`` (a CDN in production). Only copies of
  renditions of photos in public stories are written there, under unguessable names
  (``articles/photos/release.py``).

Fields name their storage with ``private_storage`` / ``public_storage``: lazy handles that follow
``settings.STORAGES`` (tests may swap it) and remember their alias, so backups know which storage
a stored name belongs to.
"""

from django.core.files import storage as django_storage
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, empty

PUBLIC = "default"
PRIVATE = "private"


class StorageHandle(LazyObject):
    """``storages[alias]``, looked up on first use and again after ``STORAGES`` changes."""

    def __init__(self, alias: str):
        self.__dict__["alias"] = alias
        super().__init__()

    def _setup(self):
        self._wrapped = django_storage.storages[self.alias]

    def __reduce__(self):
        return (StorageHandle, (self.alias,))


_handles = {PUBLIC: StorageHandle(PUBLIC), PRIVATE: StorageHandle(PRIVATE)}


def private_storage() -> StorageHandle:
    """Originals and renditions as made: never public (the field argument for private files)."""
    return _handles[PRIVATE]


def public_storage() -> StorageHandle:
    """The public location behind ``MEDIA_URL``: released renditions only."""
    return _handles[PUBLIC]


def storage_alias(storage) -> str:
    """The ``STORAGES`` alias of a field's storage ("default" for Django's own)."""
    return getattr(storage, "alias", PUBLIC)


def copy_file(source, name: str, target, new_name: str) -> str:
    """Copy ``name`` from storage ``source`` to ``new_name`` in ``target``; returns the name saved.

    Between two S3 storages on one endpoint the bucket copies it (no download and upload),
    with the target's own ACL and headers; otherwise the bytes are streamed through.
    """
    source_bucket = getattr(source, "bucket", None)
    target_bucket = getattr(target, "bucket", None)
    if (
        source_bucket is not None
        and target_bucket is not None
        and source.endpoint_url == target.endpoint_url
    ):
        from storages.utils import clean_name

        key = target._normalize_name(clean_name(new_name))
        target_bucket.meta.client.copy_object(
            CopySource={
                "Bucket": source_bucket.name,
                "Key": source._normalize_name(clean_name(name)),
            },
            Bucket=target_bucket.name,
            Key=key,
            MetadataDirective="REPLACE",
            **target._get_write_parameters(key),
        )
        return clean_name(new_name)
    with source.open(name, "rb") as handle:
        return target.save(new_name, handle)


def _reset(setting, **kwargs):
    if setting == "STORAGES":
        for handle in _handles.values():
            handle._wrapped = empty


setting_changed.connect(_reset, dispatch_uid="newsroom.media.reset_storages")
