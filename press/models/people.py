"""The people of a release: authors, spokespersons (Zitatgeber) and press contacts."""

from __future__ import annotations

import html

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from press.links import link
from press.text import german_slugify, tel_uri, unique_slug
from press.workflow import published_q

from .photos import Photo

_QUOTATION_MARKS = str.maketrans("", "", "„“”‚‘’»«›‹\"'")


def _plain(text: str) -> str:
    """`text` for comparing words: entities decoded, quotation marks dropped, case folded and
    every run of whitespace one space."""
    return " ".join(html.unescape(text).translate(_QUOTATION_MARKS).casefold().split())


class Author(models.Model):
    name = models.CharField(_("Name"), max_length=150)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzerkonto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        help_text=_("Optional: das Konto, mit dem diese Person im System arbeitet."),
    )

    class Meta:
        verbose_name = _("Autor/in")
        verbose_name_plural = _("Autor/innen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SpokespersonQuerySet(models.QuerySet):
    def with_public_articles(self) -> SpokespersonQuerySet:
        """Spokespersons quoted in at least one public article, with `article_count`."""
        return (
            self.filter(published_q("quotes__article__"))
            .annotate(article_count=models.Count("quotes__article", distinct=True))
            .order_by("name")
        )


class Spokesperson(models.Model):
    name = models.CharField(_("Name"), max_length=150)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=160, unique=True, blank=True)
    function = models.CharField(
        _("Funktion"),
        max_length=200,
        blank=True,
        help_text=_(
            "Aktuelle Funktion, z. B. „Eigenbetriebsleiterin“. Zitate behalten die Funktion, "
            "die zum Zeitpunkt des Artikels galt."
        ),
    )
    organisation = models.CharField(_("Organisation"), max_length=200, blank=True)
    portrait = models.ForeignKey(
        Photo,
        verbose_name=_("Porträt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SpokespersonQuerySet.as_manager()
    # The name an article's revision showed (press.diff).
    history = HistoricalRecords(cascade_delete_history=False)

    class Meta:
        verbose_name = _("Zitatgeber/in")
        verbose_name_plural = _("Zitatgeber/innen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Spokesperson, self.name, self.pk, max_length=160)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return link("press:spokesperson", slug=self.slug)

    @property
    def function_line(self) -> str:
        """'Eigenbetriebsleiterin KoBa Harz': function and organisation as printed."""
        return " ".join(part for part in (self.function, self.organisation) if part)


class PressContact(models.Model):
    label = models.CharField(
        _("Bezeichnung"), max_length=200, help_text=_("Z. B. „Pressestelle KoBa Harz“.")
    )
    person = models.CharField(_("Ansprechperson"), max_length=150, blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    fax = models.CharField(_("Fax"), max_length=50, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    address = models.TextField(_("Anschrift"), blank=True)
    is_default = models.BooleanField(
        _("Standardkontakt"),
        default=False,
        help_text=_("Wird neuen Artikeln automatisch zugeordnet. Nur ein Kontakt kann es sein."),
    )

    class Meta:
        verbose_name = _("Pressekontakt")
        verbose_name_plural = _("Pressekontakte")
        ordering = ["-is_default", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="only_one_default_press_contact",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.person})" if self.person else self.label

    @property
    def phone_uri(self) -> str:
        """'tel:+49394358…' for the phone number written the German way ('03943 58 – 3234')."""
        return tel_uri(self.phone)

    @property
    def fax_uri(self) -> str:
        return tel_uri(self.fax)

    @property
    def vcard_filename(self) -> str:
        return f"{german_slugify(self.person or self.label) or 'kontakt'}.vcf"


class Quote(models.Model):
    """A spokesperson's words in an article, with the function they held at the time."""

    article = models.ForeignKey(
        "press.Article", verbose_name=_("Artikel"), on_delete=models.CASCADE, related_name="quotes"
    )
    spokesperson = models.ForeignKey(
        Spokesperson,
        verbose_name=_("Zitatgeber/in"),
        on_delete=models.PROTECT,
        related_name="quotes",
    )
    text = models.TextField(_("Zitat"), help_text=_("Ohne Anführungszeichen."))
    function = models.CharField(
        _("Funktion zum Zeitpunkt des Artikels"),
        max_length=300,
        blank=True,
        help_text=_(
            "Leer: wird aus der aktuellen Funktion übernommen und bleibt dann so, auch wenn "
            "sich die Funktion der Person später ändert."
        ),
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    history = HistoricalRecords(cascade_delete_history=False)

    class Meta:
        verbose_name = _("Zitat")
        verbose_name_plural = _("Zitate")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.spokesperson}: „{self.text[:60]}…“"

    def save(self, *args, **kwargs):
        if not self.function:
            self.function = self.spokesperson.function_line
        super().save(*args, **kwargs)

    @property
    def attribution(self) -> str:
        """'Claudia Langer, Eigenbetriebsleiterin KoBa Harz'."""
        return ", ".join(part for part in (self.spokesperson.name, self.function) if part)

    @property
    def in_text(self) -> bool:
        """True if the quote's words stand in the article's lead or body, as the quotes of an
        imported release do (recorded as who-said-what, issue 16): the article page shows them
        there and not a second time. A quote added in the admin that the text does not contain
        is shown as a quote block. Compared as plain text: without tags, entities, case,
        spacing and quotation marks."""
        needle = _plain(self.text)
        article = self.article
        return bool(needle) and needle in _plain(f"{article.lead} {strip_tags(article.body)}")
