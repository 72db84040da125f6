from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self):
        from articles.edgecache import signal_handlers as edgecache_handlers
        from articles.publishing import signal_handlers as publishing_handlers
        from articles.readmodel import signal_handlers as readmodel_handlers
        from articles.search import sqlite_words
        from articles.visibility import PeopleRecord
        from people import public

        # Receivers are connected here, never by importing a module for its side effects.
        publishing_handlers.connect()
        edgecache_handlers.connect()
        readmodel_handlers.connect()
        # SQLite's word index lives outside the model state; every migrate checks it is whole.
        post_migrate.connect(
            sqlite_words.ensure_index, sender=self, dispatch_uid="articles.search.words"
        )
        # People's pages ask this app which people and stories readers may see.
        public.register(PeopleRecord())
