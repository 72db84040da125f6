from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from articles.body import safe_url
from articles.photos.checks import validate_image


class PhotoQuerySet(models.QuerySet):
    def publishable(self):
        """Photos readers may see: an image file and alt text are both present."""
        return self.exclude(image="").exclude(alt_text="")

    def pending(self):
        """Wire metadata still waiting for its image file or alt text."""
        return self.filter(models.Q(image="") | models.Q(alt_text=""))


class Photo(models.Model):
    """A photo in the library, reusable across stories. May arrive as metadata before its file."""

    image = models.ImageField(
        upload_to="photos/%Y/%m/",
        blank=True,
        width_field="width",
        height_field="height",
        validators=[validate_image],
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    caption = models.TextField(blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="e.g. 'Agency/Photographer'.")
    is_file_photo = models.BooleanField(
        default=False, help_text="Shown as 'File Photo by ...': not taken for this story."
    )
    license_url = models.URLField(blank=True, max_length=500)
    rights = models.CharField(
        max_length=300, blank=True, help_text="License terms when there is no license URL."
    )
    alt_text = models.CharField(
        max_length=300, blank=True, help_text="What the photo shows, for readers who can't see it."
    )
    photographer = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="photos"
    )
    focal_x = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Horizontal focus for crops, 0 (left) to 1 (right).",
    )
    focal_y = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Vertical focus for crops, 0 (top) to 1 (bottom).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["credit"]), models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        label = self.caption or self.alt_text or "Untitled photo"
        return label if len(label) <= 70 else label[:67] + "..."

    @property
    def is_publishable(self) -> bool:
        return bool(self.image) and bool(self.alt_text.strip())

    @property
    def license_href(self) -> str:
        """The license page to link, when it is an address a reader may follow."""
        return safe_url(self.license_url)

    @property
    def credit_line(self) -> str:
        """'File Photo by X' or 'Photo by X', as the wire prints it."""
        if not self.credit:
            return ""
        return f"{'File Photo' if self.is_file_photo else 'Photo'} by {self.credit}"

    def publish_problems(self) -> list[str]:
        problems = []
        if not self.image:
            problems.append("the lead photo has no image file yet")
        if not self.alt_text.strip():
            problems.append("the lead photo has no alt text")
        return problems

    def clean(self):
        if (self.focal_x is None) != (self.focal_y is None):
            raise ValidationError("Set both focal point coordinates or neither.")


class Rendition(models.Model):
    """A resized copy of a photo, made once with Pillow and stored; pages only read these rows."""

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=20, help_text="e.g. 'w640', 'thumb', 'social'.")
    format = models.CharField(max_length=5, choices=[("jpeg", "JPEG"), ("webp", "WebP")])
    file = models.ImageField(upload_to="renditions/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        ordering = ["photo", "width"]
        constraints = [
            models.UniqueConstraint(
                fields=["photo", "spec", "format"], name="one_rendition_per_spec"
            )
        ]

    def __str__(self) -> str:
        return f"{self.photo_id} {self.spec}.{self.format} ({self.width}x{self.height})"

    @property
    def url(self) -> str:
        return self.file.url
