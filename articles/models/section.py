from django.db import models

from articles.publishing.addresses import section_path


class SectionQuerySet(models.QuerySet):
    def with_rail_start(self, stories, depth: int):
        """Each section with ``rail_start``: when the ``depth``-th newest of ``stories`` in it
        was published (None when it has fewer). One index lookup per section."""
        newest = (
            stories.filter(section=models.OuterRef("pk"))
            .order_by("-published_at", "-id")
            .values("published_at")[depth - 1 : depth]
        )
        return self.annotate(rail_start=models.Subquery(newest))


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order of the section's rail on the front page."
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return section_path(self.slug)
