"""A log-in policy per role, and the permissions that go with the new features:
Administration sets the policies, may remove a person's second factor (a lost phone) and may
look at and lift log-in lockouts; the editorial roles may view revisions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Administration": [
        "press.view_rolepolicy", "press.change_rolepolicy",
        "otp_totp.view_totpdevice", "otp_totp.delete_totpdevice",
        "axes.view_accessattempt", "axes.delete_accessattempt", "axes.view_accessfailurelog",
        "press.view_historicalarticle", "press.view_historicalquote",
    ],
    "Redaktion": ["press.view_historicalarticle", "press.view_historicalquote"],
    "Freigabe": ["press.view_historicalarticle", "press.view_historicalquote"],
}  # fmt: skip


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    RolePolicy = apps.get_model("press", "RolePolicy")
    for name, codes in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        RolePolicy.objects.get_or_create(role=group)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def backwards(apps, schema_editor):
    apps.get_model("press", "RolePolicy").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0006_role_policy"),
        ("otp_totp", "0003_add_timestamps"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
