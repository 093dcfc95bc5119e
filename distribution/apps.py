from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistributionConfig(AppConfig):
    """The press office's distribution lists: public subscribers and the accredited
    (Vorab-Verteiler) list, and one delivery record per mail."""

    name = "distribution"
    verbose_name = _("Presseverteiler")
    default_auto_field = "django.db.models.BigAutoField"
