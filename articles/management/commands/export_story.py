"""``manage.py export_story SLUG [--format ninjs]``: print a story as JSON."""

import json

from django.core.management.base import BaseCommand, CommandError

from articles.syndication import ninjs
from articles.syndication.export import export_article, for_export


class Command(BaseCommand):
    help = (
        "Print the story with this slug: its export object (articles/syndication/export.py) "
        "or, with --format ninjs, its IPTC ninjs 2.2 item (public stories only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["export", "ninjs"], default="export")
        parser.add_argument(
            "--indent", type=int, default=2, help="Spaces per level; 0 prints one line."
        )

    def handle(self, *args, slug, format, indent, **options):
        article = for_export().filter(slug=slug).first()
        if article is None:
            raise CommandError(f"No story with the slug {slug!r}.")
        if format == "ninjs":
            if not article.is_live:
                # ninjs goes to partners: a story readers may not see has no item.
                raise CommandError(f"The story {slug!r} is not public; ninjs is for public ones.")
            data = ninjs.story_item(article)
        else:
            data = export_article(article)
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=indent or None))
