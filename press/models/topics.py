"""Topics (Themen): what an article is about; the public archive lists articles by topic."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from press.links import link
from press.text import unique_slug
from press.workflow import published_q


class TopicQuerySet(models.QuerySet):
    def with_public_articles(self) -> TopicQuerySet:
        """Topics that have at least one public article, with their number as `article_count`.
        The count needs no DISTINCT: it runs over the filter's own join (an annotate() after
        a filter() on the same relation reuses it, Django's "Order of annotate() and
        filter() clauses"), one row per pair of topic and article, which the m2m table holds
        once. DISTINCT sorted every pair: measured 2026-12-01 on PostgreSQL, 330 -> 200 ms
        at 200,000 articles, paid by the first list page after each change."""
        return (
            self.filter(published_q("articles__"))
            .annotate(article_count=models.Count("articles"))
            .order_by("name")
        )


class Topic(models.Model):
    name = models.CharField(_("Name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("Kurzname in der Adresse"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Wird aus dem Namen erzeugt, wenn leer (z. B. „sgb-ii“)."),
    )
    description = models.TextField(_("Beschreibung"), blank=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Topic, self.name, self.pk, max_length=120)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return link("press:topic", slug=self.slug)
