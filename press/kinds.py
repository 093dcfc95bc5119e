"""The kinds of text the press office publishes. Stored in `Article.kind`; the importer
recognises them by the label a release carries, the exporter writes that label."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PRESS_RELEASE = "press_release", _("Pressemitteilung")
    KREISBLATT = "kreisblatt", _("Kreisblatt-Beitrag")
    NOTICE = "notice", _("Meldung")
