"""Articles: the press office's releases and Kreisblatt contributions, and what the public
sees of them (`published_q()`). The steps of the workflow are the article's methods from
`EditorialMixin` (press/models/editorial.py); the admin only calls those.
"""

from __future__ import annotations

from datetime import datetime

from ckeditor.fields import RichTextField
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from press.kinds import Kind
from press.links import link
from press.sanitize import sanitize_html
from press.text import unique_slug
from press.workflow import (
    Stage,
    State,
    published_q,
    scheduled_q,
)

from .editorial import EditorialMixin
from .history import ArticleEvent
from .people import Author, PressContact, Quote, Spokesperson
from .photos import Photo
from .topics import Topic

STALE_COPY = _(
    "Dieser Artikel wurde inzwischen von jemand anderem gespeichert. Ihre Änderungen wurden "
    "nicht übernommen."
)
SLUG_FROZEN = _("Der Kurzname ist seit der Veröffentlichung unveränderlich.")


class ConcurrentEditError(Exception):
    """The article was saved by someone else since this copy was loaded (`STALE_COPY`)."""

    def __init__(self, message=STALE_COPY):
        super().__init__(message)


# The states an article page answers for (200, 410): public.views.public_article().
PAGE_STATES = (State.PUBLISHED, State.WITHDRAWN)
# The columns that decide whether and where an article is public, and its page's title:
# `is_public()`, `has_been_public()`, `publication_date`, the withdrawn page
# (public.views.public_or_gone); kept with the page's parts (public.fragments.article_parts).
PAGE_DECISION_FIELDS = (
    "id",
    "slug",
    "title",
    "state",
    "publish_at",
    "withdrawn_at",
    "withdrawal_reason",
)


def work_order() -> Case:
    """The admin's order of the desk's work, as a number: 0 for drafts, 1 for articles in
    review, 2 for the rest (press.admin.articles.ArticleAdmin orders by it, then by date).
    One expression for the query and for its index (`article_work_order`), which PostgreSQL
    matches by the expression: the same CASE written otherwise would not use it."""
    return Case(
        When(state=State.DRAFT, then=Value(0)),
        When(state=State.IN_REVIEW, then=Value(1)),
        default=Value(2),
    )


# Within each step of work_order(): the newest first, articles without a date (most drafts)
# before all others, and the key last, so that the order is total and the index holds it.
WORK_ORDERING = (F("publish_at").desc(nulls_first=True), F("created_at").desc(), F("id").desc())


class ArticleQuerySet(models.QuerySet):
    def published(self, now: datetime | None = None) -> ArticleQuerySet:
        """What the public may see: published and due (`published_q()`). Drafts, reviews,
        embargoed and withdrawn articles are never in here."""
        return self.filter(published_q(now=now))

    def scheduled(self, now: datetime | None = None) -> ArticleQuerySet:
        """Approved and waiting for their Sperrfrist (`scheduled_q()`)."""
        return self.filter(scheduled_q(now=now))

    def in_stage(self, stage: str, now: datetime | None = None) -> ArticleQuerySet:
        """The articles in `stage` (a `Stage` value), e.g. for the admin's status filter."""
        if stage == Stage.PUBLIC:
            return self.published(now)
        if stage == Stage.SCHEDULED:
            return self.scheduled(now)
        return self.filter(state=State(stage))

    def with_list_data(self) -> ArticleQuerySet:
        """Everything an article list renders, in a fixed number of queries, and no more: the
        body is the bulk of a row and lists do not show it. The topics come as a plain list,
        `topic_list`, which costs a tenth of a related manager per article."""
        return self.defer("body").prefetch_related(
            models.Prefetch("topics", Topic.objects.only("name", "slug"), to_attr="topic_list")
        )

    def with_page_data(self) -> ArticleQuerySet:
        """Everything the article page renders, in a fixed number of queries: the article's
        row with its lead photo, press contact and corrections (one query), then
        `page_prefetches()`."""
        return self.with_page_row().prefetch_related(*page_prefetches())

    def with_page_row(self) -> ArticleQuerySet:
        """The article with its lead photo, press contact and public corrections
        (`corrections`), in one query: what the article page needs to decide whether, and
        where, the article is public."""
        return self.select_related("lead_photo", "press_contact").annotate(
            correction_data=ArticleEvent.corrections_as_json()
        )


def page_prefetches() -> list:
    """The related rows the article page shows besides its own row and its corrections
    (`with_page_row()`): 3 queries for any number of articles, `prefetch_related_objects()`:
    topics, quotes with their spokespersons, photos."""
    return [
        "topics",
        models.Prefetch("quotes", Quote.objects.select_related("spokesperson")),
        "photos",
    ]


