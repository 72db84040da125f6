"""``manage.py export_story SLUG``: print a story's export object as JSON."""

import json

from django.core.management.base import BaseCommand, CommandError

from articles.syndication.export import export_article, for_export


class Command(BaseCommand):
    help = (
        "Print the export object of the story with this slug (see articles/syndication/export.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument(
            "--indent", type=int, default=2, help="Spaces per level; 0 prints one line."
        )

    def handle(self, *args, slug, indent, **options):
        article = for_export().filter(slug=slug).first()
        if article is None:
            raise CommandError(f"No story with the slug {slug!r}.")
        self.stdout.write(
            json.dumps(export_article(article), ensure_ascii=False, indent=indent or None)
        )
