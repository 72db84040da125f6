"""Media on S3-compatible object storage (django-storages): loaded only when configured."""

from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """The private bucket (or prefix): objects are private; ``url()`` presigns for a short time."""

    def __init__(self, **options):
        options.setdefault("querystring_auth", True)
        options.setdefault("querystring_expire", settings.NEWSROOM_SIGNED_MEDIA_SECONDS)
        options.setdefault("default_acl", "private")
        super().__init__(**options)


class PublicS3Storage(S3Storage):
    """The public prefix behind the CDN: ``url()`` is ``MEDIA_URL`` + the name, never signed."""

    def __init__(self, **options):
        options.setdefault("querystring_auth", False)
        super().__init__(**options)

    def url(self, name, parameters=None, expire=None, http_method=None):
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))
