"""Articles: the press office's releases, their history, and the editorial workflow's methods.

An article moves through the steps of `press.workflow.STEPS`; its methods check the step's
permission and stages, change the state in a transaction and append to its history
(`ArticleEvent`). The admin only calls these methods; what is public is `published_q()`.
"""

from __future__ import annotations

from datetime import datetime

from ckeditor.fields import RichTextField
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from press.kinds import Kind
from press.links import link
from press.sanitize import sanitize_html
from press.text import unique_slug
from press.workflow import (
    FOUR_EYES,
    STEPS,
    FourEyesViolation,
    Stage,
    State,
    Step,
    WorkflowError,
    published_q,
    require_permission,
    scheduled_q,
)

from .people import Author, PressContact, Quote, Spokesperson
from .photos import Photo
from .topics import Topic

STALE_COPY = _(
    "Dieser Artikel wurde inzwischen von jemand anderem gespeichert. Ihre Änderungen wurden "
    "nicht übernommen."
)
SLUG_FROZEN = _("Der Kurzname ist seit der Veröffentlichung unveränderlich.")
CHANGE_NOTE_MISSING = _(
    "Eine Korrektur eines öffentlichen Artikels braucht einen Korrekturhinweis; er wird "
    "öffentlich angezeigt."
)


class ConcurrentEditError(Exception):
    """The article was saved by someone else since this copy was loaded (`STALE_COPY`)."""

    def __init__(self, message=STALE_COPY):
        super().__init__(message)


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
        """Everything the article page renders, in a fixed number of queries."""
        return self.select_related("lead_photo", "press_contact").prefetch_related(
            "topics",
            models.Prefetch("quotes", Quote.objects.select_related("spokesperson")),
            "photos",
        )


