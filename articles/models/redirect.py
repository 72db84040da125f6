from django.db import models


class StoryRedirect(models.Model):
    """An address a story had once: it answers with a permanent redirect to where it is now.

    Rows are added automatically whenever a public story's address changes (a new slug, a new
    section, republished on another day: ``publishing.addresses``); editors may add or remove
    them in the admin.
    """

    old_path = models.CharField(
        max_length=400, unique=True, help_text="e.g. /world/2026/11/30/old-slug/"
    )
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="redirects"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.old_path} \u2192 story {self.article_id}"
