"""Short-lived signed addresses for private files on the local disk (S3 presigns its own)."""

from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "newsroom.media.private"


def signed_path(name: str) -> str:
    """A site path that serves private file ``name`` until ``NEWSROOM_SIGNED_MEDIA_SECONDS``."""
    token = signing.dumps(name, salt=SALT, compress=True)
    filename = quote(name.rsplit("/", 1)[-1])
    return reverse("private-media", kwargs={"token": token, "filename": filename})


def unsign(token: str) -> str | None:
    """The file name a token was made for, or None when it is forged or expired."""
    try:
        name = signing.loads(token, salt=SALT, max_age=settings.NEWSROOM_SIGNED_MEDIA_SECONDS)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    return name if isinstance(name, str) else None
