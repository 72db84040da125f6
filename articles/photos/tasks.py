"""Photo work that need not block an editor: making renditions, and putting a story's photos
where the visibility rule says at the moment the clock changes it."""

from django_tasks import task

from articles.models import Article, Photo
from articles.photos import release
from articles.photos.renditions import ensure_renditions


@task()
def make_renditions(photo_id: int, force: bool = False) -> int:
    """Make the photo's renditions (again, if ``force``: a new file or crop); idempotent."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:
        return 0
    return len(ensure_renditions(photo, force=force))


@task()
def sync_story_photos(story_id: int) -> None:
    """A story's time came (it expired by the clock): release or withdraw its photos."""
    article = Article.objects.filter(pk=story_id).first()
    if article is not None:
        release.sync_photos(release.photo_ids_of(article))
