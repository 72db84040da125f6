"""``manage.py rebuild_story_pages [--all]``: write the stored pages that are missing or stale.

Pages are written when a story changes and rebuilt on their next read when something they
show changes; after a deploy that changes the builder (``readmodel.store.FORMAT``) or the site
settings, this writes every page ahead of the readers.
"""

from django.core.management.base import BaseCommand

from articles.readmodel.store import rebuild, stale_story_ids


class Command(BaseCommand):
    help = "Build the stored pages of published stories that are missing or out of date."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Rebuild every published story's page."
        )

    def handle(self, *args, all=False, **options):
        ids = stale_story_ids(everything=all)
        done = rebuild(ids)
        self.stdout.write(f"Built {done} story page{'s' if done != 1 else ''}.")
