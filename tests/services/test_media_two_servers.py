"""Two gunicorn app servers share media through one S3 bucket (moto's server on loopback).

A photo uploaded through server A's admin is shown, with its renditions, by server B once its
story is published; the private original answers 403 without a signature and 200 with the one
B's admin hands an editor; the renditions of a draft's photo have no public address at all.
"""

import re
import secrets
import urllib.error
import urllib.request
import uuid

import pytest
from django.urls import reverse

from tests import images
from tests.services.test_two_app_servers import (
    AppServer,
    Browser,
    FormFields,
    test_database_url,
)
from tests.support import bucket_keys, point_media_at_new_bucket

pytestmark = [
    pytest.mark.services,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def anonymous_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def multipart(fields, files) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, filename, data in files:
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'
            ).encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def upload_photo(editor: Browser, server: AppServer, data: bytes, alt: str) -> None:
    add = server.url + reverse("admin:articles_photo_add")
    form = FormFields("photo_form")
    form.feed(editor.get(add)[2])
    fields = [(k, v) for k, v in form.fields if k not in ("alt_text", "image")]
    fields += [("alt_text", alt), ("_save", ""), ("csrfmiddlewaretoken", editor.csrf_token())]
    body, content_type = multipart(fields, [("image", "upload.jpg", data)])
    request = urllib.request.Request(add, data=body, headers={"Content-Type": content_type})
    with editor.opener.open(request, timeout=30) as response:
        landed, page = response.geturl(), response.read().decode()
    assert landed.endswith(reverse("admin:articles_photo_changelist")), page[:3000]


@pytest.fixture
def media_servers(tmp_path, settings, s3_endpoint):
    import os

    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL: both app servers must share one Redis")
    s3 = point_media_at_new_bucket(settings, s3_endpoint)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSROOM_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        DATABASE_URL=test_database_url(),
        DATABASE_CONN_MAX_AGE="0",
        STATIC_ROOT=str(tmp_path / "static"),
        # No local media folder at all: each server would see only its own.
        MEDIA_ROOT=str(tmp_path / "nothing-here"),
        NEWSROOM_S3_BUCKET=s3.bucket,
        NEWSROOM_S3_ENDPOINT_URL=s3.endpoint,
        NEWSROOM_S3_ADDRESSING_STYLE="path",
        NEWSROOM_S3_ACCESS_KEY_ID="newsroom-test",
        NEWSROOM_S3_SECRET_ACCESS_KEY="newsroom-test-secret",
        GUNICORN_ACCESS_LOG="-",
        # Renditions are made in the request here, so the test need not run a worker beside
        # the servers (tests/services/test_rq_worker.py covers the worker itself).
        NEWSROOM_TASKS="immediate",
    )
    import subprocess
    import sys

    from tests.services.test_two_app_servers import ROOT

    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert collect.returncode == 0, collect.stderr
    servers = [AppServer(env, tmp_path / f"gunicorn-{name}.log") for name in "ab"]
    try:
        for server in servers:
            server.wait_until_ready()
        yield s3, servers
    finally:
        for server in servers:
            server.stop()


def test_a_photo_uploaded_on_one_server_is_served_by_the_other(media_servers):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from articles.models import Article, Photo
    from tests import factories

    s3, (a, b) = media_servers
    pbkdf2 = PBKDF2PasswordHasher()
    password = pbkdf2.encode("pw", pbkdf2.salt(), iterations=1000)
    get_user_model().objects.create_superuser("chief", "chief@example.com", password=None)
    get_user_model().objects.filter(username="chief").update(password=password)
    editor = Browser()
    editor.get(a.url + "/admin/login/")
    editor.post(
        a.url + "/admin/login/",
        [("username", "chief"), ("password", "pw"), ("next", "/admin/")]
        + [("csrfmiddlewaretoken", editor.csrf_token())],
    )

    # Upload through A: a camera JPEG with GPS and a serial number.
    upload_photo(editor, a, images.jpeg(size=(1400, 900), exif=images.camera_exif()), "Cranes.")
    photo = Photo.objects.get()
    assert photo.renditions.count() == 10
    keys = bucket_keys(s3.endpoint, s3.bucket)
    assert len(keys) == 11 and all(k.startswith("private/") for k in keys)

    # B's admin hands the editor a signed address of the original; unsigned it is refused.
    change = editor.get(b.url + reverse("admin:articles_photo_change", args=[photo.pk]))[2]
    signed = re.search(r'data-focal-picker><img src="([^"]+)"', change).group(1)
    signed = signed.replace("&amp;", "&")
    assert "X-Amz-Signature=" in signed
    assert anonymous_status(signed) == 200
    assert anonymous_status(signed.split("?")[0]) == 403

    # A draft using it: nothing public, and no page for readers.
    story = factories.article("Cranes idle as the strike enters its second week", lead_photo=photo)
    reader = Browser()
    assert not any(k.startswith("public/") for k in bucket_keys(s3.endpoint, s3.bucket))
    for rendition in photo.renditions.all():
        assert anonymous_status(rendition.file.url.split("?")[0]) == 403
    with pytest.raises(urllib.error.HTTPError) as missing:
        reader.get(b.url + story.get_absolute_url())
    assert missing.value.code == 404

    # Published through A's admin; B serves the page with renditions from the bucket.
    editor.post(
        a.url + reverse("admin:articles_article_changelist"),
        [
            ("action", "publish"),
            ("_selected_action", str(story.pk)),
            ("index", "0"),
            ("csrfmiddlewaretoken", editor.csrf_token()),
        ],
    )
    story = Article.objects.get(pk=story.pk)
    assert story.is_live
    status, _, page = reader.get(b.url + story.get_absolute_url())
    assert status == 200
    urls = set(re.findall(rf"{re.escape(s3.endpoint)}/{s3.bucket}/public/[^\" ,]+", page))
    assert len(urls) >= 4
    for url in urls:
        assert anonymous_status(url) == 200
    assert "X-Amz-Signature" not in page and photo.image.name not in page

    # Unpublished through B: the public copies are gone from the bucket.
    editor.post(
        b.url + reverse("admin:articles_article_changelist"),
        [
            ("action", "unpublish"),
            ("_selected_action", str(story.pk)),
            ("index", "0"),
            ("csrfmiddlewaretoken", editor.csrf_token()),
        ],
    )
    assert not Article.objects.get(pk=story.pk).is_live
    for url in urls:
        assert anonymous_status(url) in (403, 404)
