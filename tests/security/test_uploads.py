"""The upload corpus: hostile and awkward files through every way a file gets in.

Paths: the photo library (admin), a person's portrait (admin), the wire import page's upload,
and ``import_story --photo``. Every file is either refused with one clear sentence, leaving no
row and no stored object, or accepted as a re-encoding that carries none of its payload (no
script, no appended archive, no GPS or camera serial). Nothing answers 500. The tally is
printed at the end of the run (tests/security/conftest.py).
"""

import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image

from articles.models import Article, Photo, Rendition
from people.models import Person
from tests import factories, images
from tests.security.conftest import UPLOADS
from tests.support import WIRE_FIXTURES, stored_names

pytestmark = pytest.mark.django_db

# Bytes that must never reach storage from an accepted file.
PAYLOADS = (
    b"alert(",
    b"<script",
    b"<?php",
    b"<html",
    b"SN-0048151623",
    b"PhoneMaker",
    b"PK\x03\x04",
)


@dataclass(frozen=True)
class Upload:
    label: str
    filename: str
    data: bytes
    accepted: bool  # a real image: stored, re-encoded; else refused


def _tiff() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, "TIFF")
    return buffer.getvalue()


def _bmp() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, "BMP")
    return buffer.getvalue()


def _jpeg_with_comment(comment: bytes) -> bytes:
    data = images.jpeg()
    segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return data[:2] + segment + data[2:]


SVG_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><script>alert(1)</script></html>"
PHP = b"<?php system($_GET['c']); ?>"
ZIP_AND_HTML = b"PK\x03\x04<html><script>alert(1)</script>"

CORPUS = [
    Upload(
        "decompression bomb: 60 MP PNG in a few KB",
        "bomb.png",
        images.png_bomb(10_000, 6_000),
        False,
    ),
    Upload(
        "beyond Pillow's own bomb limit (400 MP)",
        "huge.png",
        images.png_bomb(20_000, 20_000),
        False,
    ),
    Upload("absurd dimensions (40000 x 10)", "strip.png", images.png_bomb(40_000, 10), False),
    Upload("truncated JPEG", "cut.jpg", images.jpeg(size=(800, 600))[:-4000], False),
    Upload("truncated PNG", "cut.png", images.png(size=(300, 300))[:-40], False),
    Upload("SVG with script", "logo.svg", SVG_SCRIPT, False),
    Upload("SVG renamed .png", "logo.png", b'<?xml version="1.0"?><svg onload="alert(1)"/>', False),
    Upload("HTML renamed .jpg", "photo.jpg", HTML, False),
    Upload("PHP renamed .gif", "shell.gif", PHP, False),
    Upload("BMP", "scan.bmp", _bmp(), False),
    Upload("TIFF", "scan.tif", _tiff(), False),
    Upload("RIFF header, not WebP data", "x.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 garbage", False),
    Upload("empty file", "empty.jpg", b"", False),
    Upload("GIF/JavaScript polyglot", "anim.gif", images.gif_js_polyglot(), True),
    Upload("JPEG with an appended ZIP and HTML", "holiday.jpg", images.jpeg() + ZIP_AND_HTML, True),
    Upload("JPEG with PHP in a comment segment", "c.jpg", _jpeg_with_comment(PHP), True),
    Upload(
        "JPEG with EXIF GPS and camera serial",
        "phone.jpg",
        images.jpeg(exif=images.camera_exif()),
        True,
    ),
    Upload(
        "PNG with a script text chunk and tail",
        "t.png",
        images.png(text={"Comment": "<script>alert(1)</script>"}) + b"<html>",
        True,
    ),
]


def ids(corpus):
    return [u.label for u in corpus]


def assert_stored_clean() -> None:
    """Every stored byte anywhere is free of the payloads."""
    from django.core.files.storage import storages

    for alias in ("private", "default"):
        for name in stored_names(alias):
            with storages[alias].open(name, "rb") as handle:
                data = handle.read()
            found = [p for p in PAYLOADS if p in data]
            assert not found, f"{alias}/{name} kept {found}"


