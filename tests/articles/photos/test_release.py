"""Renditions reach the public location only while a public or scheduled story uses the photo."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import body
from articles.models import Article, Photo, Rendition, ShareLink
from articles.photos import release
from articles.photos.renditions import ensure_renditions
from articles.publishing.steps import Unschedule
from articles.visibility import photos_to_release, public_photos
from tests import factories
from tests.support import stored_names

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run after-commit receivers (story_changed, file deletions) as a real commit would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def photo_with_renditions(**fields) -> Photo:
    photo = factories.photo(with_file=False, **fields)
    photo.image = factories.image_file(size=(900, 600))
    photo.save()
    ensure_renditions(photo)
    return photo


def public_files(settings) -> set[str]:
    return stored_names("default")


def is_public(photo: Photo) -> bool:
    return not photo.renditions.filter(public_file="").exists()


def test_renditions_stay_private_until_the_story_is_published(settings, editor, run_on_commit):
    photo = photo_with_renditions()
    story = factories.article("Harbour at dawn", lead_photo=photo)
    assert public_files(settings) == set() and not is_public(photo)
    assert list(public_photos()) == [] and list(photos_to_release()) == []

    run_on_commit(story.publish, by=editor)

    assert is_public(photo) and list(public_photos()) == [photo]
    files = public_files(settings)
    assert len(files) == photo.renditions.count() == 10
    # Unguessable: a random folder, no photo id, no date.
    folders = {name.split("/")[1] for name in files}
    assert len(folders) == 1 and len(folders.pop()) >= 24
    assert not any(f"/{photo.pk}-" in name for name in files)

    run_on_commit(story.unpublish, by=editor)
    assert public_files(settings) == set() and not is_public(photo)


@pytest.mark.parametrize("how", ["kill", "delete", "drop from body", "replace lead"])
def test_renditions_are_withdrawn_when_no_public_story_uses_the_photo(
    how, settings, editor, run_on_commit
):
    lead, inline = photo_with_renditions(), photo_with_renditions()
    story = factories.article("Ferry timetable", lead_photo=lead)
    story.body = [*story.body, {"type": "photo", "id": inline.pk}]
    story.save()
    run_on_commit(story.publish, by=editor)
    assert is_public(lead) and is_public(inline) and len(public_files(settings)) == 20

    if how == "kill":
        run_on_commit(story.kill, by=editor, note="Legal")
        gone = [lead, inline]
    elif how == "delete":
        run_on_commit(Article.objects.get(pk=story.pk).delete)
        gone = [lead, inline]
    elif how == "drop from body":
        story.body = [b for b in story.body if b["type"] != "photo"]
        run_on_commit(story.save)
        gone = [inline]
    else:
        story.lead_photo = photo_with_renditions()
        run_on_commit(story.save)
        gone = [lead]
    for photo in gone:
        assert not is_public(photo), how
    assert len(public_files(settings)) == 20 - 10 * len(gone) + (10 if how == "replace lead" else 0)


def test_a_photo_in_two_stories_stays_public_while_either_is(settings, editor, run_on_commit):
    photo = photo_with_renditions()
    first = factories.article("First", lead_photo=photo)
    second = factories.article("Second", lead_photo=photo)
    run_on_commit(first.publish, by=editor)
    run_on_commit(second.publish, by=editor)
    run_on_commit(first.unpublish, by=editor)
    assert is_public(photo)
    run_on_commit(second.unpublish, by=editor)
    assert not is_public(photo)


def test_scheduled_stories_release_at_schedule_time_and_unscheduling_withdraws(
    editor, run_on_commit
):
    photo = photo_with_renditions()
    story = factories.article("Tomorrow's front", lead_photo=photo)
    run_on_commit(story.publish, by=editor, at=timezone.now() + timedelta(hours=6))
    assert is_public(photo)
    assert list(public_photos()) == [] and list(photos_to_release()) == [photo]
    # Readers see it by the clock, with no event: the renditions are already there.
    later = timezone.now() + timedelta(hours=7)
    assert list(public_photos(at=later)) == [photo]
    run_on_commit(Unschedule(story, editor).execute)
    assert not is_public(photo)


def test_a_photo_without_alt_text_is_not_released(editor, run_on_commit):
    photo = photo_with_renditions(alt_text="")
    story = factories.article("No alt yet", paragraphs=("Text.",))
    story.body = [*story.body, {"type": "photo", "id": photo.pk}]
    story.save()
    run_on_commit(story.publish, by=editor)
    assert not is_public(photo)
    photo.alt_text = "A boat."
    run_on_commit(photo.save)
    assert is_public(photo)


def test_sync_all_withdraws_photos_of_stories_that_expired_by_the_clock(editor, run_on_commit):
    photo = photo_with_renditions()
    story = factories.article("Short-lived", lead_photo=photo)
    run_on_commit(story.publish, by=editor)
    Article.objects.filter(pk=story.pk).update(unpublish_at=timezone.now() - timedelta(minutes=1))
    assert is_public(photo)
    assert run_on_commit(release.sync_all) == (0, 1)
    assert not is_public(photo)
    assert release.sync_all() == (0, 0)


def test_deleting_a_photo_deletes_its_original_renditions_and_public_copies(
    settings, editor, run_on_commit
):
    photo = photo_with_renditions()
    story = factories.article("Gone", lead_photo=photo)
    run_on_commit(story.publish, by=editor)
    assert len(stored_names("private")) == 11
    run_on_commit(Photo.objects.get(pk=photo.pk).delete)
    assert stored_names("private") == set()
    assert public_files(settings) == set() and not Rendition.objects.exists()


def test_the_read_model_follows_lead_and_body_and_ignores_junk_ids(editor):
    lead, inline = factories.photo(), factories.photo()
    story = factories.article("Read model", lead_photo=lead)
    story.body = [
        *story.body,
        {"type": "photo", "id": inline.pk},
        {"type": "photo", "id": "1 OR 1=1"},
        {"type": "photo", "id": 999_999},
        body.paragraph("More."),
    ]
    story.save()
    assert set(story.photos.values_list("pk", flat=True)) == {lead.pk, inline.pk}
    story.lead_photo = None
    story.save(update_fields=["lead_photo"])
    assert set(story.photos.values_list("pk", flat=True)) == {inline.pk}


def test_private_files_are_served_only_with_a_fresh_signature(client, settings):
    if settings.NEWSROOM_S3_BUCKET:
        pytest.skip("on S3 the bucket presigns (tests/newsroom/test_media_s3.py)")
    photo = factories.photo()
    url = photo.image.url
    assert url.startswith("/private-media/")
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == photo.image.open("rb").read()
    token = url.split("/")[2]
    forged = url.replace(token, token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"))
    assert client.get(forged).status_code == 404
    settings.NEWSROOM_SIGNED_MEDIA_SECONDS = -1  # every signature has expired
    assert client.get(url).status_code == 404
    assert client.get(reverse("private-media", args=["nonsense", "x.jpg"])).status_code == 404


def test_originals_are_never_in_the_public_location(settings):
    photo = factories.photo()
    ensure_renditions(photo)
    assert stored_names("private") == {photo.image.name} | {
        r.file.name for r in photo.renditions.all()
    }
    assert public_files(settings) == set()


def test_release_photos_command_reports_what_it_did(editor, run_on_commit):
    from io import StringIO

    from django.core.management import call_command

    photo = photo_with_renditions()
    story = factories.article("Command", lead_photo=photo)
    story.publish(by=editor)  # no commit hooks: not released yet
    out = StringIO()
    call_command("release_photos", stdout=out)
    assert out.getvalue().strip() == "1 photos released, 0 withdrawn." and is_public(photo)


def test_previews_use_signed_private_addresses_and_readers_never_do(client, editor, settings):
    signed = "X-Amz-Signature=" if settings.NEWSROOM_S3_BUCKET else "/private-media/"
    photo = photo_with_renditions()
    story = factories.article("Draft with a picture", lead_photo=photo)
    client.force_login(editor)
    html = client.get(reverse("desk:preview", args=[story.pk])).content.decode()
    assert signed in html and "<picture" in html
    client.logout()
    link = ShareLink.create_for(story, by=editor)
    shared = client.get(link.get_absolute_url()).content.decode()
    assert signed in shared
    assert client.get(story.get_absolute_url()).status_code == 404
