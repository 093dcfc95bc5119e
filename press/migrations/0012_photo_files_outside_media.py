"""Photos' files move out of MEDIA_ROOT into their own storage without URLs (issue 15): the
originals keep their GPS positions, and no web server may reach them."""

import logging

from django.core.files.storage import default_storage, storages
from django.db import migrations, models

import press.models.photos
import press.photos

logger = logging.getLogger(__name__)


def move_files(apps, schema_editor):
    """Each photo's original and renditions from the media storage to `storages["photos"]`,
    under the same names; a file that is missing or already moved is left alone."""
    Photo = apps.get_model("press", "Photo")
    target = storages["photos"]
    for photo in Photo.objects.only("image", "renditions").iterator():
        names = [photo.image.name] if photo.image else []
        names += [entry["name"] for entry in photo.renditions]
        for name in names:
            if not default_storage.exists(name) or target.exists(name):
                continue
            with default_storage.open(name, "rb") as handle:
                saved = target.save(name, handle)
            if saved != name:  # never expected: the name was free
                logger.warning("Photo file %s moved as %s", name, saved)
                continue
            default_storage.delete(name)


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0011_legal_easy_language_and_distribution_choice"),
    ]

    operations = [
        migrations.AlterField(
            model_name="photo",
            name="image",
            field=models.ImageField(
                height_field="height",
                help_text="JPEG, PNG oder WebP in Originalauflösung.",
                storage=press.photos.photo_storage,
                upload_to=press.models.photos.photo_upload_to,
                validators=[press.photos.validate_photo_file],
                verbose_name="Bilddatei",
                width_field="width",
            ),
        ),
        migrations.RunPython(move_files, migrations.RunPython.noop, elidable=True),
    ]
