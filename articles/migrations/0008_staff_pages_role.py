"""Editors and admins may change staff members' people pages (people.policy); reporters and
photo editors keep changing sources and their own page only."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTED_TO = ("Editor", "Admin")


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(
        content_type__app_label="people", codename="change_staff_person"
    )
    for group in Group.objects.filter(name__in=GRANTED_TO):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GRANTED_TO):
        group.permissions.remove(
            *group.permissions.filter(
                content_type__app_label="people", codename="change_staff_person"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_search_index"),
        ("people", "0002_staff_pages"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
