import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .article import Status

SIGNER_SALT = "newsroom.desk.share"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class ShareLinkQuerySet(models.QuerySet):
    def usable(self, at=None):
        """Links that still open their story: not revoked, not expired, story not killed.

        (A deleted story takes its links with it.) ``ShareLink.is_usable`` is the same rule
        for one link.
        """
        return self.filter(revoked_at__isnull=True, expires_at__gt=at or timezone.now()).exclude(
            article__status=Status.KILLED
        )

    def from_url_token(self, signed: str):
        """The link named by a signed URL token, or None: a forged token costs no query."""
        try:
            token = signing.Signer(salt=SIGNER_SALT).unsign(signed)
        except signing.BadSignature:
            return None
        return self.select_related("article").filter(token=token).first()


class ShareLink(models.Model):
    """A secret address that shows one unpublished story to someone outside the newsroom."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="share_links"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Share link for {self.article_id} until {self.expires_at:%Y-%m-%d %H:%M}"

    @classmethod
    def create_for(cls, article, by, days: int = 7) -> "ShareLink":
        """A link to ``article`` that works for ``days`` days unless revoked first."""
        return cls.objects.create(
            article=article, created_by=by, expires_at=timezone.now() + timedelta(days=days)
        )

    @property
    def url_token(self) -> str:
        """The token as it appears in the address: signed with the site's secret key."""
        return signing.Signer(salt=SIGNER_SALT).sign(self.token)

    def get_absolute_url(self) -> str:
        return reverse("desk:share", kwargs={"token": self.url_token})

    @property
    def is_usable(self) -> bool:
        return (
            self.revoked_at is None
            and self.expires_at > timezone.now()
            and self.article.status != Status.KILLED
        )

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
