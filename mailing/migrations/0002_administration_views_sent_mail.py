"""Administration may read the mail log (who, what, when, result), nobody may change it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE = "Administration"
PERMISSION = "view_sentmail"


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("mailing")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name=ROLE).first()
    if group is None:
        return
    Permission = apps.get_model("auth", "Permission")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="mailing", codename=PERMISSION)
    )


def backwards(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=ROLE).first()
    if group is not None:
        Permission = apps.get_model("auth", "Permission")
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="mailing", codename=PERMISSION)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("mailing", "0001_initial"),
        # The roles exist from there on.
        ("press", "0007_role_policies_and_permissions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
