from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from articles.body import safe_url
from newsroom.media import private_storage, public_storage
from newsroom.media.fields import CleanImageField, RandomName


class PhotoQuerySet(models.QuerySet):
    def publishable(self):
        """Photos readers may see: an image file and alt text are both present."""
        return self.exclude(image="").exclude(alt_text="")

    def pending(self):
        """Wire metadata still waiting for its image file or alt text."""
        return self.filter(models.Q(image="") | models.Q(alt_text=""))


class Photo(models.Model):
    """A photo in the library, reusable across stories. May arrive as metadata before its file."""

    # The original, re-encoded on upload (articles/photos/uploads.py) and never public: readers
    # get copies of its renditions once a public story uses it (articles/photos/release.py).
    image = CleanImageField(upload_to=RandomName("originals"), storage=private_storage, blank=True)
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
    def public_image(self):
        """The widest public JPEG rendition (read from prefetched rows), or None while no public
        story shows the photo: the one address that stands for the photo outside the newsroom
        (the original is never published)."""
        public = [r for r in self.renditions.all() if r.format == "jpeg" and r.public_file]
        return max(public, key=lambda r: (r.width, r.spec != "social"), default=None)

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

    def save(self, *args, **kwargs):
        # Store a new upload first: cleaning it sets the size and fills empty metadata fields.
        if self.image and not self.image._committed:
            self.image.save(self.image.name, self.image.file, save=False)
        super().save(*args, **kwargs)

    def image_cleaned(self, field_name: str, image) -> None:
        """Take the size, and the caption, credit and copyright of the upload for empty fields."""
        self.width, self.height = image.width, image.height
        self.caption = self.caption or image.caption
        self.credit = self.credit or image.credit[:200]
        if not self.rights and not self.license_url and image.copyright:
            self.rights = image.copyright[:300]

    def clean(self):
        if (self.focal_x is None) != (self.focal_y is None):
            raise ValidationError("Set both focal point coordinates or neither.")


class Rendition(models.Model):
    """A resized copy of a photo, made once with Pillow and stored; pages only read these rows."""

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=20, help_text="e.g. 'w640', 'thumb', 'social'.")
    format = models.CharField(max_length=5, choices=[("jpeg", "JPEG"), ("webp", "WebP")])
    # Made once at upload, kept private; ``public_file`` is the copy readers fetch, present only
    # while a public (or scheduled) story uses the photo (articles/photos/release.py).
    file = models.FileField(upload_to=RandomName("renditions"), storage=private_storage)
    public_file = models.FileField(storage=public_storage, blank=True, editable=False)
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
        """The public address, or "" while the photo is in no public story."""
        return self.public_file.url if self.public_file else ""

    @property
    def private_url(self) -> str:
        """A short-lived signed address of the private copy, for editors and share links."""
        return self.file.url
