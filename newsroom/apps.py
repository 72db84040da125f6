from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project itself, as an app only so that its management commands are found."""

    name = "newsroom"
    verbose_name = "Newsroom"
