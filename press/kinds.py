"""The kinds of text the press office publishes, stored in `Article.kind`. The exporter writes
a kind's label into the release text (releases.parser.kind_label); the parser recognises it
there, with the synonyms other offices use (releases/parser/dates.py, LABELS)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PRESS_RELEASE = "press_release", _("Pressemitteilung")
    KREISBLATT = "kreisblatt", _("Kreisblatt-Beitrag")
    NOTICE = "notice", _("Meldung")
