"""The demo newsroom: sections, people, photos and stories, made once (safe to run again)."""

import io
import os
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from articles import body as body_blocks
from articles.models import Article, Byline, Photo, Quote, RelatedHeadline, Section
from articles.photos.renditions import ensure_renditions
from newsroom.demo.content import SECTIONS, STORIES
from people.models import Person


def demo_image(colour: tuple[int, int, int], label: str) -> ContentFile:
    """A 1600x1000 JPEG: a gradient sky, hills and the story's slug, drawn with Pillow."""
    img = Image.new("RGB", (1600, 1000), colour)
    draw = ImageDraw.Draw(img)
    for y in range(0, 1000, 4):
        shade = tuple(min(255, c + y // 12) for c in colour)
        draw.rectangle([0, y, 1600, y + 4], fill=shade)
    draw.polygon(
        [(0, 1000), (0, 700), (400, 520), (900, 760), (1300, 560), (1600, 680), (1600, 1000)],
        fill=tuple(max(0, c - 60) for c in colour),
    )
    draw.text((60, 60), label, fill=(255, 255, 255))
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=85)
    return ContentFile(buffer.getvalue(), name=f"{label}.jpg")


class DemoLoader:
    """Makes what the demo needs; ``stdout`` gets one line per thing worth telling."""

    def __init__(self, stdout, style):
        self.stdout = stdout
        self.style = style

    def load(self, create_admin: bool = True) -> None:
        editor = self.ensure_admin(skip=not create_admin)
        sections = {
            slug: Section.objects.get_or_create(slug=slug, defaults={"name": name, "position": i})[
                0
            ]
            for i, (name, slug) in enumerate(SECTIONS)
        }
        created = [
            self.create_story(story, sections, editor)
            for story in STORIES
            if not Article.objects.filter(slug=story["slug"]).exists()
        ]
        self.link_related()
        self.stdout.write(
            f"Demo content: {len(created)} stories created, "
            f"{len(STORIES) - len(created)} already present."
        )

    def ensure_admin(self, skip: bool):
        User = get_user_model()
        username = os.environ.get("NEWSROOM_DEMO_USER", "admin")
        # The documented password is for the development server only: with DEBUG off (the
        # production settings, `make serve-prod`) a published password would be a back door.
        documented = "newsroom-demo" if settings.DEBUG else secrets.token_urlsafe(12)
        password = os.environ.get("NEWSROOM_DEMO_PASSWORD") or documented
        user = User.objects.filter(username=username).first()
        if user is None and not skip:
            user = User.objects.create_superuser(username, f"{username}@example.com", password)
            user.groups.add(*Group.objects.filter(name="Admin"))
            self.stdout.write(self.style.SUCCESS(f"Admin login: {username} / {password}"))
        elif user is not None:
            self.stdout.write(f"Admin login: {username} (password unchanged)")
        return user

    @transaction.atomic
    def create_story(self, story: dict, sections: dict, editor) -> Article:
        now = timezone.now()
        place, agency, days_ago = story["dateline"] or ("", "", 0)
        article = Article.objects.create(
            slug=story["slug"],
            headline=story["headline"],
            dek=story["dek"],
            section=sections[story["section"]],
            dateline_place=place,
            dateline_agency=agency,
            dateline_date=(now - timedelta(days=days_ago)).date() if place else None,
            lead_photo=self.create_photo(story),
            created_by=editor,
        )
        article.tags.add(*story["tags"])
        for position, (name, role) in enumerate(story["bylines"]):
            Byline.objects.create(
                article=article, person=self.person(name), role=role, position=position
            )
        blocks = []
        for item in story["paragraphs"]:
            if isinstance(item, str):
                blocks.append(body_blocks.paragraph(item))
            elif item[0] == "RELATED":
                # Placeholder headline; link_related() points it at the story once all exist.
                related = RelatedHeadline.objects.create(
                    article=article,
                    headline=item[1].replace("-", " ").capitalize(),
                    position=len(blocks),
                )
                blocks.append({"type": "related", "id": related.id})
            elif item[0] == "QUOTE":
                _, speaker, text, description = item
                person = self.person(speaker, description)
                Quote.objects.create(
                    article=article,
                    speaker=person,
                    text=text,
                    speaker_description=description,
                    position=len(blocks) - 1,
                    confirmed=True,
                )
        article.body = body_blocks.clean_body(blocks)
        article.save()
        if story["status"] == "published":
            article.publish(by=editor, at=now - timedelta(hours=story["hours_ago"]))
        elif story["status"] == "scheduled":
            article.publish(by=editor, at=now + timedelta(hours=story["hours_ahead"]))
        return article

    def create_photo(self, story: dict) -> Photo | None:
        spec = story.get("photo")
        if not spec:
            return None
        photo = Photo(
            caption=spec["caption"],
            credit=spec["credit"],
            is_file_photo=spec["file_photo"],
            license_url=spec.get("license_url", ""),
            alt_text=spec["alt"],
        )
        photo.image.save(
            f"{story['slug']}.jpg", demo_image(spec["colour"], story["slug"]), save=False
        )
        photo.save()
        ensure_renditions(photo)
        return photo

    def person(self, name: str, description: str = "") -> Person:
        person = Person.objects.named(name).first()
        if person is None:
            person = Person.objects.create(name=name, description=description)
        return person

    def link_related(self):
        """Point placeholder related headlines at the demo story they name."""
        for related in RelatedHeadline.objects.unresolved():
            slug = related.headline.lower().replace(" ", "-")
            target = Article.objects.filter(slug=slug).first()
            if target:
                related.target, related.headline = target, ""
                related.save(update_fields=["target", "headline"])