class Article(EditorialMixin, models.Model):
    Kind = Kind
    State = State

    kind = models.CharField(
        _("Art"), max_length=20, choices=Kind.choices, default=Kind.PRESS_RELEASE
    )
    kicker = models.CharField(
        _("Dachzeile"),
        max_length=200,
        blank=True,
        help_text=_("Kleine Zeile über der Überschrift, z. B. „Zuarbeit Kreisblatt“."),
    )
    title = models.CharField(_("Überschrift"), max_length=300)
    slug = models.SlugField(
        _("Kurzname in der Adresse"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_(
            "Wird aus der Überschrift erzeugt (ä → ae, ß → ss), wenn leer. Nach der ersten "
            "Veröffentlichung unveränderlich, damit Links gültig bleiben."
        ),
    )
    lead = models.TextField(
        _("Vorspann"),
        blank=True,
        help_text=_("Ein bis drei Sätze: das Wichtigste zuerst. Wird in Listen und Feeds gezeigt."),
    )
    body = RichTextField(
        _("Text"),
        blank=True,
        help_text=_(
            "Fließtext. Erlaubt sind Absätze, Zwischenüberschriften, fett, kursiv, Listen, "
            "Zitatblöcke und Links; alles andere wird beim Speichern entfernt."
        ),
    )
    lead_photo = models.ForeignKey(
        Photo,
        verbose_name=_("Aufmacherfoto"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_of",
    )
    photos = models.ManyToManyField(
        Photo,
        verbose_name=_("Weitere Fotos"),
        blank=True,
        related_name="articles",
        help_text=_("Zum Herunterladen für die Presse angeboten, mit Bildnachweis."),
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("Themen"), blank=True, related_name="articles"
    )
    authors = models.ManyToManyField(
        Author, verbose_name=_("Autor/innen"), blank=True, related_name="articles"
    )
    spokespersons = models.ManyToManyField(
        Spokesperson,
        verbose_name=_("Zitatgeber/innen"),
        through="Quote",
        blank=True,
        related_name="articles",
    )
    press_contact = models.ForeignKey(
        PressContact,
        verbose_name=_("Pressekontakt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        help_text=_("Leer: der Standardkontakt der Pressestelle."),
    )
    state = models.CharField(
        _("Status"), max_length=20, choices=State.choices, default=State.DRAFT, editable=False
    )
    publish_at = models.DateTimeField(
        _("Veröffentlichung"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Ab diesem Zeitpunkt öffentlich; liegt er in der Zukunft, gilt eine Sperrfrist."
        ),
    )
    release_date = models.DateField(
        _("Originaldatum"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Datum einer importierten Mitteilung; die Freigabe kann sie mit diesem Datum "
            "veröffentlichen."
        ),
    )
    change_note = models.TextField(
        _("Korrekturhinweis"),
        blank=True,
        editable=False,
        help_text=_("Öffentlicher Hinweis auf die letzte Korrektur."),
    )
    corrected_at = models.DateTimeField(_("korrigiert am"), null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(
        _("zurückgezogen am"), null=True, blank=True, editable=False
    )
    withdrawal_reason = models.TextField(_("Grund der Rücknahme"), blank=True, editable=False)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angelegt von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Optimistic concurrency: every save bumps it; a save from a stale copy is refused.
    version = models.PositiveIntegerField(_("Version"), default=1, editable=False)
    source_hash = models.CharField(
        _("Prüfsumme der Importdatei"), max_length=64, blank=True, editable=False
    )

    objects = ArticleQuerySet.as_manager()
    # Every saved state of the article, with who and when: the archive's memory (admin:
    # "Fassungen"). `version` is bookkeeping for concurrent edits, not content.
    history = HistoricalRecords(excluded_fields=["version"], cascade_delete_history=False)

    class Meta:
        verbose_name = _("Artikel")
        verbose_name_plural = pgettext_lazy("plural", "Artikel")
        ordering = ["-publish_at", "-created_at"]
        get_latest_by = "publish_at"
        indexes = [
            # With the key: the topic and spokesperson counts join public articles by their
            # key, which an index-only scan then reads from here instead of from the table's
            # rows (issue 17: 200,000 rows with their bodies, 53,000 pages).
            models.Index(fields=["state", "publish_at", "id"], name="article_state_publish_at"),
            # The importer's look-up of the same release by its date and title (issue 16,
            # releases.matching.find_duplicate); without them each imported file reads the
            # whole archive.
            models.Index(F("release_date"), Upper("title"), name="article_release_date_title"),
            models.Index(fields=["publish_at"], name="article_publish_at"),
            # The admin's article list, work in progress first, newest first: without it,
            # each of its pages sorts the whole archive (65 ms at 20,000 articles on
            # PostgreSQL, 0.4 ms with it; measured 2026-12-01).
            # "publish_at" DESC puts NULLs first on PostgreSQL, as WORK_ORDERING asks; SQLite
            # cannot index NULLS FIRST (and orders its few rows without this index).
            models.Index(
                work_order(),
                F("publish_at").desc(),
                F("created_at").desc(),
                F("id").desc(),
                name="article_work_order",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="published") | Q(publish_at__isnull=False),
                name="published_article_has_publish_at",
            ),
            models.CheckConstraint(
                condition=~Q(state="withdrawn")
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_reason="")),
                name="withdrawn_article_has_reason",
            ),
            models.UniqueConstraint(
                fields=["source_hash"], condition=~Q(source_hash=""), name="unique_import_source"
            ),
        ]
        permissions = [
            ("submit_article", _("Kann Artikel zur Freigabe einreichen")),
            ("review_article", _("Kann Artikel prüfen und zurückgeben")),
            ("publish_article", _("Kann Artikel veröffentlichen und terminieren")),
            ("withdraw_article", _("Kann Artikel zurückziehen")),
            ("correct_article", _("Kann veröffentlichte Artikel korrigieren")),
            ("delete_published_article", _("Kann veröffentlichte Artikel löschen")),
        ]

    def __str__(self) -> str:
        return self.title

    # --- saving and addressing ------------------------------------------------------------

    def save(self, *args, **kwargs):
        """Sanitise the body, fill slug and press contact; refuse a save from a stale copy
        (ConcurrentEditError) and a changed slug once public (ValidationError)."""
        self.body = sanitize_html(self.body)
        if not self.slug:
            self.slug = unique_slug(Article, self.title, self.pk)
        if self.press_contact_id is None:
            self.press_contact = PressContact.objects.filter(is_default=True).first()
        if self.pk is None or self._state.adding:
            super().save(*args, **kwargs)
            return
        with transaction.atomic():
            # The conditional UPDATE takes the row lock, so of two concurrent saves from the
            # same version exactly one wins, on PostgreSQL and SQLite alike.
            claimed = Article.objects.filter(pk=self.pk, version=self.version).update(
                version=F("version") + 1
            )
            if not claimed:
                raise ConcurrentEditError()
            self.check_slug_unchanged()
            self.version += 1
            super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        date = self.publication_date or timezone.localdate()
        return link("press:article", year=date.year, month=date.month, day=date.day, slug=self.slug)

    def clean(self):
        super().clean()
        if self.pk and self.slug:
            self.check_slug_unchanged()

    def check_slug_unchanged(self) -> None:
        """The slug is frozen once the article has been public: links must stay valid.
        Raises ValidationError on the `slug` field."""
        stored = (
            Article.objects.filter(pk=self.pk)
            .only("slug", "state", "publish_at", "withdrawn_at")
            .first()
        )
        if stored and stored.slug_is_frozen() and stored.slug != self.slug:
            raise ValidationError({"slug": SLUG_FROZEN})

    def slug_is_frozen(self) -> bool:
        """Once an article has been public, its address (slug) never changes: links to it
        must stay valid, also after a withdrawal."""
        return self.has_been_public()

    # --- what the public sees -------------------------------------------------------------

    def is_public(self, now: datetime | None = None) -> bool:
        """`published_q()` for one article: published and due."""
        return (
            self.state == State.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= (now or timezone.now())
        )

    is_public.boolean = True
    is_public.short_description = _("öffentlich")

    def is_scheduled(self, now: datetime | None = None) -> bool:
        """Approved, waiting for its Sperrfrist (`scheduled_q()` for one article)."""
        return self.state == State.PUBLISHED and not self.is_public(now)

    def stage(self, now: datetime | None = None) -> Stage:
        """Where the article stands now (`press.workflow.Stage`)."""
        if self.state == State.PUBLISHED:
            return Stage.PUBLIC if self.is_public(now) else Stage.SCHEDULED
        return Stage(self.state)

    def has_been_public(self, now: datetime | None = None) -> bool:
        """Public now, or was public before it was withdrawn."""
        if self.state == State.WITHDRAWN:
            return bool(
                self.publish_at and self.withdrawn_at and self.publish_at <= self.withdrawn_at
            )
        return self.is_public(now)

    def needs_change_note(self) -> bool:
        """A change to a public article is a correction, shown publicly with a change note."""
        return self.is_public()

    def related_articles(self, limit: int = 3) -> list[Article]:
        """Other public articles on the same topics, newest first (one query)."""
        topic_ids = [topic.pk for topic in self.topics.all()]
        if not topic_ids:
            return []
        # EXISTS, not a join with DISTINCT: the newest articles are read first and the
        # database stops at `limit`, however many share a topic.
        same_topic = Article.topics.through.objects.filter(
            article=models.OuterRef("pk"), topic__in=topic_ids
        )
        return list(
            Article.objects.published()
            .filter(models.Exists(same_topic))
            .exclude(pk=self.pk)
            .only("title", "slug", "publish_at")[:limit]
        )

    @property
    def corrections(self) -> list[ArticleEvent]:
        """Every public correction of the article, newest first, each with its date (`at`)
        and its public note (`comment`): none is ever dropped from the article page, the
        feeds or the exports. Read with the article by `with_page_row()`."""
        if hasattr(self, "correction_list"):
            return self.correction_list
        if hasattr(self, "correction_data"):  # with_page_row()
            self.correction_list = ArticleEvent.corrections_from_json(self.correction_data, self)
            return self.correction_list
        if self.pk is None:
            return []
        return list(ArticleEvent.corrections_q().filter(article=self))

    @property
    def all_photos(self) -> list[Photo]:
        """Lead photo first, then the further photos, each once: the download list."""
        photos = [self.lead_photo] if self.lead_photo else []
        photos += [photo for photo in self.photos.all() if photo not in photos]
        return photos

    @property
    def publication_date(self):
        return timezone.localdate(self.publish_at) if self.publish_at else None
