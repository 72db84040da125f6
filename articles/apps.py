from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self):
        from articles.edgecache import checks as edgecache_checks
        from articles.edgecache import signal_handlers as edgecache_handlers
        from articles.publishing import signal_handlers as publishing_handlers
        from articles.visibility import PeopleRecord
        from people import public

        # Receivers are connected here, never by importing a module for its side effects.
        publishing_handlers.connect()
        edgecache_handlers.connect()
        edgecache_checks.register_checks()
        # People's pages ask this app which people and stories readers may see.
        public.register(PeopleRecord())
