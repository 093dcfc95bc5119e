"""Create the three roles as groups with their permissions.

The permission lists are written out here, not imported, so that this migration keeps meaning
what it meant when it was written.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REDAKTION = [
    "press.add_article", "press.change_article", "press.view_article", "press.delete_article",
    "press.submit_article",
    "press.view_articleevent",
    "press.add_quote", "press.change_quote", "press.delete_quote", "press.view_quote",
    "press.add_photo", "press.change_photo", "press.view_photo",
    "press.add_spokesperson", "press.change_spokesperson", "press.view_spokesperson",
    "press.add_author", "press.view_author",
    "press.view_topic",
    "press.view_presscontact",
]
FREIGABE = REDAKTION + [
    "press.review_article", "press.publish_article", "press.withdraw_article",
    "press.correct_article",
    "press.add_topic", "press.change_topic",
    "press.change_author",
    "press.add_presscontact", "press.change_presscontact",
    "press.delete_photo",
]
ADMINISTRATION = [
    "auth.add_user", "auth.change_user", "auth.view_user", "auth.view_group",
    "press.view_article", "press.delete_article", "press.delete_published_article",
    "press.view_articleevent", "press.view_quote", "press.view_photo", "press.view_spokesperson",
    "press.view_author", "press.add_author", "press.change_author",
    "press.view_topic", "press.view_presscontact",
    "press.add_legalpage", "press.change_legalpage", "press.view_legalpage",
]
ROLES = {"Redaktion": REDAKTION, "Freigabe": FREIGABE, "Administration": ADMINISTRATION}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
