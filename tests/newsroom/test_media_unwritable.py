"""Media storage that will not take files: uploads fail with a clear message, nothing is saved.

The storage is really unwritable: its folder is a path under a plain file, so every write
fails in the filesystem (root ignores permission bits, so a read-only folder would not do).
"""

import pytest
from django.urls import reverse

from articles.models import Article, Photo
from people.models import Person
from tests import factories
from tests.support import WIRE_FIXTURES

pytestmark = pytest.mark.django_db

UNWRITABLE = "media storage is not taking files just now"


@pytest.fixture
def unwritable_private_storage(settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where the media folder should be")
    folder = {
        "BACKEND": "newsroom.media.disk.PrivateFileSystemStorage",
        "OPTIONS": {"location": blocker / "private"},
    }
    settings.STORAGES = {**settings.STORAGES, "private": folder}


def test_a_photo_upload_is_refused_beside_the_field_and_the_rest_is_kept(
    client, editor, unwritable_private_storage
):
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_photo_add"),
        {
            "image": factories.image_file(),
            "caption": "Cranes at dusk over the container quay",
            "alt_text": "Three cranes against an orange sky",
            "credit": "Desk Agency",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )
    assert response.status_code == 200
    assert UNWRITABLE in " ".join(response.context["adminform"].form.errors["image"])
    page = response.content.decode()
    assert "Cranes at dusk over the container quay" in page  # what the editor typed stays
    assert not Photo.objects.exists()


def test_a_portrait_upload_is_refused_the_same_way(client, unwritable_private_storage):
    person = factories.person("Ada Quayside")
    client.force_login(factories.user("Admin"))
    change = reverse("admin:people_person_change", args=[person.pk])
    form = client.get(change).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(name="Ada Quayside", slug=person.slug, portrait=factories.image_file())
    response = client.post(change, data)
    assert response.status_code == 200
    assert UNWRITABLE in " ".join(response.context["adminform"].form.errors["portrait"])
    person.refresh_from_db()
    assert not person.portrait


def test_a_wire_import_whose_photo_cannot_be_stored_writes_nothing(
    client, editor, unwritable_private_storage
):
    client.force_login(editor)
    text = (WIRE_FIXTURES / "import_harbour_pilots.txt").read_text(encoding="utf-8")
    response = client.post(
        reverse("admin:articles_wireimport_add"),
        {"text": text, "photo": factories.image_file("pilots.jpg"), "alt_text": "Pilot boats"},
    )
    assert response.status_code == 200
    assert UNWRITABLE in " ".join(response.context["form"].non_field_errors())
    assert not Article.objects.exists() and not Photo.objects.exists()
    assert not Person.objects.exists()
