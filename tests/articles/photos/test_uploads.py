"""clean_image(): what is refused, and what an accepted upload is stored as."""

import io
import time

import pytest
from PIL import Image

from articles.models import Photo
from articles.photos.uploads import ImageRefused, clean_image
from tests import factories, images
from tests.support import stored_names

pytestmark = pytest.mark.django_db


def reopen(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def test_gps_serial_and_every_other_exif_field_are_gone_from_the_stored_original():
    upload = images.jpeg(exif=images.camera_exif())
    assert b"SN-0048151623" in upload and b"PhoneMaker" in upload
    photo = Photo(alt_text="A red field.")
    photo.image.save("phone.jpg", io.BytesIO(upload), save=False)
    photo.save()
    with photo.image.open("rb") as handle:
        stored = handle.read()
    for secret in (b"SN-0048151623", b"PhoneMaker", b"Exif Artist", b"Exif\x00\x00"):
        assert secret not in stored
    img = reopen(stored)
    assert not img.getexif() and "exif" not in img.info and "icc_profile" not in img.info
    # The useful part of the metadata went into the record instead.
    assert photo.credit == "Exif Artist" and photo.rights == "Exif Copyright Holder"
    assert photo.caption == "Exif description of the scene"


def test_orientation_is_applied_before_the_exif_is_dropped():
    upload = images.jpeg(size=(600, 200), exif=images.camera_exif(orientation=6))
    clean = clean_image(upload)
    assert (clean.width, clean.height) == (200, 600)


def test_iptc_beats_xmp_beats_exif_and_editor_text_is_never_replaced():
    upload = images.jpeg(
        exif=images.camera_exif(),
        app_segments=[
            images.xmp_segment("XMP caption", "XMP Credit", "XMP rights"),
            images.iptc_segment("IPTC caption of the harbour", "IPTC Agency", "(c) IPTC Owner"),
        ],
    )
    clean = clean_image(upload)
    assert (clean.caption, clean.credit, clean.copyright) == (
        "IPTC caption of the harbour",
        "IPTC Agency",
        "(c) IPTC Owner",
    )
    only_xmp = clean_image(
        images.jpeg(app_segments=[images.xmp_segment("XMP caption", "XMP Credit", "XMP rights")])
    )
    assert (only_xmp.caption, only_xmp.credit, only_xmp.copyright) == (
        "XMP caption",
        "XMP Credit",
        "XMP rights",
    )
    assert b"XMP caption" not in only_xmp.data

    photo = Photo(caption="The editor's caption.", credit="Desk", alt_text="x")
    photo.image.save("x.jpg", io.BytesIO(upload), save=False)
    assert photo.caption == "The editor's caption." and photo.credit == "Desk"
    assert photo.rights == "(c) IPTC Owner"


def test_anything_appended_after_the_image_is_not_stored():
    payload = b"<script>alert(1)</script>PK\x03\x04zip-archive-here"
    for original in (images.jpeg(), images.png(), images.webp()):
        clean = clean_image(original + payload)
        assert payload not in clean.data and b"<script>" not in clean.data


def test_gif_becomes_png_and_loses_its_javascript_tail():
    clean = clean_image(images.gif_js_polyglot())
    assert clean.format == "PNG" and clean.extension == "png"
    assert b"alert" not in clean.data and reopen(clean.data).size == (10, 10)


def test_pixel_limit_is_read_from_the_header_without_decoding():
    bomb = images.png_bomb(10_000, 6_000)  # 60 megapixels in a few kilobytes
    assert len(bomb) < 100_000
    started = time.process_time()
    with pytest.raises(ImageRefused, match="10000 x 6000 pixels"):
        clean_image(bomb)
    assert time.process_time() - started < 0.5  # refused before any decoding
    with pytest.raises(ImageRefused, match="pixels a side"):
        clean_image(images.png_bomb(40_000, 10))


@pytest.mark.parametrize(
    "data, words",
    [
        (images.jpeg()[:-2000], "damaged or incomplete"),
        (images.png()[:60], "damaged or incomplete"),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "not an image",
        ),
        (b"<!doctype html><script>alert(1)</script>", "not an image"),
        (b"BM" + b"\x00" * 100, "not an image"),
        (b"", "empty"),
    ],
)
def test_refusals_are_one_sentence(data, words):
    with pytest.raises(ImageRefused) as refused:
        clean_image(data)
    message = " ".join(refused.value.messages)
    assert words in message and "\n" not in message


def test_a_refused_upload_stores_nothing(settings):
    photo = Photo(alt_text="x")
    with pytest.raises(ImageRefused):
        photo.image.save("broken.jpg", io.BytesIO(images.jpeg()[:-3000]), save=False)
    assert stored_names("private") == set() == stored_names("default")
    assert not Photo.objects.exists()


def test_stored_names_are_random_and_keep_nothing_of_the_upload_name():
    first = factories.photo()
    second = factories.photo()
    assert first.image.name.startswith("originals/") and first.image.name.endswith(".jpg")
    assert "photo" not in first.image.name.rsplit("/", 1)[-1]
    assert first.image.name != second.image.name


def test_replacing_an_original_deletes_the_old_file_after_commit(
    django_capture_on_commit_callbacks,
):
    photo = factories.photo()
    old = photo.image.name
    with django_capture_on_commit_callbacks(execute=True):
        photo.image = factories.image_file("new.png", fmt="PNG")
        photo.save()
    assert photo.image.name.endswith(".png") and photo.image.storage.exists(photo.image.name)
    assert not photo.image.storage.exists(old)


def test_clearing_a_portrait_deletes_its_file_after_commit(django_capture_on_commit_callbacks):
    person = factories.person("Ana Ruiz", portrait=factories.image_file("ana.jpg"))
    name = person.portrait.name
    assert stored_names("private") == {name}
    with django_capture_on_commit_callbacks(execute=True):
        person.portrait = None
        person.save()
    assert stored_names("private") == set()


@pytest.mark.parametrize(
    "mode, fmt, pixel, expected_mode, expected",
    [
        ("I;16", "PNG", 40000, "L", 156),  # 16-bit grey scaled, not clipped to white
        ("CMYK", "JPEG", (0, 255, 255, 0), "RGB", None),  # red in CMYK becomes RGB
        ("RGBA", "PNG", (10, 20, 30, 0), "RGBA", (10, 20, 30, 0)),  # transparency kept
        ("RGBA", "WEBP", (10, 20, 30, 128), "RGBA", None),  # half-transparent WebP
    ],
)
def test_colour_modes_survive_cleaning(mode, fmt, pixel, expected_mode, expected):
    buffer = io.BytesIO()
    Image.new(mode, (8, 8), pixel).save(buffer, fmt)
    clean = clean_image(buffer.getvalue())
    img = reopen(clean.data)
    assert img.mode == expected_mode
    if expected is not None:
        assert img.getpixel((0, 0)) == expected
    if mode == "CMYK":
        red, green, blue = img.getpixel((0, 0))
        assert red > 200 and green < 60 and blue < 60
