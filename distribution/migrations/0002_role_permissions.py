"""Who may see what of the distribution lists (issue 14): only Freigabe and Administration see
addresses (subscribers, their consent history, the accredited list, the delivery log);
Redaktion may look at the deliveries, which the admin shows it as counts per article only
(distribution/admin.py). Administration alone deletes a subscriber; the consent history is
read-only for everyone (it is the proof of consent, DSGVO Art. 7(1))."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADDRESSES = [
    "distribution.view_subscriber", "distribution.change_subscriber",
    "distribution.view_consentrecord",
    "distribution.view_accreditedrecipient", "distribution.add_accreditedrecipient",
    "distribution.change_accreditedrecipient", "distribution.delete_accreditedrecipient",
    "distribution.view_delivery", "distribution.change_delivery",
]  # fmt: skip

GRANTS = {
    "Freigabe": ADDRESSES,
    "Administration": [*ADDRESSES, "distribution.delete_subscriber"],
    "Redaktion": ["distribution.view_delivery"],
}


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = {code.split(".")[1] for codes in GRANTS.values() for code in codes}
    permissions = Permission.objects.filter(
        content_type__app_label="distribution", codename__in=codenames
    )
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("distribution", "0001_initial"),
        ("press", "0007_role_policies_and_permissions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
