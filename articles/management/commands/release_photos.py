"""``manage.py release_photos``: put every photo's renditions where the visibility rule says."""

from django.core.management.base import BaseCommand

from articles.photos.release import sync_all


class Command(BaseCommand):
    help = (
        "Release the renditions of photos in public or scheduled stories and withdraw the rest. "
        "Publishing does this as it happens; run it from cron (e.g. every 5 minutes) so photos "
        "of stories that expired by the clock (unpublish_at) are withdrawn too."
    )

    def handle(self, *args, **options):
        released, withdrawn = sync_all()
        self.stdout.write(f"{released} photos released, {withdrawn} withdrawn.")
