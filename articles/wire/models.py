"""The wire's own rows: the agency's subjects of a story, and updates waiting for the desk.

Imported into ``articles.models`` so Django registers them with the articles app.
"""

from django.conf import settings
from django.db import models


class WireSubjectQuerySet(models.QuerySet):
    def names(self) -> list[str]:
        """Every subject name in use, A to Z: the desk filter's choices."""
        return list(self.order_by("name").values_list("name", flat=True).distinct())


class WireSubject(models.Model):
    """One subject the agency gave a story ("Strikes", "Health"): a desk filter, not a tag."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="wire_subjects"
    )
    name = models.CharField(max_length=200)

    objects = WireSubjectQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="wire_subject_name")]
        constraints = [
            models.UniqueConstraint(fields=["article", "name"], name="one_subject_per_story")
        ]

    def __str__(self) -> str:
        return self.name


class WireUpdateQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=WireUpdate.State.PENDING)


class WireUpdate(models.Model):
    """A newer version of a story the desk has edited, kept until an editor merges or
    dismisses it (``articles/wire/updates.py``). The copy is kept as the agency sent it."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for the desk"
        MERGED = "merged", "Merged"
        DISMISSED = "dismissed", "Dismissed"
        SUPERSEDED = "superseded", "Superseded by a newer version"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="wire_updates"
    )
    version = models.PositiveIntegerField(help_text="The agency's version number.")
    copy = models.TextField(help_text="The copy as the agency sent it.")
    headline = models.CharField(max_length=300)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    received_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = WireUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["state", "received_at"], name="wire_update_state")]

    def __str__(self) -> str:
        return f"Wire update v{self.version}: {self.headline}"
