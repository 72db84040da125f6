"""The newsroom's roles as Django groups, with the permissions each one needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Reporter": [
        "articles.add_article", "articles.change_article", "articles.view_article",
        "articles.add_byline", "articles.change_byline", "articles.delete_byline", "articles.view_byline",
        "articles.add_quote", "articles.change_quote", "articles.delete_quote", "articles.view_quote",
        "articles.add_relatedheadline", "articles.change_relatedheadline",
        "articles.delete_relatedheadline", "articles.view_relatedheadline",
        "articles.add_photo", "articles.view_photo", "articles.view_section",
        "people.add_person", "people.change_person", "people.view_person",
        "taggit.add_tag", "taggit.view_tag",
    ],
    "Editor": [
        "articles.add_article", "articles.change_article", "articles.delete_article",
        "articles.view_article", "articles.publish_article", "articles.edit_any_article",
        "articles.add_byline", "articles.change_byline", "articles.delete_byline", "articles.view_byline",
        "articles.add_quote", "articles.change_quote", "articles.delete_quote", "articles.view_quote",
        "articles.add_relatedheadline", "articles.change_relatedheadline",
        "articles.delete_relatedheadline", "articles.view_relatedheadline",
        "articles.add_correction", "articles.change_correction", "articles.view_correction",
        "articles.add_photo", "articles.change_photo", "articles.view_photo",
        "articles.view_section", "articles.view_statuschange",
        "people.add_person", "people.change_person", "people.view_person",
        "taggit.add_tag", "taggit.change_tag", "taggit.view_tag",
    ],
    "Photo editor": [
        "articles.add_photo", "articles.change_photo", "articles.delete_photo", "articles.view_photo",
        "articles.view_rendition", "articles.view_article",
        "people.add_person", "people.change_person", "people.view_person",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally made after migrate; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perm(dotted):
        app_label, codename = dotted.split(".")
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    for name, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([perm(p) for p in perms])
    admin, _ = Group.objects.get_or_create(name="Admin")
    admin.permissions.set(Permission.objects.all())


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[*ROLES, "Admin"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("people", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
