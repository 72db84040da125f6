from django.conf import settings
from django.db import models


class FrontPick(models.Model):
    """An editor's choice for the front page: position 1 leads, the next ones are top stories.

    Kept beside the story, not on it: arranging the front is not an edit of the story, so it
    neither moves the story's version nor conflicts with whoever is editing it.
    """

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, related_name="front_pick"
    )
    position = models.PositiveSmallIntegerField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.position}. {self.article}"
