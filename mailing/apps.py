from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingConfig(AppConfig):
    """Mail that leaves the newsroom: the outbox, its delivery task and its log."""

    name = "mailing"
    verbose_name = _("E-Mail-Versand")
    default_auto_field = "django.db.models.BigAutoField"
