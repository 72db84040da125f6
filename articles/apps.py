from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self):
        # Connects the cache invalidation receivers (story_changed, corrections).
        from . import caching  # noqa: F401
