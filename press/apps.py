from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class PressConfig(AppConfig):
    """The editorial core: content, workflow and the editors' admin. It imports nothing from
    the public site, the release import/export, the accounts or the demo content."""

    name = "press"
    verbose_name = _("Pressestelle")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .models import Photo
        from .renditions import delete_photo_files

        post_delete.connect(delete_photo_files, sender=Photo, dispatch_uid="press_photo_files")
