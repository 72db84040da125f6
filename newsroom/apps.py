from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NewsroomConfig(AppConfig):
    """The project itself: its management commands, and the Admin role kept complete."""

    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from django_tasks.signals import task_finished

        from newsroom.monitoring.queue import count_finished_task

        # Django sends post_migrate only for apps with models (this one has none): listen to
        # every app's, and act after the last one's permissions exist.
        post_migrate.connect(admin_role_holds_every_permission, dispatch_uid="newsroom.admin_role")
        task_finished.connect(count_finished_task, dispatch_uid="newsroom.count_finished_task")


def admin_role_holds_every_permission(sender, apps=None, using="default", **kwargs):
    """The Admin group holds every permission, including those of models added later.

    Runs after every ``migrate``, once the last app with models has made its permissions.
    """
    from django.apps import apps as installed

    apps = apps or installed  # some senders (a restore's flush) pass no app registry
    with_models = [config for config in installed.get_app_configs() if config.models_module]
    if sender is not with_models[-1]:
        return
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin = Group.objects.using(using).filter(name="Admin").first()
    if admin is not None:
        admin.permissions.set(Permission.objects.using(using).all())
