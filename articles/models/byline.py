from django.db import models


class Byline(models.Model):
    class Role(models.TextChoices):
        AUTHOR = "author", "By"
        CONTRIBUTOR = "contributor", "Contributor"
        PHOTOGRAPHER = "photographer", "Photographer"
        ADDITIONAL = "additional", "Additional reporting by"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="bylines"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="bylines")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.AUTHOR)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "person", "role"], name="byline_once_per_role"
            ),
        ]
        indexes = [models.Index(fields=["person", "article"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.person}"
