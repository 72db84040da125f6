"""``manage.py seed_demo``: load the demo newsroom. Safe to run again: nothing is duplicated."""

from django.core.management.base import BaseCommand

from newsroom.demo.loader import DemoLoader


class Command(BaseCommand):
    help = "Create the demo sections, people, photos and stories, and an admin login."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-admin", action="store_true", help="Do not create the admin login."
        )

    def handle(self, *args, **options):
        DemoLoader(self.stdout, self.style).load(create_admin=not options["no_admin"])
