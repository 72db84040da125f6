"""The private media location on the local disk (S3 classes are in ``newsroom.media.s3``)."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property

from newsroom.media.signing import signed_path


class PrivateFileSystemStorage(FileSystemStorage):
    """Private media on the local disk, in ``NEWSROOM_PRIVATE_MEDIA_ROOT`` (outside MEDIA_ROOT).

    ``url()`` is a signed address that expires; nothing serves this folder otherwise.
    """

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.NEWSROOM_PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "NEWSROOM_PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        return signed_path(name)
