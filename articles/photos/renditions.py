"""Renditions: resized copies made once with Pillow when a photo's file arrives, then stored.

Pages never process images; they read the Rendition rows (prefetched) for URLs and sizes.
"""

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps

from articles.models import Photo, Rendition


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
    photo.image.open("rb")
    try:
        with Image.open(photo.image) as original:
            original = ImageOps.exif_transpose(original).convert("RGB")
            made = [_render(photo, original, spec, fmt) for spec, fmt in wanted]
    finally:
        photo.image.close()
    with transaction.atomic():
        for rendition in made:
            rendition.save()
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
    rendition.file.save(f"{photo.pk}-{spec.name}.{ext}", ContentFile(buffer.getvalue()), save=False)
    return rendition
