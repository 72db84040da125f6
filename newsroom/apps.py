from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NewsroomConfig(AppConfig):
    """The project itself: its management commands, and the Admin role kept complete."""

    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        post_migrate.connect(admin_role_holds_every_permission, sender=self)


def admin_role_holds_every_permission(apps, using="default", **kwargs):
    """The Admin group holds every permission, including those of models added later.

    Runs after every ``migrate`` (this app is listed last, so every app's permissions exist).
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin = Group.objects.using(using).filter(name="Admin").first()
    if admin is not None:
        admin.permissions.set(Permission.objects.using(using).all())
