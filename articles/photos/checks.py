"""Image checks with Pillow: the file must really be an image we can render."""

from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

MAX_IMAGE_BYTES = 25 * 1024 * 1024
MAX_IMAGE_PIXELS = 60_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def validate_image(file) -> None:
    """Raise ValidationError unless ``file`` is a JPEG, PNG, WebP or GIF Pillow can read."""
    if getattr(file, "size", 0) > MAX_IMAGE_BYTES:
        raise ValidationError(f"The image is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB.")
    if getattr(file, "closed", False) and hasattr(file, "open"):
        # A stored photo whose dimensions Django just read (and closed): reopen to check it.
        file.open("rb")
    try:
        file.seek(0)
        with Image.open(file) as img:
            if img.format not in ALLOWED_FORMATS:
                raise ValidationError(
                    f"{img.format} images are not accepted; use JPEG, PNG or WebP."
                )
            if img.width * img.height > MAX_IMAGE_PIXELS:
                raise ValidationError("The image has too many pixels.")
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError("The file is not an image that can be read.") from exc
    finally:
        file.seek(0)
