"""Media on a real S3-protocol server (moto's, on loopback): private originals, public copies
of renditions only for public stories, signed addresses for editors, nothing left behind."""

import urllib.error
import urllib.request

import pytest
from django.urls import reverse

from articles.models import Photo
from tests import factories, images
from tests.support import bucket_keys

pytestmark = pytest.mark.django_db


def fetch(url: str) -> tuple[int, bytes]:
    """GET as an anonymous reader would (no credentials, no cookies)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def upload_through_admin(client, editor, data: bytes, name="harbour.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    return client.post(
        reverse("admin:articles_photo_add"),
        {
            "image": SimpleUploadedFile(name, data, content_type="image/jpeg"),
            "caption": "",
            "alt_text": "Cranes on the quay.",
            "credit": "",
        },
    )


def test_upload_publish_unpublish_and_delete_on_s3(
    s3_media, client, editor, django_capture_on_commit_callbacks
):
    data = images.jpeg(
        size=(1000, 700),
        exif=images.camera_exif(),
        app_segments=[images.iptc_segment("Cranes idle.", "Wire Agency", "(c) Wire")],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = upload_through_admin(client, editor, data)
    assert response.status_code == 302, response.content[:2000]
    photo = Photo.objects.get()
    assert (photo.caption, photo.credit, photo.rights) == (
        "Cranes idle.",
        "Wire Agency",
        "(c) Wire",
    )
    keys = bucket_keys(s3_media.endpoint, s3_media.bucket)
    assert len(keys) == 11 and all(k.startswith("private/") for k in keys)

    # The original: 403 without a signature, 200 with one, and clean.
    signed = photo.image.url
    assert "X-Amz-Signature=" in signed
    status, body = fetch(signed)
    assert status == 200 and b"SN-0048151623" not in body and b"Cranes idle." not in body
    assert fetch(signed.split("?")[0])[0] == 403
    for rendition in photo.renditions.all():
        assert rendition.url == "" and fetch(rendition.private_url.split("?")[0])[0] == 403

    story = factories.article("Cranes idle as strike enters second week", lead_photo=photo)
    with django_capture_on_commit_callbacks(execute=True):
        story.publish(by=editor)
    w800 = photo.renditions.get(spec="w800", format="jpeg")
    assert w800.url.startswith(f"{s3_media.endpoint}/{s3_media.bucket}/public/renditions/")
    assert fetch(w800.url)[0] == 200
    page = client.get(story.get_absolute_url()).content.decode()
    assert w800.url in page and "X-Amz-Signature" not in page

    with django_capture_on_commit_callbacks(execute=True):
        story.unpublish(by=editor)
    assert fetch(w800.url)[0] in (403, 404)
    assert not any(k.startswith("public/") for k in bucket_keys(s3_media.endpoint, s3_media.bucket))

    with django_capture_on_commit_callbacks(execute=True):
        Photo.objects.get(pk=photo.pk).delete()
    assert bucket_keys(s3_media.endpoint, s3_media.bucket) == set()


def test_a_refused_upload_leaves_no_object_and_no_row(s3_media, client, editor):
    response = upload_through_admin(client, editor, images.jpeg()[:-2500], name="cut.jpg")
    assert response.status_code == 200 and b"damaged or incomplete" in response.content
    assert not Photo.objects.exists()
    assert bucket_keys(s3_media.endpoint, s3_media.bucket) == set()


def test_portraits_are_private_objects_too(s3_media):
    person = factories.person("Ana Ruiz", portrait=factories.image_file("ana.jpg"))
    assert person.portrait.name.startswith("portraits/")
    key = f"private/{person.portrait.name}"
    assert key in bucket_keys(s3_media.endpoint, s3_media.bucket)
    assert fetch(person.portrait.url.split("?")[0])[0] == 403
    assert fetch(person.portrait.url)[0] == 200
