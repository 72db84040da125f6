"""Small builders for test data; images are made in memory with Pillow."""

import io
import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles import body
from articles.models import Article, Byline, Photo, Quote, RelatedHeadline, Section
from people.models import Person

_seq = itertools.count(1)


def image_file(name="photo.jpg", size=(1600, 1000), colour=(40, 90, 150), fmt="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def user(role=None, username=None, **extra):
    """A staff user in the named role group ('Reporter', 'Editor', 'Photo editor', 'Admin')."""
    username = username or f"user{next(_seq)}"
    account = get_user_model().objects.create_user(username, password="pw", is_staff=True, **extra)
    if role:
        account.groups.add(Group.objects.get(name=role))
    return account


def person(name=None, **fields):
    return Person.objects.create(name=name or f"Person {next(_seq)}", **fields)


def section(name="World", slug=None):
    return Section.objects.get_or_create(slug=slug or name.lower(), defaults={"name": name})[0]


def photo(with_file=True, **fields):
    fields.setdefault("caption", "A test caption.")
    fields.setdefault("credit", "Test Agency")
    fields.setdefault("alt_text", "A blue rectangle.")
    item = Photo(**fields)
    if with_file:
        item.image = image_file()
    item.save()
    return item


def article(headline=None, authors=1, paragraphs=("A first paragraph of copy.",), **fields):
    """A draft with ``authors`` bylines and the given paragraphs."""
    n = next(_seq)
    fields.setdefault("section", section())
    story = Article.objects.create(
        headline=headline or f"Test headline number {n}",
        body=[body.paragraph(text) for text in paragraphs],
        **fields,
    )
    for position in range(authors):
        Byline.objects.create(article=story, person=person(), position=position)
    return story


def published(headline=None, hours_ago=1, by=None, **fields):
    story = article(headline, **fields)
    story.publish(by=by or user("Editor"), at=timezone.now() - timedelta(hours=hours_ago))
    story.refresh_from_db()
    release_photos(story)
    return story


def release_photos(story):
    """What the after-commit receiver of ``story_changed`` does, for tests whose transaction
    never commits: the story's photos get (or lose) their public renditions now."""
    from articles.photos import release

    release.sync_photos(release.photo_ids_of(story))


def related(story, target=None, headline="", url="", position=0):
    return RelatedHeadline.objects.create(
        article=story, target=target, headline=headline, url=url, position=position
    )


def quote(story, speaker=None, text="Words worth printing.", confirmed=True, position=0):
    return Quote.objects.create(
        article=story,
        speaker=speaker or person(),
        text=text,
        confirmed=confirmed,
        position=position,
    )
