from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


class PublicConfig(AppConfig):
    """The public site for journalists: archive, search, feeds, sitemaps, contacts; its URL
    names stay in the `press:` namespace."""

    name = "public"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from press.models import (
            Article,
            LegalPage,
            Photo,
            PressContact,
            Quote,
            Spokesperson,
            Topic,
        )

        from .receivers import (
            clear_after_migrate,
            content_changed,
            staff_logged_in,
            staff_logged_out,
        )
        from .search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="public_sqlite_fold")

        # What the public sees. A change to any of these retires the cached pages; history
        # rows, authors and log-in policies are not shown and retire nothing.
        shown = [
            Article,
            Article.topics.through,
            Article.photos.through,
            Photo,
            Topic,
            Spokesperson,
            Quote,
            PressContact,
            LegalPage,
        ]
        for model in shown:
            for signal in (post_save, post_delete):
                signal.connect(content_changed, sender=model, dispatch_uid="public_cache")
        for through in (Article.topics.through, Article.photos.through):
            m2m_changed.connect(content_changed, sender=through, dispatch_uid="public_cache")
        # Staff get fresh pages: a log-in sets a signed marker cookie, a log-out deletes it.
        user_logged_in.connect(staff_logged_in, dispatch_uid="public_cache_staff")
        user_logged_out.connect(staff_logged_out, dispatch_uid="public_cache_staff")
        # A deployment runs migrate, which retires pages rendered by the previous templates.
        post_migrate.connect(
            clear_after_migrate,
            sender=self.apps.get_app_config("press"),
            dispatch_uid="public_cache_migrate",
        )
