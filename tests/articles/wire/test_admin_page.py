"""The admin's "Import wire copy" page."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Photo, Quote, Status
from articles.wire.importer import MAX_WIRE_BYTES
from people.models import Person
from tests import factories
from tests.support import WIRE_FIXTURES

pytestmark = pytest.mark.django_db

HARBOUR = (WIRE_FIXTURES / "import_harbour_pilots.txt").read_text(encoding="utf-8")
URL = reverse("admin:articles_wireimport_add")


def nothing_written():
    return not (Article.objects.exists() or Person.objects.exists() or Photo.objects.exists())


def test_the_page_is_on_the_admin_index_for_those_who_may_add_stories(client, reporter):
    client.force_login(reporter)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Import wire copy" in index
    assert reverse("admin:articles_wireimport_changelist") in index
    assert client.get(reverse("admin:articles_wireimport_changelist")).status_code == 200

    client.force_login(factories.user("Photo editor"))
    assert "Import wire copy" not in client.get(reverse("admin:index")).content.decode()
    assert client.get(URL).status_code == 403


def test_pasted_copy_becomes_a_draft_and_opens_for_editing(client, reporter):
    client.force_login(reporter)
    response = client.post(URL, {"text": HARBOUR})

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[article.pk])
    assert article.status == Status.DRAFT and article.created_by == reporter
    assert article.quotes.filter(confirmed=False).count() == 3
    message = str(next(iter(get_messages(response.wsgi_request))))
    assert "Imported" in message and "3 extracted quotes" in message


def test_an_uploaded_file_with_a_section(client, editor):
    section = factories.section("Europe")
    client.force_login(editor)
    upload = SimpleUploadedFile("pilots.txt", HARBOUR.encode("utf-8"), "text/plain")
    response = client.post(URL, {"upload": upload, "section": section.pk})
    assert response.status_code == 302
    assert Article.objects.get().section == section


def test_the_same_copy_again_opens_the_existing_story(client, editor):
    client.force_login(editor)
    client.post(URL, {"text": HARBOUR})
    article = Article.objects.get()
    response = client.post(URL, {"text": HARBOUR})
    assert response["Location"] == reverse("admin:articles_article_change", args=[article.pk])
    assert "already a story" in str(list(get_messages(response.wsgi_request))[-1])
    assert Article.objects.count() == 1

    Quote.objects.update(text="Changed by hand.")
    client.post(URL, {"text": HARBOUR, "update": "on"})
    assert Article.objects.count() == 1
    assert not Quote.objects.filter(text="Changed by hand.").exists()


@pytest.mark.parametrize(
    "name, data, problem",
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", bytes(range(256)) * 8, "binary"),
        ("latin1.txt", "Caf\u00e9 owners protest\n\nMore.".encode("latin-1"), "UTF-8"),
        ("nohead.txt", b"By Anna Smith\n\nThere is no headline above.", "headline"),
    ],
)
def test_bad_uploads_are_refused_naming_the_file(client, editor, name, data, problem):
    client.force_login(editor)
    response = client.post(URL, {"upload": SimpleUploadedFile(name, data, "text/plain")})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert name in errors and problem in errors
    assert nothing_written()


def test_an_upload_over_the_limit_is_refused_by_its_size(client, editor):
    client.force_login(editor)
    big = SimpleUploadedFile("big.txt", b"x" * (MAX_WIRE_BYTES + 1), "text/plain")
    response = client.post(URL, {"upload": big})
    assert "big.txt" in str(response.context["form"].errors["upload"])
    assert "2 MB" in str(response.context["form"].errors["upload"])
    assert nothing_written()


def test_nothing_to_import_and_both_at_once_are_refused(client, editor):
    client.force_login(editor)
    assert client.post(URL, {"text": "  "}).context["form"].non_field_errors()
    upload = SimpleUploadedFile("a.txt", HARBOUR.encode(), "text/plain")
    response = client.post(URL, {"text": HARBOUR, "upload": upload})
    assert "not both" in " ".join(response.context["form"].non_field_errors())
    assert nothing_written()


def test_posting_without_permission_is_refused_on_the_server(client):
    client.force_login(factories.user("Photo editor"))
    assert client.post(URL, {"text": HARBOUR}).status_code == 403
    assert nothing_written()


def test_wire_markup_is_escaped_not_interpreted(client, editor):
    client.force_login(editor)
    copy = HARBOUR.replace(
        "The port authority said", "<script>alert(1)</script> The port authority said"
    )
    copy = copy.replace("Harbour pilots walk out", "<b>Pilots</b> walk out")
    assert client.post(URL, {"text": copy}).status_code == 302
    shown = client.get(reverse("admin:index")).content.decode()  # shows the message
    assert "\u201c&lt;b&gt;Pilots&lt;/b&gt; walk out" in shown
    paragraph = Article.objects.get().body[4]["html"]
    assert "<script>" not in paragraph and "&lt;script&gt;" in paragraph


def test_the_import_page_takes_a_photo_and_its_alt_text(client, editor, settings):
    settings.NEWSROOM_WIRE_LICENSE_URLS = {"UPI": "https://licensing.example.com/upi"}
    client.force_login(editor)
    picture = factories.image_file("pilots.jpg", size=(900, 600))
    response = client.post(
        URL, {"text": HARBOUR, "photo": picture, "alt_text": "Two pilot boats at a quay"}
    )
    assert response.status_code == 302
    photo = Article.objects.get().lead_photo
    assert photo.image and photo.renditions.exists()
    assert photo.alt_text == "Two pilot boats at a quay"
    assert photo.license_url == "https://licensing.example.com/upi" and photo.rights == ""
    page = client.get(URL).content.decode()
    assert 'data-photo-drop="1"' in page and "desk/photo-drop.js" in page


def test_a_photo_that_is_not_a_picture_is_refused_and_nothing_is_written(client, editor):
    client.force_login(editor)
    bad = SimpleUploadedFile("pilots.jpg", b"not a picture at all", "image/jpeg")
    response = client.post(URL, {"text": HARBOUR, "photo": bad})
    assert response.status_code == 200
    assert response.context["form"].errors["photo"]
    assert not Article.objects.exists()


def test_the_admin_index_links_once_to_the_import_and_names_tags(client, editor):
    client.force_login(editor)
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:articles_wireimport_add") not in index
    assert "Taggit" not in index
