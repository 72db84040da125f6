from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self):
        from articles.edgecache import checks as edgecache_checks
        from articles.edgecache import signal_handlers as edgecache_handlers
        from articles.photos import signal_handlers as photo_handlers
        from articles.photos.uploads import clean_image
        from articles.publishing import signal_handlers as publishing_handlers
        from articles.readmodel import signal_handlers as readmodel_handlers
        from articles.search import sqlite_words
        from articles.syndication import signal_handlers as syndication_handlers
        from articles.visibility import PeopleRecord
        from articles.webhooks import signal_handlers as webhook_handlers
        from newsroom.media import fields
        from people import public

        # Receivers are connected here, never by importing a module for its side effects.
        publishing_handlers.connect()
        # Photos and the partner feed's log before caches: renditions are public, and the log
        # has its entry, before the caches start the new versions.
        photo_handlers.connect()
        # Pages after photos (built with their public copies), before caches (purged last).
        readmodel_handlers.connect()
        syndication_handlers.connect()
        edgecache_handlers.connect()
        webhook_handlers.connect()
        edgecache_checks.register_checks()
        # SQLite's word index lives outside the model state; every migrate checks it is whole.
        post_migrate.connect(
            sqlite_words.ensure_index, sender=self, dispatch_uid="articles.search.words"
        )
        # People's pages ask this app which people and stories readers may see.
        public.register(PeopleRecord())
        # Every image field (photos here, portraits in people) stores only what this made.
        fields.register_cleaner(clean_image)
        # The tag library's app is "Tags" to editors, not "Taggit".
        apps.get_app_config("taggit").verbose_name = "Tags"
