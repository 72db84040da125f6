"""``manage.py release_photos``: put every photo's renditions where the visibility rule says."""

from django.core.management.base import BaseCommand

from articles.photos.release import sync_all


class Command(BaseCommand):
    help = (
        "Release the renditions of photos in public or scheduled stories and withdraw the rest. "
        "Publishing does this as it happens (and the task worker when a story expires); run it "
        "after restoring a backup or moving media, to put everything where it belongs."
    )

    def handle(self, *args, **options):
        released, withdrawn = sync_all()
        self.stdout.write(f"{released} photos released, {withdrawn} withdrawn.")
