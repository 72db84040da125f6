"""Images with the awkward parts real uploads carry, made in memory: EXIF with GPS and a camera
serial, IPTC and XMP captions, appended payloads, truncations, decompression bombs."""

import io
import struct
import zlib

from PIL import Image

GPS_IFD = 0x8825
SERIAL = 0xA431  # BodySerialNumber, in the Exif IFD
EXIF_IFD = 0x8769


def jpeg(size=(640, 400), colour=(200, 40, 40), exif=None, app_segments=(), quality=90) -> bytes:
    buffer = io.BytesIO()
    options = {"quality": quality}
    if exif is not None:
        options["exif"] = exif
    Image.new("RGB", size, colour).save(buffer, "JPEG", **options)
    data = buffer.getvalue()
    # Extra APPn segments go straight after the SOI marker, as cameras and editors write them.
    return data[:2] + b"".join(app_segments) + data[2:]


def camera_exif(orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: GPS position, camera serial number, artist, orientation."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0x013B] = "Exif Artist"
    exif[0x8298] = "Exif Copyright Holder"
    exif[0x010E] = "Exif description of the scene"
    exif.get_ifd(GPS_IFD).update(
        {1: "N", 2: (52.0, 22.0, 12.5), 3: "E", 4: (4.0, 53.0, 40.1), 0: b"\x02\x02\x00\x00"}
    )
    exif.get_ifd(EXIF_IFD)[SERIAL] = "SN-0048151623"
    return exif


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def iptc_segment(caption: str, credit: str, copyright_: str, byline: str = "") -> bytes:
    """An APP13 Photoshop block holding IPTC-IIM caption (2:120), credit (2:110), copyright."""

    def dataset(number: int, text: str) -> bytes:
        value = text.encode("utf-8")
        return b"\x1c\x02" + bytes([number]) + struct.pack(">H", len(value)) + value

    iptc = dataset(120, caption) + dataset(110, credit) + dataset(116, copyright_)
    if byline:
        iptc += dataset(80, byline)
    if len(iptc) % 2:
        iptc += b"\x00"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc))
    return _segment(0xED, b"Photoshop 3.0\x00" + resource + iptc)


def xmp_segment(description: str, credit: str, rights: str) -> bytes:
    xml = f"""<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
 <rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:Credit="{credit}">
  <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{description}</rdf:li></rdf:Alt>
  </dc:description>
  <dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{rights}</rdf:li></rdf:Alt></dc:rights>
 </rdf:Description></rdf:RDF></x:xmpmeta>"""
    return _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + xml.encode("utf-8"))


def png(size=(64, 40), mode="RGB", text: dict | None = None) -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    buffer = io.BytesIO()
    Image.new(mode, size, 120).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A tiny PNG claiming ``width`` x ``height`` pixels of one colour (compresses ~1000:1)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(min(height, 64)))
    body += compressor.flush()  # only the first rows: the header is what must be refused
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def gif_js_polyglot() -> bytes:
    """A valid GIF whose bytes are also JavaScript: ``GIF89a=alert(1)//...`` style."""
    buffer = io.BytesIO()
    Image.new("P", (10, 10), 1).save(buffer, "GIF")
    data = bytearray(buffer.getvalue())
    # Width bytes 0x2f 0x2a open a JS comment in the classic polyglot; the payload follows.
    return bytes(data) + b"*/=1;alert(document.domain);/*"


def webp(size=(50, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 200, 10)).save(buffer, "WEBP")
    return buffer.getvalue()
