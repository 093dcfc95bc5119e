from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The editors' start page in the admin; reads the press room, changes nothing."""

    name = "desk"
    label = "desk"
    verbose_name = _("Schreibtisch")
