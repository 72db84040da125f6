"""The image validator migration 0001 names; uploads are checked by ``uploads.clean_image``."""

from newsroom.media.fields import validate_clean_image


def validate_image(file) -> None:
    """Raise ``ValidationError`` unless a new upload passes ``clean_image``."""
    validate_clean_image(file)
