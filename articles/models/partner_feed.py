from django.db import models


class FeedEntry(models.Model):
    """A moment when what partners may show of a story changed: the partner feed's log.

    Written after commit for every change readers could see, and ahead of time for the moments
    a scheduled story appears or expires by the clock. The feed reads entries up to now, in
    ``(at, id)`` order, and describes each story as it is when read (or its tombstone).
    """

    story_id = models.BigIntegerField()
    event = models.CharField(max_length=20)
    at = models.DateTimeField()
    # Set only for deletions: the story's row is gone, so the tombstone keeps what partners need.
    tombstone = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "feed entries"
        indexes = [models.Index(fields=["at", "id"]), models.Index(fields=["story_id"])]

    def __str__(self) -> str:
        return f"{self.event} story {self.story_id} at {self.at:%Y-%m-%d %H:%M:%S}"
