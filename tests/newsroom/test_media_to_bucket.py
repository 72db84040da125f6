"""media_to_bucket moves the demo's local media into an empty bucket, verified; run again, it
copies nothing; a file that went missing locally is reported, not silently skipped."""

import io
import urllib.request

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Rendition
from tests.support import bucket_keys, point_media_at_new_bucket, use_local_media

pytestmark = pytest.mark.django_db


def test_demo_media_into_an_empty_bucket_then_nothing_more(
    settings, s3_endpoint, client, django_capture_on_commit_callbacks
):
    use_local_media(settings)
    with django_capture_on_commit_callbacks(execute=True):  # publishing releases renditions
        call_command("seed_demo", stdout=io.StringIO())  # local folders, as `make run` has them
    local = {
        str(p.relative_to(root))
        for root in (settings.MEDIA_ROOT, settings.NEWSROOM_PRIVATE_MEDIA_ROOT)
        for p in root.rglob("*")
        if p.is_file()
    }
    assert len(local) >= 4 * 11 + 4 * 10  # originals, renditions, public copies

    s3 = point_media_at_new_bucket(settings, s3_endpoint)
    out = io.StringIO()
    call_command("media_to_bucket", stdout=out)
    assert out.getvalue().strip() == f"{len(local)} copied, 0 already in place, 0 problems."
    keys = bucket_keys(s3.endpoint, s3.bucket)
    assert len(keys) == len(local)
    assert {k.split("/", 1)[0] for k in keys} == {"private", "public"}

    again = io.StringIO()
    call_command("media_to_bucket", stdout=again)
    assert again.getvalue().strip() == f"0 copied, {len(local)} already in place, 0 problems."

    # The site now serves the demo's pictures from the bucket.
    story = Article.objects.published().filter(lead_photo__isnull=False).first()
    page = client.get(story.get_absolute_url()).content.decode()
    rendition = Rendition.objects.filter(photo=story.lead_photo, spec="w800", format="jpeg").get()
    assert rendition.url in page
    with urllib.request.urlopen(rendition.url, timeout=10) as response:
        assert response.status == 200


def test_a_file_missing_locally_is_reported_and_the_run_fails(settings, s3_endpoint, tmp_path):
    from tests import factories

    use_local_media(settings)
    photo = factories.photo()
    (settings.NEWSROOM_PRIVATE_MEDIA_ROOT / photo.image.name).unlink()
    point_media_at_new_bucket(settings, s3_endpoint)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 files were not copied"):
        call_command("media_to_bucket", stdout=out, stderr=err)
    assert photo.image.name in err.getvalue()


def test_refuses_to_copy_a_folder_onto_itself(settings):
    use_local_media(settings)
    with pytest.raises(CommandError, match="configure the bucket"):
        call_command("media_to_bucket", stdout=io.StringIO())
