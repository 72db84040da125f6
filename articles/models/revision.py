from django.conf import settings
from django.db import models


class Revision(models.Model):
    """A snapshot of a story as one save left it (or as a refused save tried to leave it).

    The snapshot is plain JSON (headline, dek, body, bylines, tags, related, photos...), written
    by ``articles.publishing.revisions.snapshot`` and read back by the compare and restore views.
    """

    class Kind(models.TextChoices):
        SAVED = "saved", "Saved"
        RESTORED = "restored", "Restored"
        UNSAVED = "unsaved", "Not saved (conflict)"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="revisions"
    )
    version = models.PositiveIntegerField(help_text="The story's version after this save.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SAVED)
    snapshot = models.JSONField()
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["article", "version"], name="revision_by_version")]

    def __str__(self) -> str:
        return f"v{self.version} {self.get_kind_display().lower()}"

    @property
    def headline(self) -> str:
        return self.snapshot.get("headline", "")
