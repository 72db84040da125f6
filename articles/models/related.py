from django.core.exceptions import ValidationError
from django.db import models

from articles.body import safe_url


class RelatedHeadlineQuerySet(models.QuerySet):
    def unresolved(self):
        """Headlines that point nowhere yet: editors link them to a story or a URL."""
        return self.filter(target__isnull=True, url="")


class RelatedHeadline(models.Model):
    """An ordered link from a story to another story, or to an outside page."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="related_headlines"
    )
    target = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_related",
    )
    url = models.URLField(blank=True, max_length=500)
    headline = models.CharField(
        max_length=300,
        blank=True,
        help_text="Shown as the link text; the target's headline if empty.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = RelatedHeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(target__isnull=False) & ~models.Q(url="")),
                name="related_target_or_url",
            ),
            models.CheckConstraint(
                condition=models.Q(target__isnull=False) | ~models.Q(headline=""),
                name="related_has_text",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return self.headline or (self.target.headline if self.target_id else "")

    @property
    def outside_url(self) -> str:
        """The outside address to link, when it is one a reader may follow."""
        return "" if self.target_id else safe_url(self.url)

    @property
    def is_resolved(self) -> bool:
        return bool(self.target_id or self.url)

    def clean(self):
        if self.target_id and self.url:
            raise ValidationError("Link to a story or to a URL, not both.")
        if not self.target_id and not self.headline.strip():
            raise ValidationError({"headline": "Give the headline text for an outside link."})
        if self.target_id and self.target_id == self.article_id:
            raise ValidationError({"target": "A story cannot be related to itself."})