class Article(models.Model):
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
        indexes = [models.Index(fields=["state", "publish_at"], name="article_state_publish_at")]
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
        if stored and stored.has_been_public() and stored.slug != self.slug:
            raise ValidationError({"slug": SLUG_FROZEN})

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
    def all_photos(self) -> list[Photo]:
        """Lead photo first, then the further photos, each once: the download list."""
        photos = [self.lead_photo] if self.lead_photo else []
        photos += [photo for photo in self.photos.all() if photo not in photos]
        return photos

    @property
    def kind_label(self) -> str:
        """get_kind_display(), without building the field's choices anew on every call."""
        return Kind(self.kind).label

    @property
    def publication_date(self):
        return timezone.localdate(self.publish_at) if self.publish_at else None

    # --- the editorial workflow (press.workflow.STEPS) -------------------------------------

    def allowed_actions(self, user) -> list[str]:
        """Names of the steps (`press.workflow.STEPS`) `user` may take on this article now."""
        allowed = []
        for step in STEPS.values():
            try:
                self._check_step(step, user)
            except (PermissionDenied, ValidationError):
                continue
            allowed.append(step.name)
        return allowed

    def can_edit(self, user) -> bool:
        try:
            self._check_edit(user)
        except (PermissionDenied, ValidationError):
            return False
        return True

    def can_delete(self, user) -> bool:
        """Redaktion and Freigabe withdraw public articles; only Administration deletes them."""
        if not (user and user.is_active):
            return False
        if self.pk and self.has_been_public():
            return user.has_perm("press.delete_published_article")
        return user.has_perm("press.delete_article")

    def edit(self, *, by, change_note: str = "") -> None:
        """Save content changes made by `by`. Changes to a public article are corrections and
        need a public change note (WorkflowError without one)."""
        self._check_edit(by)
        self._history_user = by
        if self._state.adding:
            self.created_by = by
            self._change_reason = ArticleEvent.Action.CREATED
            self.save()
            self.record(ArticleEvent.Action.CREATED, by=by, from_state="")
            return
        if self.needs_change_note():
            if not change_note.strip():
                raise WorkflowError(CHANGE_NOTE_MISSING)
            with transaction.atomic():
                self.change_note = change_note.strip()
                self.corrected_at = timezone.now()
                self._change_reason = ArticleEvent.Action.CORRECTED
                self.save()
                self.record(ArticleEvent.Action.CORRECTED, by=by, comment=self.change_note)
            return
        with transaction.atomic():
            self._change_reason = ArticleEvent.Action.EDITED
            self.save()
            self.record(ArticleEvent.Action.EDITED, by=by)

    # What a restored revision brings back. The slug stays: it is frozen once public.
    RESTORED_FIELDS = (
        "kind",
        "kicker",
        "title",
        "lead",
        "body",
        "lead_photo_id",
        "press_contact_id",
    )

    def restore(self, revision, *, by, change_note: str = "") -> None:
        """Bring back the content of an earlier revision as an edit by `by`: the same rules
        apply (a public article needs a change note), and the history grows instead of being
        rewritten."""
        if revision.id != self.pk:
            raise ValueError("revision of another article")
        for name in self.RESTORED_FIELDS:
            setattr(self, name, getattr(revision, name))
        self.edit(by=by, change_note=change_note)

    def submit(self, *, by, comment: str = "") -> None:
        """Draft → in review."""
        self._take(STEPS["submit"], by, comment)

    def return_to_draft(self, *, by, comment: str) -> None:
        """In review (or scheduled) → draft, with a comment for the writer."""
        self._take(STEPS["return_to_draft"], by, comment, publish_at=None)

    def publish(self, *, by, at: datetime | None = None, comment: str = "") -> None:
        """Publish now, or at `at` (Sperrfrist). Also reschedules an article not yet due."""
        now = timezone.now()
        at = at or now
        action = ArticleEvent.Action.SCHEDULED if at > now else ArticleEvent.Action.PUBLISHED
        self._take(STEPS["publish"], by, comment, action=action, publish_at=at)

    def withdraw(self, *, by, reason: str) -> None:
        """Published → withdrawn. The reason is shown publicly at the article's address."""
        self._take(
            STEPS["withdraw"],
            by,
            reason,
            withdrawal_reason=reason.strip(),
            withdrawn_at=timezone.now(),
        )

    def delete_by(self, user) -> None:
        """Delete, if `user` may: published articles only by Administration."""
        if not self.can_delete(user):
            raise PermissionDenied(
                _("Veröffentlichte Artikel werden zurückgezogen, nicht gelöscht.")
                if self.has_been_public()
                else _("Sie dürfen diesen Artikel nicht löschen.")
            )
        self.delete()

    def record(self, action: str, *, by, comment: str = "", from_state: str | None = None):
        """Append an entry to the article's history."""
        return ArticleEvent.objects.create(
            article=self,
            action=action,
            from_state=self.state if from_state is None else from_state,
            to_state=self.state,
            by=by,
            comment=comment,
        )

    def last_editor_id(self) -> int | None:
        """The user who last changed the content (for the four-eyes rule)."""
        event = (
            self.events.filter(action__in=ArticleEvent.CONTENT_ACTIONS)
            .order_by("-at", "-id")
            .only("by_id")
            .first()
        )
        return event.by_id if event else None

    def _take(self, step: Step, by, comment: str, *, action: str = "", **changes) -> None:
        """Take `step` as `by`: check it, then change the state, set `changes` and record the
        event (`action`, by default the step's `records`) in one transaction. On failure the
        instance is left as it was."""
        self._check_step(step, by)
        comment = comment.strip()
        if step.comment_required and not comment:
            raise WorkflowError(step.comment_missing)
        action = action or step.records
        from_state = self.state
        self._history_user = by
        self._change_reason = action
        snapshot = {name: getattr(self, name) for name in [*changes, "state", "version"]}
        try:
            with transaction.atomic():
                for name, value in changes.items():
                    setattr(self, name, value)
                self.state = step.enters
                self.save()
                self.record(action, by=by, comment=comment, from_state=from_state)
        except Exception:
            for name, value in snapshot.items():
                setattr(self, name, value)
            raise

    def _check_step(self, step: Step, user) -> None:
        require_permission(user, step.permission)
        if self.stage() not in step.leaves:
            raise WorkflowError(step.refusal % {"state": self.get_state_display()})
        if (
            step.four_eyes
            and settings.NEWSROOM_FOUR_EYES
            and self.pk
            and user.pk is not None
            and self.last_editor_id() == user.pk
        ):
            raise FourEyesViolation(FOUR_EYES)

    def _check_edit(self, user) -> None:
        if self._state.adding:
            require_permission(user, "add_article")
            if self.state != State.DRAFT:
                raise WorkflowError(_("Neue Artikel beginnen als Entwurf."))
            return
        if self.state == State.WITHDRAWN:
            raise WorkflowError(_("Ein zurückgezogener Artikel kann nicht bearbeitet werden."))
        require_permission(
            user, "correct_article" if self.state == State.PUBLISHED else "change_article"
        )


class ArticleEvent(models.Model):
    """One line of an article's history: who did what, when, from which state to which."""

    class Action(models.TextChoices):
        CREATED = "created", _("angelegt")
        EDITED = "edited", _("bearbeitet")
        SUBMITTED = "submitted", _("zur Freigabe eingereicht")
        RETURNED = "returned", _("an die Redaktion zurückgegeben")
        PUBLISHED = "published", _("veröffentlicht")
        SCHEDULED = "scheduled", _("mit Sperrfrist freigegeben")
        CORRECTED = "corrected", _("korrigiert")
        WITHDRAWN = "withdrawn", _("zurückgezogen")

    CONTENT_ACTIONS = (Action.CREATED, Action.EDITED, Action.CORRECTED)

    article = models.ForeignKey(
        Article, verbose_name=_("Artikel"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("Vorgang"), max_length=20, choices=Action.choices)
    from_state = models.CharField(
        _("von Status"), max_length=20, choices=Article.State.choices, blank=True
    )
    to_state = models.CharField(_("nach Status"), max_length=20, choices=Article.State.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("durch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="article_events",
    )
    at = models.DateTimeField(_("am"), default=timezone.now)
    comment = models.TextField(_("Kommentar"), blank=True)

    class Meta:
        verbose_name = _("Verlaufseintrag")
        verbose_name_plural = _("Verlauf")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["article", "-at"], name="event_article_at")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({timezone.localtime(self.at):%d.%m.%Y %H:%M})"
