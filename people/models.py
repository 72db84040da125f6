"""Everyone named in the newsroom: writers, photographers and quoted sources are one Person."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from newsroom.media import private_storage
from newsroom.media.fields import CleanImageField, RandomName

from .names import name_slug, normalise_name


class PersonQuerySet(models.QuerySet):
    def writers(self):
        """People with at least one byline (asked per person: flat as the archive grows)."""
        return self.having_any(self._rows_of("bylines"))

    def sources(self):
        """People quoted in at least one story."""
        return self.having_any(self._rows_of("quotes"))

    def having_any(self, rows):
        """People for whom ``rows`` (correlated on ``OuterRef("pk")``) holds at least one row.

        Asked as "the first such row" per person: PostgreSQL turns an EXISTS into a join over
        every row of a million-story archive, where this reads a few index entries per person.
        """
        return self.alias(first_row=models.Subquery(rows.order_by().values("pk")[:1])).filter(
            first_row__isnull=False
        )

    def _rows_of(self, relation: str):
        # The rows that point at a person through ``relation``, without importing their app.
        field = self.model._meta.get_field(relation)
        return field.related_model.objects.filter(**{field.field.name: models.OuterRef("pk")})

    def named(self, name: str):
        """People whose name matches ``name`` ignoring case and spacing."""
        return self.filter(normalised_name=normalise_name(name))


class Person(models.Model):
    name = models.CharField(max_length=200)
    normalised_name = models.CharField(max_length=200, editable=False, db_index=True)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.CharField(
        max_length=500,
        blank=True,
        help_text="How copy describes them, e.g. 'a former trade negotiator for the ministry'.",
    )
    affiliation = models.CharField(max_length=200, blank=True)
    bio = models.TextField(blank=True)
    # Re-encoded on upload like every photo, and kept private (no page shows portraits yet).
    portrait = CleanImageField(
        upload_to=RandomName("portraits"), storage=private_storage, blank=True
    )
    contact_notes = models.TextField(
        blank=True, help_text="Private to the newsroom: never shown on the public site."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text="The login of a staff member, if this person is one.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        permissions = [
            ("change_staff_person", "Can change the page of any staff member (people.policy)"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = " ".join(self.name.split())
        self.normalised_name = normalise_name(self.name)
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def _unique_slug(self) -> str:
        base = name_slug(self.name)[:200]
        slug, n = base, 2
        while Person.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def get_absolute_url(self) -> str:
        return reverse("people:person", kwargs={"slug": self.slug})
