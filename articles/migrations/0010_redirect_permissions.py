"""Editors look after old story addresses (StoryRedirect) as they look after stories."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = ["add", "change", "delete", "view"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="articles",
        codename__in=[f"{verb}_storyredirect" for verb in EDITOR_PERMISSIONS],
    )
    for group in Group.objects.filter(name__in=["Editor", "Admin"]):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_story_addresses_and_changes")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
