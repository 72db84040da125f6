"""Every uploaded image passes ``clean_image()`` before anything is stored.

One function for every path (the photo library, portraits, ``import_story --photo``), through
``newsroom.media.fields.CleanImageField``. It refuses, with one sentence:

* anything that is not JPEG, PNG, WebP or GIF by its first bytes (SVG, HTML renamed ``.jpg``,
  BMP, TIFF, ...), or larger than ``MAX_IMAGE_BYTES``;
* images over ``MAX_IMAGE_PIXELS`` or ``MAX_SIDE``, read from the header before any decoding, so
  a 58 KB PNG claiming 60 megapixels costs nothing; Pillow's decompression-bomb guard stays on;
* truncated or corrupt files (the whole first frame is decoded).

What it accepts is re-encoded from decoded pixels: orientation applied, colours converted to
sRGB, first frame only, no EXIF (GPS, camera serial), no XMP, IPTC or comments, nothing appended
after the image. GIFs become PNGs. The useful metadata (caption, credit, copyright from IPTC,
XMP or EXIF) is returned for the photo record.
"""

from __future__ import annotations

import io
import re
import warnings
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from PIL import Image, ImageCms, ImageOps, IptcImagePlugin

MAX_IMAGE_BYTES = 25 * 1024 * 1024
MAX_IMAGE_PIXELS = 50_000_000  # a 50-megapixel camera; decoded RGB is 150 MB
MAX_SIDE = 30_000  # panoramas yes, 1 x 50,000,000 strips no

_SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
)
# What each accepted format is stored as, and with which options.
_OUTPUT = {
    "JPEG": ("JPEG", "jpg", {"quality": 90, "progressive": True}),
    "PNG": ("PNG", "png", {}),
    "GIF": ("PNG", "png", {}),
    "WEBP": ("WEBP", "webp", {"quality": 90, "method": 4}),
}
_MAX_TEXT = {"caption": 2000, "credit": 200, "copyright": 300}


class ImageRefused(ValidationError):
    """The upload is not an image we store; the message is one sentence for the person."""


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded image and the metadata worth keeping."""

    data: bytes
    format: str  # JPEG, PNG or WEBP
    extension: str
    width: int
    height: int
    caption: str = ""
    credit: str = ""
    copyright: str = ""


def sniff_format(head: bytes) -> str | None:
    """The format named by a file's first bytes, if it is one we accept."""
    for signature, name in _SIGNATURES:
        if head.startswith(signature):
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def clean_image(upload) -> CleanImage:
    """Validate and re-encode ``upload`` (a file object or bytes); raise ``ImageRefused``."""
    data = _read(upload)
    kind = sniff_format(data[:16])
    if kind is None:
        raise ImageRefused("The file is not an image we accept (JPEG, PNG, WebP or GIF).")
    try:
        with warnings.catch_warnings():
            # Our own limit (below Pillow's) is checked from the header just after opening;
            # Pillow's DecompressionBombError still stops anything past twice its own.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[kind]) as img:
                _check_size(*img.size)
                meta = _metadata(img)
                img.seek(0)
                img.load()
                clean = _pixels_only(img)
    except ImageRefused:
        raise
    except Image.DecompressionBombError:
        raise ImageRefused("The image has far too many pixels.") from None
    except Exception:
        # Truncated, corrupt, or lying about its contents (Pillow's plugins raise OSError,
        # SyntaxError, ValueError, struct.error and more on hostile input): refused alike.
        raise ImageRefused("The image is damaged or incomplete and cannot be read.") from None
    out_format, extension, options = _OUTPUT[kind]
    if out_format == "JPEG" and clean.mode != "RGB":
        clean = clean.convert("RGB")
    buffer = io.BytesIO()
    clean.save(buffer, out_format, **options)
    return CleanImage(
        data=buffer.getvalue(),
        format=out_format,
        extension=extension,
        width=clean.width,
        height=clean.height,
        **meta,
    )


def _read(upload) -> bytes:
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > MAX_IMAGE_BYTES:
            raise ImageRefused(_too_big(size))
        if getattr(upload, "closed", False) and hasattr(upload, "open"):
            upload.open("rb")
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(MAX_IMAGE_BYTES + 1)
        if hasattr(upload, "seek"):
            upload.seek(0)
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRefused(_too_big(len(data)))
    if not data:
        raise ImageRefused("The file is empty.")
    return data


def _too_big(size: int) -> str:
    return (
        f"The file is {size / 1024 / 1024:.1f} MB; images are refused above "
        f"{MAX_IMAGE_BYTES // (1024 * 1024)} MB."
    )


