"""Name handling shared by the importer and the admin: one normalised key per person."""

import unicodedata

from django.utils.text import slugify


def normalise_name(name: str) -> str:
    """Case- and spacing-insensitive key; accents kept (Müller is not Muller)."""
    name = unicodedata.normalize("NFC", name)
    return " ".join(name.replace("\u2019", "'").split()).casefold()


def name_slug(name: str) -> str:
    """A readable ASCII slug, falling back to a transliteration-free form for non-Latin names."""
    return slugify(name) or slugify(name, allow_unicode=True) or "person"
