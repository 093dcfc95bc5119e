from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class PressConfig(AppConfig):
    name = "press"
    verbose_name = _("Pressestelle")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .caching import content_changed, retire_after_migrate
        from .middleware import IdleSessionMiddleware
        from .models import Photo
        from .renditions import delete_photo_files
        from .search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="press_sqlite_fold")
        user_logged_in.connect(IdleSessionMiddleware.start, dispatch_uid="press_session_start")
        post_delete.connect(delete_photo_files, sender=Photo, dispatch_uid="press_photo_files")

        # Anything the archive shows may have changed: retire the cached public pages. A
        # deployment runs migrate, which retires pages rendered by the previous templates.
        for model in self.get_models(include_auto_created=True):
            for signal in (post_save, post_delete, m2m_changed):
                signal.connect(content_changed, sender=model, dispatch_uid="press_public_cache")
        post_migrate.connect(retire_after_migrate, sender=self, dispatch_uid="press_public_cache")
