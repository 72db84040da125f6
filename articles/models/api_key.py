import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

KEY_PREFIX = "nrk_"


def hash_key(raw: str) -> str:
    """Keys are long random strings, so one SHA-256 is enough (no slow password hash per call)."""
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def matching(self, raw: str):
        """The key whose hash is that of ``raw`` (the raw key itself is never stored)."""
        return self.filter(key_hash=hash_key(raw))


class ApiKey(models.Model):
    """A partner's key to the content API: higher rate limits, nothing more to see."""

    name = models.CharField(max_length=200, help_text="Who holds it, e.g. 'Regional Daily apps'.")
    prefix = models.CharField(max_length=12, editable=False, help_text="The key's first letters.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    rate = models.CharField(
        max_length=20,
        blank=True,
        help_text="Requests allowed, e.g. '5000/hour'; empty for the default for keys.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def issue(cls, name: str, by=None, rate: str = "") -> tuple["ApiKey", str]:
        """A new key and its raw value, which is shown once and never stored."""
        raw = KEY_PREFIX + secrets.token_urlsafe(32)
        key = cls.objects.create(
            name=name, prefix=raw[:12], key_hash=hash_key(raw), rate=rate, created_by=by
        )
        return key, raw

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            ApiKey.objects.filter(pk=self.pk).update(revoked_at=self.revoked_at)
