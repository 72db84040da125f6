"""What readers may see: one rule for stories, and everything that hangs off a public story.

A story is public when ``Article.objects.published()`` says so (published, its time has come,
not expired). Everything else follows from it: a person, a tag or a photo is public only while
it appears in a public story. Every public view, feed, sitemap and the API start here.
"""

from django.db.models import Exists, OuterRef, QuerySet
from taggit.models import Tag

from articles.models import Article, Photo
from people.models import Person


def public_stories(at=None) -> QuerySet:
    """Stories readers may see now (or at ``at``)."""
    return Article.objects.published(at)


def public_people(at=None) -> QuerySet:
    """People with a byline, or a confirmed quote, in a public story.

    Asked per person (the first public story, ``PersonQuerySet.having_any``): the cost does
    not grow with the archive, where "every public story's writers" read all of them.
    """
    stories = public_stories(at)
    writes = stories.filter(bylines__person=OuterRef("pk"))
    quoted = stories.filter(quotes__speaker=OuterRef("pk"), quotes__confirmed=True)
    return Person.objects.having_any(writes) | Person.objects.having_any(quoted)


def public_tags(at=None) -> QuerySet:
    """Tags on at least one public story (asked per tag, as for people)."""
    return Tag.objects.filter(Exists(public_stories(at).filter(tags=OuterRef("pk"))))


def public_photos(at=None) -> QuerySet:
    """Publishable photos that lead, or appear in the body of, a story public now (or at ``at``)."""
    return _photos_of(public_stories(at))


def photos_to_release(at=None) -> QuerySet:
    """Photos whose renditions must be at their public addresses: those of public stories, and
    of scheduled ones, which appear by the clock with no event to release them at that moment
    (their renditions go out at schedule time, under names nobody can guess)."""
    return _photos_of(public_stories(at) | Article.objects.scheduled(at))


def _photos_of(stories: QuerySet) -> QuerySet:
    shown = Article.photos.through.objects.filter(article__in=stories.values("pk"))
    return Photo.objects.publishable().filter(pk__in=shown.values("photo_id"))


class PeopleRecord:
    """The answers ``people.public`` asks for, registered in ``ArticlesConfig.ready()``."""

    def people(self) -> QuerySet:
        return public_people()

    def stories_by(self, person) -> QuerySet:
        return public_stories().with_list_relations().by(person).latest_first()

    def stories_quoting(self, person) -> QuerySet:
        return public_stories().with_list_relations().quoting(person).latest_first()