def _check_size(width: int, height: int) -> None:
    if width < 1 or height < 1:
        raise ImageRefused("The image has no pixels.")
    if width * height > MAX_IMAGE_PIXELS or max(width, height) > MAX_SIDE:
        raise ImageRefused(
            f"The image is {width} x {height} pixels; images are refused above "
            f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels or {MAX_SIDE} pixels a side."
        )


def _pixels_only(img: Image.Image) -> Image.Image:
    """A new image holding only the pixels: orientation applied, sRGB, no metadata."""
    oriented = ImageOps.exif_transpose(img) or img
    icc = img.info.get("icc_profile")
    if oriented.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit greyscale: scale to 8 bits rather than clip everything above 255 to white.
        oriented = oriented.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif oriented.mode == "F":
        oriented = oriented.convert("L")
    elif oriented.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "PA"):
        oriented = oriented.convert("RGBA" if "A" in oriented.getbands() else "RGB")
    if oriented.mode in ("P", "PA"):
        oriented = oriented.convert("RGBA" if _has_transparency(oriented) else "RGB")
    if oriented.mode == "CMYK" and not icc:
        oriented = oriented.convert("RGB")
    if icc:
        oriented = _to_srgb(oriented, icc)
    # A fresh image: nothing in ``info`` (EXIF, XMP, ICC, comments, text chunks) comes along.
    fresh = Image.new(oriented.mode, oriented.size)
    fresh.paste(oriented)
    return fresh


def _has_transparency(img: Image.Image) -> bool:
    return img.mode == "PA" or "transparency" in img.info


def _to_srgb(img: Image.Image, icc: bytes) -> Image.Image:
    """Convert pixels from their embedded profile to sRGB, so the profile can be dropped."""
    mode = "RGBA" if img.mode in ("RGBA", "LA") else ("L" if img.mode in ("1", "L") else "RGB")
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if mode == "L":
            return img.convert("L")
        return ImageCms.profileToProfile(
            img, source, ImageCms.createProfile("sRGB"), outputMode=mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return img.convert(mode) if img.mode not in (mode,) else img


# -- metadata worth keeping ------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}


def _text(value, limit: int) -> str:
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            value = value.decode("latin-1")
    text = " ".join(_CONTROL.sub(" ", str(value or "")).split())
    return text[:limit]


def _metadata(img: Image.Image) -> dict[str, str]:
    """Caption, credit and copyright from IPTC, then XMP, then EXIF; first found wins."""
    found = {"caption": "", "credit": "", "copyright": ""}
    sources = [_iptc(img), _xmp(img), _exif(img)]
    for key in found:
        for source in sources:
            if source.get(key):
                found[key] = _text(source[key], _MAX_TEXT[key])
                break
    return found


def _iptc(img: Image.Image) -> dict:
    try:
        info = IptcImagePlugin.getiptcinfo(img) or {}
    except Exception:  # a damaged IPTC block costs the metadata, not the photo
        return {}
    return {
        "caption": info.get((2, 120)),
        "credit": info.get((2, 110)) or info.get((2, 80)),
        "copyright": info.get((2, 116)),
    }


def _exif(img: Image.Image) -> dict:
    try:
        exif = img.getexif()
    except Exception:
        return {}
    return {"caption": exif.get(0x010E), "credit": exif.get(0x013B), "copyright": exif.get(0x8298)}


def _xmp(img: Image.Image) -> dict:
    raw = img.info.get("xmp") or img.info.get("XML:com.adobe.xmp") or b""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "replace")
    # XMP is small; entity declarations in it are never legitimate.
    if not raw or len(raw) > 256 * 1024 or b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        return {}
    start = raw.find(b"<x:xmpmeta")
    if start < 0:
        start = raw.find(b"<rdf:RDF")
    try:
        root = ElementTree.fromstring(raw[max(start, 0) :].split(b"<?xpacket end")[0])
    except ElementTree.ParseError:
        return {}
    return {
        "caption": _xmp_value(root, "dc", "description"),
        "credit": _xmp_value(root, "photoshop", "Credit") or _xmp_value(root, "dc", "creator"),
        "copyright": _xmp_value(root, "dc", "rights"),
    }


def _xmp_value(root, prefix: str, name: str) -> str:
    tag = f"{{{_NS[prefix]}}}{name}"
    for element in root.iter():
        if tag in element.attrib:
            return element.attrib[tag]
        if element.tag == tag:
            item = element.find(".//rdf:li", _NS)
            text = item.text if item is not None else element.text
            if text and text.strip():
                return text
    return ""
