"""backup_newsroom / restore_newsroom round-trip every row and media file, nothing lost."""

import io
import json
import tarfile

import pytest
from django.contrib.auth.models import Group, User
from django.core import serializers
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection
from taggit.models import Tag, TaggedItem

from articles.models import Article, Correction, Photo, Quote, Rendition, Revision, StatusChange
from articles.photos.renditions import ensure_renditions
from articles.publishing import revisions
from newsroom.backup import _safe_media_name, backup_models, media_files
from people.models import Person
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_flushed_content_types():
    """These tests flush inside a transaction that is rolled back; the content types Django
    cached in between no longer exist afterwards, so later tests must not reuse them."""
    from django.contrib.contenttypes.models import ContentType

    yield
    ContentType.objects.clear_cache()


def newsroom_state() -> dict:
    """Every backed-up row (natural keys, so database ids of users do not matter) and file."""
    rows = {}
    for model in backup_models():
        objects = serializers.serialize(
            "python",
            model._default_manager.all(),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
        rows[model._meta.label_lower] = sorted(
            json.dumps(obj, sort_keys=True, default=str) for obj in objects
        )
    files = {}
    for alias, name in media_files(backup_models()):
        with storages[alias].open(name, "rb") as handle:
            files[(alias, name)] = handle.read()
    return {"rows": rows, "files": files}


@pytest.fixture
def newsroom(editor):
    """A little of everything: published and draft stories, photos with renditions, people with
    portraits, quotes, tags, corrections, revisions and workflow history."""
    photographer = factories.person("Mira Lensholder", portrait=factories.image_file("mira.jpg"))
    lead = factories.photo(photographer=photographer, focal_x=0.3, focal_y=0.6)
    ensure_renditions(lead)
    story = factories.published(
        "Harbour cranes idle as dock strike enters second week", lead_photo=lead, by=editor
    )
    story.tags.add("Ports", "Labour")
    factories.quote(story, text="We will stay out until the talks resume.")
    Correction.objects.create(article=story, note="An earlier version misnamed the union.")
    revisions.record(story, editor, note="tightened the top")
    draft = factories.article("Council weighs new ferry timetable", paragraphs=("One.", "Two."))
    draft.tags.add("Ports")
    factories.related(draft, target=story, position=0)
    return story


def test_round_trip_keeps_every_row_and_file(newsroom, tmp_path):
    before = newsroom_state()
    # The fixture really made one of each kind, so the comparison below covers them.
    for model in (Article, Person, Photo, Rendition, Quote, Revision, Tag, TaggedItem):
        assert model.objects.exists(), model
    assert StatusChange.objects.exists() and Group.objects.exists() and User.objects.exists()
    assert len(before["files"]) >= 2 + Rendition.objects.count()

    archive = tmp_path / "newsroom.tar.gz"
    out = io.StringIO()
    call_command("backup_newsroom", str(archive), stdout=out)
    assert f"{len(before['files'])} media files" in out.getvalue()

    # Lose everything: rows and files (firing PostgreSQL's deferred FK checks first, as a
    # committed database would have).
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    for alias, name in before["files"]:
        storages[alias].delete(name)
    alias, name = next(iter(before["files"]))
    assert not Article.objects.exists() and not storages[alias].exists(name)

    call_command("restore_newsroom", str(archive), stdout=io.StringIO())

    after = newsroom_state()
    assert after["rows"].keys() == before["rows"].keys()
    for label, rows in before["rows"].items():
        assert after["rows"][label] == rows, label
    assert after["files"] == before["files"]

    story = Article.objects.get(pk=newsroom.pk)
    assert sorted(story.tags.names()) == ["Labour", "Ports"]
    assert (
        story.lead_photo.image.read() == before["files"][("private", story.lead_photo.image.name)]
    )
    # Originals, renditions as made and portraits in private storage; the public copies of the
    # published story's renditions in the public one.
    kinds = {(alias, name.split("/")[0]) for alias, name in before["files"]}
    assert {("private", "originals"), ("private", "renditions"), ("private", "portraits")} <= kinds
    assert ("default", "renditions") in kinds
    assert story.revisions.get().note == "tightened the top"
    assert Article.objects.published().get() == story


def test_restore_refuses_to_mix_two_newsrooms(newsroom, tmp_path):
    archive = tmp_path / "newsroom.tar.gz"
    call_command("backup_newsroom", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="already holds newsroom content"):
        call_command("restore_newsroom", str(archive), stdout=io.StringIO())
    # --flush replaces the content instead: still one copy of each story.
    factories.article("Written after the backup")
    call_command("restore_newsroom", str(archive), "--flush", stdout=io.StringIO())
    assert not Article.objects.filter(headline="Written after the backup").exists()
    assert Article.objects.filter(pk=newsroom.pk).count() == 1


def test_new_project_models_are_included_without_listing_them():
    labels = {m._meta.label_lower for m in backup_models()}
    assert {"articles.article", "articles.revision", "people.person", "taggit.tag"} <= labels
    assert {"auth.user", "auth.group"} <= labels
    assert "auth.permission" not in labels and "sessions.session" not in labels


def test_archive_members_outside_media_are_ignored(tmp_path):
    path = tmp_path / "evil.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        for name in ("media/photos/ok.jpg", "media/../../etc/passwd", "/media/x", "other.txt"):
            info = tarfile.TarInfo(name)
            archive.addfile(info, io.BytesIO(b""))
    with tarfile.open(path) as archive:
        names = [_safe_media_name(m) for m in archive.getmembers()]
    assert names == ["photos/ok.jpg", None, None, None]


def test_restore_rejects_a_file_that_is_not_a_backup(tmp_path):
    path = tmp_path / "notes.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        archive.addfile(tarfile.TarInfo("notes.txt"), io.BytesIO(b""))
    with pytest.raises(CommandError, match="not a newsroom backup"):
        call_command("restore_newsroom", str(path), stdout=io.StringIO())
