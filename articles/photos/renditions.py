"""Renditions: resized copies made once with Pillow when a photo's file arrives, then stored.

Pages never process images; they read the Rendition rows (prefetched) for URLs and sizes.
``ensure_renditions()`` is the one way renditions are made (at upload today; a background task
can call it as it is). They go to private storage under random names; ``release.py`` copies
them to the public location while a public story uses the photo.
"""

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps

from articles.models import Photo, Rendition
from articles.photos import release


@dataclass(frozen=True)
class Spec:
    name: str
    width: int
    height: int | None = None  # None keeps the aspect ratio; a height crops to fit


SPECS = (
    Spec("thumb", 320, 180),
    Spec("w480", 480),
    Spec("w800", 800),
    Spec("w1200", 1200),
    Spec("social", 1200, 630),
)
FORMATS = {
    "jpeg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
    "webp": ("WEBP", {"quality": 80, "method": 4}),
}


def ensure_renditions(photo: Photo, force: bool = False) -> list[Rendition]:
    """Make any missing renditions of ``photo``. Idempotent; does nothing without a file."""
    if not photo.image:
        return []
    existing = {(r.spec, r.format) for r in photo.renditions.all()}
    if force:
        photo.renditions.all().delete()
        existing = set()
    wanted = [(s, f) for s in SPECS for f in FORMATS if (s.name, f) not in existing]
    if not wanted:
        return list(photo.renditions.all())
    made: list[Rendition] = []
    photo.image.open("rb")
    try:
        with Image.open(photo.image) as original:
            original = ImageOps.exif_transpose(original).convert("RGB")
            for spec, fmt in wanted:
                made.append(_render(photo, original, spec, fmt))
    except BaseException:
        for rendition in made:
            rendition.file.storage.delete(rendition.file.name)
        raise
    finally:
        photo.image.close()
    try:
        with transaction.atomic():
            for rendition in made:
                rendition.save()
    except BaseException:
        for rendition in made:  # no file without its row
            rendition.file.storage.delete(rendition.file.name)
        raise
    # A photo already in a public story gets its new renditions released after commit.
    transaction.on_commit(lambda: release.sync_photos([photo.pk]))
    return list(photo.renditions.all())


def _render(photo: Photo, original: Image.Image, spec: Spec, fmt: str) -> Rendition:
    if spec.height:
        centering = (
            photo.focal_x if photo.focal_x is not None else 0.5,
            photo.focal_y if photo.focal_y is not None else 0.5,
        )
        img = ImageOps.fit(original, (spec.width, spec.height), Image.LANCZOS, centering=centering)
    else:
        img = original.copy()
        if img.width > spec.width:  # never upscale
            img.thumbnail((spec.width, spec.width * 10), Image.LANCZOS)
    pil_format, options = FORMATS[fmt]
    buffer = io.BytesIO()
    img.save(buffer, pil_format, **options)
    ext = "jpg" if fmt == "jpeg" else fmt
    rendition = Rendition(
        photo=photo, spec=spec.name, format=fmt, width=img.width, height=img.height
    )
    # The stored name is random (RandomName); only the extension of this one is kept.
    rendition.file.save(f"{spec.name}.{ext}", ContentFile(buffer.getvalue()), save=False)
    return rendition
