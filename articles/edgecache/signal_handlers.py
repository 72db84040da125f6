"""Signal receivers that tell the edge cache what changed; connected in ``ArticlesConfig.ready()``.

On ``story_changed`` (and edits to photos, sections, people and tags) a new content
version starts and the surrogate keys that can show the change go to the purge hook.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from taggit.models import Tag

from articles.edgecache.purge import purge
from articles.edgecache.versions import bump_content_version
from articles.models import Article, Photo, Section
from articles.signals import story_changed
from people.models import Person

logger = logging.getLogger(__name__)


def story_keys(article: Article) -> set[str]:
    """Surrogate keys of every response that can show ``article``."""
    keys = {f"story-{article.pk}", "front", "feeds", "sitemaps", "missing"}
    story = (
        Article.objects.filter(pk=article.pk)
        .select_related("section")
        .prefetch_related("tags", "bylines__person", "quotes__speaker")
        .first()
    )
    if story is None:
        return keys
    if story.section_id:
        keys.add(f"section-{story.section.slug}")
    keys.update(f"tag-{tag.slug}" for tag in story.tags.all())
    keys.update(f"person-{byline.person.slug}" for byline in story.bylines.all())
    keys.update(f"person-{quote.speaker.slug}" for quote in story.quotes.all())
    return keys


def invalidate_story(sender, article, event=None, **kwargs):
    """A story readers see (or saw) changed: new content version, then purge the CDN."""
    bump_content_version()
    try:
        keys = story_keys(article)
    except Exception:
        logger.exception("Could not work out surrogate keys for story %s", article.pk)
        keys = {"all"}
    purge(keys)


def _after_commit(function):
    transaction.on_commit(function)


def photo_changed(sender, instance, created, **kwargs):
    """A new caption, credit, alt text or crop shows on every live story led by the photo."""
    if created:
        return
    photo_id = instance.pk

    def run():
        stories = Article.objects.published().filter(lead_photo_id=photo_id)
        keys = {f"story-{pk}" for pk in stories.values_list("pk", flat=True)}
        bump_content_version()
        if keys:
            purge(keys | {"front", "feeds"})

    _after_commit(run)


def _keys_changed(keys: set[str]):
    def run():
        bump_content_version()
        purge(keys)

    _after_commit(run)


def section_changed(sender, instance, created, **kwargs):
    _keys_changed({f"section-{instance.slug}", "front", "feeds", "sitemaps"})


def person_changed(sender, instance, created, **kwargs):
    # A new person has no page readers could have cached; the wire importer makes many.
    if not created:
        _keys_changed({f"person-{instance.slug}"})


def tag_changed(sender, instance, created, **kwargs):
    if not created:
        _keys_changed({f"tag-{instance.slug}"})


def connect() -> None:
    """Connect every receiver once (dispatch uids make a second call harmless)."""
    uid = "articles.edgecache."
    story_changed.connect(invalidate_story, dispatch_uid=uid + "story_changed")
    post_save.connect(photo_changed, sender=Photo, dispatch_uid=uid + "photo_saved")
    post_save.connect(section_changed, sender=Section, dispatch_uid=uid + "section_saved")
    post_save.connect(person_changed, sender=Person, dispatch_uid=uid + "person_saved")
    post_save.connect(tag_changed, sender=Tag, dispatch_uid=uid + "tag_saved")
