"""The ``STORAGES`` entries and ``MEDIA_URL`` for media on S3, from plain values.

``settings/base.py`` calls it with what it read from the environment; tests call it to point
the storages at their own loopback S3 server. No boto3 import here: settings stay cheap to load.
"""

from __future__ import annotations


def s3_storages(
    *,
    bucket: str,
    endpoint_url: str = "",
    region: str = "us-east-1",
    access_key: str = "",
    secret_key: str = "",
    private_bucket: str = "",
    addressing_style: str = "",
    public_acl: str = "public-read",
    cache_seconds: int = 3600,
    media_url: str = "",
) -> tuple[dict, dict, str]:
    """``(public storage, private storage, MEDIA_URL)`` for ``settings.STORAGES``.

    One bucket holds ``public/`` (renditions readers may fetch, behind the CDN) and
    ``private/`` (everything else); or ``private_bucket`` holds the private files at its root.
    """
    endpoint_url = endpoint_url.rstrip("/")
    common = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "region_name": region,
        # None: boto3 finds credentials itself (AWS_* variables, an instance role).
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "addressing_style": addressing_style or None,
        "signature_version": "s3v4",
        # Names are random (or, for backups and media_to_bucket, replaced on purpose): no
        # existence check before each upload.
        "file_overwrite": True,
    }
    public = {
        "BACKEND": "newsroom.media.s3.PublicS3Storage",
        "OPTIONS": {
            **common,
            "location": "public",
            # "" when a bucket policy or the CDN's origin access grants reads instead of ACLs.
            "default_acl": public_acl or None,
            # Names are random and never reused, so copies may be kept; a withdrawn photo
            # leaves the CDN within this time (or at once, if the CDN is purged).
            "object_parameters": {"CacheControl": f"public, max-age={cache_seconds}"},
        },
    }
    private = {
        "BACKEND": "newsroom.media.s3.PrivateS3Storage",
        "OPTIONS": {
            **common,
            "bucket_name": private_bucket or bucket,
            "location": "" if private_bucket else "private",
            "object_parameters": {"CacheControl": "private, no-store"},
        },
    }
    if not media_url:
        # No CDN named: the bucket's own address for the public prefix.
        media_url = (
            f"{endpoint_url}/{bucket}/public/"
            if endpoint_url
            else f"https://{bucket}.s3.{region}.amazonaws.com/public/"
        )
    return public, private, media_url


def private_media_origin(*, bucket: str, endpoint_url: str = "", region: str = "us-east-1") -> str:
    """Where presigned URLs of private files point (for the CSP's img-src)."""
    if endpoint_url:
        from urllib.parse import urlsplit

        parts = urlsplit(endpoint_url)
        return f"{parts.scheme}://{parts.netloc}"
    return f"https://{bucket}.s3.{region}.amazonaws.com"
