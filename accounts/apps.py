from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Log-in security: the second factor, idle sessions, and the admin of users and roles."""

    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sessions import IdleSessionMiddleware

        user_logged_in.connect(IdleSessionMiddleware.start, dispatch_uid="accounts_session_start")
