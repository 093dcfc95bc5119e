"""The legal pages every German public body's website needs (TMG/DDG § 5, DSGVO Art. 13,
BITV 2.0 § 7) and the information in Leichte Sprache and Deutsche Gebärdensprache that BITV 2.0
§ 4 asks of it: edited by Administration, shown by the public site."""

from __future__ import annotations

from ckeditor.fields import RichTextField
from django.db import models
from django.utils.translation import gettext_lazy as _

from press.links import link
from press.sanitize import sanitize_html


class LegalPage(models.Model):
    """Impressum, Datenschutzerklärung, Erklärung zur Barrierefreiheit: edited by Administration."""

    class Kind(models.TextChoices):
        IMPRINT = "impressum", _("Impressum")
        PRIVACY = "datenschutz", _("Datenschutzerklärung")
        ACCESSIBILITY = "barrierefreiheit", _("Erklärung zur Barrierefreiheit")
        # BITV 2.0 § 4 and its Anlage 2: what the site offers and how to use it, explained in
        # Leichte Sprache and in Deutsche Gebärdensprache (DGS, videos from the own host).
        EASY_LANGUAGE = "leichte-sprache", _("Leichte Sprache")
        SIGN_LANGUAGE = "gebaerdensprache", _("Gebärdensprache")

    kind = models.CharField(_("Seite"), max_length=30, choices=Kind.choices, unique=True)
    title = models.CharField(_("Überschrift"), max_length=200)
    body = RichTextField(_("Text"))
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Pflichtseite")
        verbose_name_plural = _("Pflichtseiten")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return link("press:legal", kind=self.kind)
