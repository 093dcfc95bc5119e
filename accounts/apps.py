from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Log-in security: the second factor, idle sessions, and the admin of users and roles."""

    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_init, post_save
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from . import signals
        from .sessions import IdleSessionMiddleware

        user_logged_in.connect(IdleSessionMiddleware.start, dispatch_uid="accounts_session_start")
        post_init.connect(signals.remember_confirmed, sender=TOTPDevice, dispatch_uid="totp_init")
        post_save.connect(signals.device_saved, sender=TOTPDevice, dispatch_uid="totp_saved")
        post_delete.connect(signals.device_deleted, sender=TOTPDevice, dispatch_uid="totp_deleted")
        User = get_user_model()
        post_save.connect(signals.password_saved, sender=User, dispatch_uid="password_saved")
        post_save.connect(
            signals.password_lifts_lockout, sender=User, dispatch_uid="password_lifts_lockout"
        )
        post_init.connect(signals.remember_email, sender=User, dispatch_uid="email_init")
        post_save.connect(signals.email_saved, sender=User, dispatch_uid="email_saved")
