"""No media address of a photo reaches an anonymous reader unless a public story shows it.

For each state a story can be in, its lead and inline photos' media are tried the ways an
attacker would: the original and every rendition at the public media address under their
stored names, the first version's guessable ``renditions/YYYY/MM/<id>-w800.jpg``, the public
copies it had while it was live, and the private-media view without a valid signature.
Originals are never reachable, in any state. A scheduled story's renditions are at random
public names from schedule time (docs/deployment.md) but appear on no public page or feed.
"""

import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Photo
from articles.photos import release
from articles.photos.renditions import ensure_renditions
from tests import factories
from tests.security.conftest import MEDIA_LEAKED, MEDIA_TRIED

pytestmark = pytest.mark.django_db

STATES = ["draft", "ready", "scheduled", "unpublished", "killed", "expired", "deleted", "live"]


def reachable(client, url: str) -> bool:
    """Whether an anonymous GET of ``url`` would return the file."""
    if url.startswith("http"):
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status == 200
        except urllib.error.HTTPError:
            return False
    if url.startswith(settings.MEDIA_URL):  # what the web server in front serves: MEDIA_ROOT
        return Path(settings.MEDIA_ROOT, unquote(url[len(settings.MEDIA_URL) :])).is_file()
    return client.get(url).status_code == 200


def photo_with_renditions(caption: str) -> Photo:
    photo = factories.photo(with_file=False, caption=caption, alt_text=caption)
    photo.image = factories.image_file(size=(900, 600))
    photo.save()
    ensure_renditions(photo)
    return photo


def put_in_state(story, state: str, editor, run, photos) -> list[str]:
    """Take the story to ``state``; returns the public addresses its photos had while live."""
    was_public: list[str] = []
    if state == "ready":
        run(story.submit_for_edit, by=editor)
    elif state == "scheduled":
        run(story.publish, by=editor, at=timezone.now() + timedelta(days=1))
    elif state in ("unpublished", "killed", "expired", "deleted", "live"):
        run(story.publish, by=editor)
        if state == "live":
            return was_public
        for photo in photos:
            was_public += [r.url for r in photo.renditions.all()]
        if state == "unpublished":
            run(story.unpublish, by=editor)
        elif state == "killed":
            run(story.kill, by=editor, note="Withdrawn")
        elif state == "expired":
            Article.objects.filter(pk=story.pk).update(
                unpublish_at=timezone.now() - timedelta(minutes=1)
            )
            run(release.sync_all)  # what `manage.py release_photos` does from cron
        elif state == "deleted":
            run(Article.objects.get(pk=story.pk).delete)
    return was_public


@pytest.mark.parametrize("state", STATES)
def test_media_of_a_story_that_is_not_public(
    state, client, editor, settings, django_capture_on_commit_callbacks
):
    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    lead = photo_with_renditions("Confidential lead picture")
    inline = photo_with_renditions("Confidential inline picture")
    story = factories.article("Confidential story", lead_photo=lead)
    story.body = [*story.body, {"type": "photo", "id": inline.pk}]
    story.save()
    photos = [lead, inline]
    was_public = put_in_state(story, state, editor, run, photos)
    if state in ("unpublished", "killed", "expired", "deleted"):
        assert len(was_public) == 20

    tried = 0

    def refused(url: str) -> bool:
        MEDIA_TRIED[state] += 1
        if reachable(client, url):
            MEDIA_LEAKED[state] += 1
            return False
        return True

    for photo in photos:
        photo.refresh_from_db()
        originals = [photo.image.name]
        renditions = list(photo.renditions.all())
        guesses = [
            f"renditions/{timezone.now():%Y/%m}/{photo.pk}-{s}.jpg" for s in ("w800", "w480")
        ]
        for name in originals + [r.file.name for r in renditions] + guesses:
            tried += 1
            assert refused(urljoin(settings.MEDIA_URL, name)), (state, name)
        # The original's signed address works only signed.
        signed = photo.image.url
        unsigned = (
            signed.split("?")[0]
            if "?" in signed
            else reverse("private-media", args=["not-a-signature", "x.jpg"])
        )
        tried += 1
        assert refused(unsigned), state
        public_now = [r.url for r in renditions if r.url]
        if state == "live":
            assert len(public_now) == 10 and all(reachable(client, u) for u in public_now)
        elif state == "scheduled":
            # Released under random names at schedule time, shown nowhere public yet.
            assert len(public_now) == 10
            surfaces = [reverse("articles:home"), reverse("feeds:latest-rss"), "/sitemap.xml"]
            for surface in surfaces:
                text = client.get(surface).content.decode()
                assert not any(url in text for url in public_now), surface
        else:
            assert public_now == [], state
    for url in was_public:
        tried += 1
        assert refused(url), (state, url)
    assert tried >= 20
