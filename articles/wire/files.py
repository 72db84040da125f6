"""Reading wire copy and photos from files and uploads: size limits, decoding, image checks.

Everything here refuses bad input with ``ImportRefused`` and one readable sentence, before the
importer writes anything.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.utils import timezone

from articles.photos.uploads import MAX_IMAGE_BYTES, ImageRefused
from articles.wire import WireFormatError, WireStory, decode_wire, read_stories
from newsroom.media.fields import cleaned

MAX_WIRE_BYTES = 2 * 1024 * 1024  # a long wire story is ~30 KB; anything this big is not one


class ImportRefused(Exception):
    """The copy or its photo cannot be imported; the message is one readable sentence."""


def normalise_wire_text(text: str) -> str:
    """The copy as compared for "already present": NFC, one space between words, no blank runs."""
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip()


def wire_fingerprint(text: str) -> str:
    """sha256 of the normalised copy: the same story saved twice has the same fingerprint."""
    return hashlib.sha256(normalise_wire_text(text).encode("utf-8")).hexdigest()


def decode_wire_bytes(data: bytes, limit: int = MAX_WIRE_BYTES) -> str:
    """Decode uploaded or read bytes, refusing empty, oversized, binary and non-UTF-8 data."""
    if not data.strip():
        raise ImportRefused("The file is empty.")
    if len(data) > limit:
        raise ImportRefused(_too_big(len(data), limit))
    try:
        return decode_wire(data)
    except WireFormatError as exc:
        raise ImportRefused(str(exc)) from None


def read_wire_file(path: Path, limit: int = MAX_WIRE_BYTES) -> str:
    """Read one wire file, refusing it by its size before reading it (a 50 MB file is not read)."""
    try:
        if path.is_dir():
            raise ImportRefused("It is a folder, not a file.")
        size = path.stat().st_size
        if size > limit:
            raise ImportRefused(_too_big(size, limit))
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # +1: a file that grew since stat() is still refused
    except FileNotFoundError:
        raise ImportRefused("No such file.") from None
    except PermissionError:
        raise ImportRefused("The file cannot be read (permission denied).") from None
    except IsADirectoryError:
        raise ImportRefused("It is a folder, not a file.") from None
    return decode_wire_bytes(data, limit)


def _too_big(size: int, limit: int) -> str:
    return (
        f"The file is {size / 1024 / 1024:.1f} MB; wire copy is refused above "
        f"{limit / 1024 / 1024:.0f} MB."
    )


def read_copy(text: str, today: date | None = None) -> list[WireStory]:
    """Every story in wire copy of any format, the reader's error turned into ``ImportRefused``."""
    try:
        return read_stories(text, today=today or timezone.localdate())
    except WireFormatError as exc:
        raise ImportRefused(str(exc)) from None
    except RecursionError:  # a pathological document deeper than any reader expects
        raise ImportRefused("The copy nests too deeply to be a news story.") from None


def parse_copy(text: str, today: date | None = None) -> WireStory:
    """The first (usually the only) story in wire copy; see ``read_copy``."""
    return read_copy(text, today)[0]


def wire_image(path: Path) -> File:
    """The photo for ``ImportWireStory(image=...)``, read, checked and re-encoded now.

    Refused (``ImportRefused``, one sentence naming the file) unless ``clean_image`` accepts it;
    nothing is stored until the story is.
    """
    if not path.is_file():
        raise ImportRefused(f"The photo {path} is not a file.")
    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            raise ImageRefused(
                f"The file is {size / 1024 / 1024:.1f} MB; images are refused above "
                f"{MAX_IMAGE_BYTES // (1024 * 1024)} MB."
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ImportRefused(f"The photo {path.name} cannot be read ({exc.strerror}).") from None
    except ValidationError as exc:
        raise ImportRefused(f"The photo {path.name}: {' '.join(exc.messages)}") from None
    image = ContentFile(data, name=path.name)
    try:
        cleaned(image)
    except ValidationError as exc:
        raise ImportRefused(f"The photo {path.name}: {' '.join(exc.messages)}") from None
    return image
