"""Name handling shared by the importer and the admin: one normalised key per person."""

import unicodedata

from django.utils.text import slugify


def normalise_name(name: str) -> str:
    """Case- and spacing-insensitive key; accents kept (Müller is not Muller)."""
    name = unicodedata.normalize("NFC", name)
    return " ".join(name.replace("\u2019", "'").split()).casefold()


def name_slug(name: str) -> str:
    """A readable ASCII slug ("Marta Núñez" -> "marta-nunez"). Names with no Latin letters get
    "person" (made unique by the caller): slugs stay valid in URLs, feeds and the admin."""
    return slugify(name) or "person"
