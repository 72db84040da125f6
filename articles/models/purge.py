from django.db import models


class PurgeFailure(models.Model):
    """A purge the CDN or Varnish did not take: retried in the background, shown in the admin.

    A purge that goes through at once leaves no row; this is the log of the ones that did not,
    kept after a later attempt succeeds (``sent``) or the last one fails (``gave up``).
    """

    class Status(models.TextChoices):
        RETRYING = "retrying", "retrying"
        SENT = "sent", "sent on a later attempt"
        GAVE_UP = "gave_up", "gave up"

    keys = models.TextField(help_text="The surrogate keys to drop, separated by spaces.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RETRYING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    first_failed_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-first_failed_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"purge of {self.keys[:60]} ({self.get_status_display()})"
