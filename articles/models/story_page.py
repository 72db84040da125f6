from django.db import models


class StoryPageQuerySet(models.QuerySet):
    def mark_stale(self) -> int:
        """Ask for a rebuild: the next read (or ``rebuild_story_pages``) writes them afresh.

        One UPDATE whatever the number of pages, so a change that touches thousands of stories
        (a person renamed, a section renamed) costs the editor one query.
        """
        return self.update(source="")


class StoryPage(models.Model):
    """The read model of a story's page: what it shows from the story's own rows, stored.

    Written by ``articles.readmodel`` when the story (or a person, photo, tag or section it
    shows) changes; ``source`` says what it was built from, so a page built from an older
    version of the story, an older builder or other site settings is never served.
    """

    article = models.OneToOneField(
        "articles.Article", primary_key=True, on_delete=models.CASCADE, related_name="page"
    )
    source = models.CharField(max_length=200, blank=True)
    parts = models.JSONField(default=dict)
    # Every photo the page shows (lead and inline): their edits and renditions make it stale.
    photos = models.ManyToManyField("articles.Photo", blank=True, related_name="+")
    built_at = models.DateTimeField(auto_now=True)

    objects = StoryPageQuerySet.as_manager()

    class Meta:
        verbose_name = "story page"

    def __str__(self) -> str:
        return f"page of story {self.article_id}"
