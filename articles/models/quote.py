from django.db import models


class Quote(models.Model):
    """Words a person said, as a story quotes them. Extracted quotes wait for an editor."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="quotes")
    speaker = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="quotes")
    text = models.TextField()
    speaker_description = models.CharField(
        max_length=500, blank=True, help_text="How this story describes the speaker."
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Index of the body block that holds the quote."
    )
    confirmed = models.BooleanField(
        default=False, help_text="An editor checked the words and the speaker."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(text=""),
                name="quote_has_text",
            ),
        ]
        indexes = [
            models.Index(fields=["speaker", "confirmed"]),
            # The desk's quotes waiting for a check, newest first.
            models.Index(fields=["confirmed", "created_at"], name="quote_unconfirmed"),
        ]

    def __str__(self) -> str:
        words = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        return f"{self.speaker}: \u201c{words}\u201d"