def assert_nothing_stored() -> None:
    assert stored_names("private") == set() and stored_names("default") == set()


@pytest.fixture
def chief(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("chief", "chief@example.com", "pw")


@pytest.mark.parametrize("upload", CORPUS, ids=ids(CORPUS))
def test_photo_library(client, chief, upload, django_capture_on_commit_callbacks):
    client.force_login(chief)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:articles_photo_add"),
            {
                "image": SimpleUploadedFile(upload.filename, upload.data),
                "caption": "",
                "alt_text": "Something.",
                "credit": "",
            },
        )
    if upload.accepted:
        assert response.status_code == 302, response.content[:2000]
        photo = Photo.objects.get()
        assert photo.renditions.count() == Rendition.objects.count() == 10
        assert_stored_clean()
    else:
        assert response.status_code == 200
        html = response.content.decode()
        assert 'class="errorlist' in html
        assert not Photo.objects.exists()
        assert_nothing_stored()
    UPLOADS.record("photo library", upload.label, upload.accepted)


@pytest.mark.parametrize("upload", CORPUS, ids=ids(CORPUS))
def test_portrait(client, chief, upload, django_capture_on_commit_callbacks):
    client.force_login(chief)
    person = factories.person("Mira Lensholder")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:people_person_change", args=[person.pk]),
            {
                "name": person.name,
                "slug": person.slug,
                "portrait": SimpleUploadedFile(upload.filename, upload.data),
            },
        )
    person.refresh_from_db()
    if upload.accepted:
        assert response.status_code == 302, response.content[:2000]
        assert person.portrait.name.startswith("portraits/")
        assert_stored_clean()
    else:
        assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
        assert not person.portrait
        assert_nothing_stored()
    UPLOADS.record("portrait", upload.label, upload.accepted)


@pytest.mark.parametrize("upload", CORPUS, ids=ids(CORPUS))
def test_wire_import_page_takes_text_only(client, chief, upload):
    """The import page's one upload is wire copy: an image (or anything binary) is refused,
    naming the file, and nothing is written."""
    client.force_login(chief)
    response = client.post(
        reverse("admin:articles_wireimport_add"),
        {"upload": SimpleUploadedFile(upload.filename, upload.data)},
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert upload.filename in errors and "\n" not in errors
    assert not Article.objects.exists() and not Photo.objects.exists()
    assert not Person.objects.exists()
    assert_nothing_stored()
    UPLOADS.record("wire import page", upload.label, False)


@pytest.mark.parametrize("upload", CORPUS, ids=ids(CORPUS))
def test_import_story_photo(chief, upload, tmp_path):
    path = tmp_path / upload.filename
    path.write_bytes(upload.data)
    out, err = io.StringIO(), io.StringIO()
    story = WIRE_FIXTURES / "import_harbour_pilots.txt"
    if upload.accepted:
        call_command("import_story", str(story), "--photo", str(path), stdout=out, stderr=err)
        assert Article.objects.get().lead_photo.renditions.count() == 10
        assert_stored_clean()
    else:
        with pytest.raises(CommandError) as refused:
            call_command("import_story", str(story), "--photo", str(path), stdout=out, stderr=err)
        message = str(refused.value)
        assert upload.filename in message and "\n" not in message
        assert "Traceback" not in message + err.getvalue() + out.getvalue()
        assert not Article.objects.exists() and not Photo.objects.exists()
        assert_nothing_stored()
    UPLOADS.record("import_story --photo", upload.label, upload.accepted)


def test_the_corpus_covers_what_the_issue_names():
    labels = " ".join(u.label for u in CORPUS).lower()
    for kind in ("bomb", "dimensions", "truncated", "svg", "html renamed", "polyglot", "gps"):
        assert kind in labels
    assert sum(not u.accepted for u in CORPUS) >= 12
