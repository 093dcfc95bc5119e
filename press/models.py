"""The press office's content and its editorial workflow.

The rules live here: who may move an article from which state to which, what is public, what is
kept. The admin and the public views only call these methods and querysets.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import PurePath

from ckeditor.fields import RichTextField
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .links import link
from .photos import validate_photo_file
from .renditions import delete_renditions, make_renditions
from .sanitize import sanitize_html
from .text import german_slugify


class WorkflowError(ValidationError):
    """A state change that the workflow does not allow, e.g. withdrawing a draft."""


class FourEyesViolation(PermissionDenied):
    """The person who last edited an article tried to publish it."""


class ConcurrentEditError(Exception):
    """The article was saved by someone else since this copy was loaded."""


def unique_slug(model: type[models.Model], text: str, instance_pk=None, max_length=200) -> str:
    """A German slug for `text` that no other row of `model` uses (suffix -2, -3, …)."""
    base = german_slugify(text, max_length=max_length - 4) or "eintrag"
    others = (
        model._default_manager.exclude(pk=instance_pk) if instance_pk else model._default_manager
    )
    candidate, number = base, 2
    while others.filter(slug=candidate).exists():
        candidate, number = f"{base}-{number}", number + 1
    return candidate


class TopicQuerySet(models.QuerySet):
    def with_public_articles(self) -> TopicQuerySet:
        """Topics that have at least one public article, with their number as `article_count`."""
        return (
            self.filter(
                articles__state=Article.State.PUBLISHED, articles__publish_at__lte=timezone.now()
            )
            .annotate(article_count=models.Count("articles", distinct=True))
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


def photo_upload_to(instance: Photo, filename: str) -> str:
    # Stored names are ours: an uploader's file name never reaches the file system or a URL.
    extension = PurePath(filename).suffix.lower()
    if extension not in {".jpg", ".jpeg", ".png", ".webp"}:
        extension = ".jpg"
    return f"photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class Photo(models.Model):
    image = models.ImageField(
        _("Bilddatei"),
        upload_to=photo_upload_to,
        width_field="width",
        height_field="height",
        validators=[validate_photo_file],
        help_text=_("JPEG, PNG oder WebP in Originalauflösung."),
    )
    width = models.PositiveIntegerField(_("Breite (px)"), null=True, editable=False)
    height = models.PositiveIntegerField(_("Höhe (px)"), null=True, editable=False)
    caption = models.CharField(
        _("Bildunterschrift"),
        max_length=500,
        blank=True,
        help_text=_("Z. B. „Claudia Langer, Eigenbetriebsleiterin KoBa Harz“."),
    )
    credit = models.CharField(
        _("Bildnachweis"),
        max_length=200,
        help_text=_("Wird als „Foto: …“ angezeigt, z. B. „KoBa Harz“."),
    )
    alt_text = models.CharField(
        _("Alternativtext"),
        max_length=300,
        help_text=_(
            "Beschreibt, was auf dem Bild zu sehen ist, für Menschen, die es nicht sehen "
            "können. Pflichtfeld (Barrierefreiheit)."
        ),
    )
    usage_rights = models.TextField(
        _("Nutzungsrechte"),
        blank=True,
        help_text=_("Wer das Bild wofür verwenden darf, z. B. „Frei für Presseberichte“."),
    )
    created_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)
    # Made by press.renditions when the image is saved: [{width, height, format, name}, ...].
    renditions = models.JSONField(_("Bildvarianten"), default=list, editable=False)

    class Meta:
        verbose_name = _("Foto")
        verbose_name_plural = _("Fotos")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="photo_alt_text_required"),
            models.CheckConstraint(condition=~Q(credit=""), name="photo_credit_required"),
        ]

    def __str__(self) -> str:
        return self.caption or self.alt_text

    def save(self, *args, **kwargs):
        """Saving a new or replaced image makes its renditions (press.renditions)."""
        super().save(*args, **kwargs)
        stored = getattr(self, "_stored_image_name", None)
        if self.image and (self.image.name != stored or not self.renditions):
            old = self.renditions
            self.renditions = make_renditions(self)
            super().save(update_fields=["renditions"])
            delete_renditions(self, old)
            self._stored_image_name = self.image.name

    @classmethod
    def from_db(cls, db, field_names, values):
        photo = super().from_db(db, field_names, values)
        photo._stored_image_name = photo.__dict__.get("image")
        return photo

    def _renditions(self, image_format: str) -> list[dict]:
        return [
            entry
            for entry in self.renditions
            if entry["format"] == image_format and not entry.get("download")
        ]

    def srcset(self, image_format: str) -> str:
        storage = self.image.storage
        return ", ".join(
            f"{storage.url(entry['name'])} {entry['width']}w"
            for entry in self._renditions(image_format)
        )

    @property
    def webp_srcset(self) -> str:
        return self.srcset("webp")

    @property
    def jpeg_srcset(self) -> str:
        return self.srcset("jpeg")

    @property
    def display(self) -> dict:
        """The rendition for `src` (800 px JPEG or the nearest) with its upright size; the
        original when there are no renditions yet."""
        candidates = self._renditions("jpeg")
        if not candidates:
            return {"url": self.image.url, "width": self.width, "height": self.height}
        entry = min(candidates, key=lambda entry: abs(entry["width"] - 800))
        return {
            "url": self.image.storage.url(entry["name"]),
            "width": entry["width"],
            "height": entry["height"],
        }

    @property
    def download(self) -> dict:
        """Original resolution without metadata, for journalists."""
        for entry in self.renditions:
            if entry.get("download"):
                return {**entry, "url": self.image.storage.url(entry["name"])}
        return {
            "url": self.image.url,
            "width": self.width,
            "height": self.height,
            "format": PurePath(self.image.name).suffix.lstrip("."),
        }


class SpokespersonQuerySet(models.QuerySet):
    def with_public_articles(self) -> SpokespersonQuerySet:
        """Spokespersons quoted in at least one public article, with `article_count`."""
        return (
            self.filter(
                quotes__article__state=Article.State.PUBLISHED,
                quotes__article__publish_at__lte=timezone.now(),
            )
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


def tel_uri(number: str) -> str:
    digits = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    if not digits:
        return ""
    if digits.startswith("0") and not digits.startswith("00"):
        digits = "+49" + digits[1:]
    return f"tel:{digits}"


class ArticleQuerySet(models.QuerySet):
    def published(self, now: datetime | None = None) -> ArticleQuerySet:
        """What the public may see: published and due. Drafts, reviews, embargoed and
        withdrawn articles are never in here."""
        return self.filter(state=Article.State.PUBLISHED, publish_at__lte=now or timezone.now())

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
    class Kind(models.TextChoices):
        PRESS_RELEASE = "press_release", _("Pressemitteilung")
        KREISBLATT = "kreisblatt", _("Kreisblatt-Beitrag")
        NOTICE = "notice", _("Meldung")

    class State(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        IN_REVIEW = "in_review", _("In Prüfung")
        PUBLISHED = "published", _("Veröffentlicht")
        WITHDRAWN = "withdrawn", _("Zurückgezogen")

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
                raise ConcurrentEditError(
                    _("„%(title)s“ wurde inzwischen von jemand anderem geändert.")
                    % {"title": self.title}
                )
            stored = Article.objects.only("slug", "state", "publish_at", "withdrawn_at").get(
                pk=self.pk
            )
            if stored.has_been_public() and stored.slug != self.slug:
                raise ValidationError(
                    {"slug": _("Der Kurzname ist seit der Veröffentlichung unveränderlich.")}
                )
            self.version += 1
            super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        date = self.publication_date or timezone.localdate()
        return link("press:article", year=date.year, month=date.month, day=date.day, slug=self.slug)

    # --- what the public sees -------------------------------------------------------------

    def is_public(self, now: datetime | None = None) -> bool:
        """Mirror of ArticleQuerySet.published() for one instance."""
        return (
            self.state == self.State.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= (now or timezone.now())
        )

    is_public.boolean = True
    is_public.short_description = _("öffentlich")

    def is_scheduled(self, now: datetime | None = None) -> bool:
        """Approved, waiting for its Sperrfrist."""
        return self.state == self.State.PUBLISHED and not self.is_public(now)

    def has_been_public(self, now: datetime | None = None) -> bool:
        """Public now, or was public before it was withdrawn."""
        if self.state == self.State.WITHDRAWN:
            return bool(
                self.publish_at and self.withdrawn_at and self.publish_at <= self.withdrawn_at
            )
        return self.is_public(now)

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
        return self.Kind(self.kind).label

    @property
    def publication_date(self):
        return timezone.localdate(self.publish_at) if self.publish_at else None

    def clean(self):
        super().clean()
        if self.pk and self.slug:
            stored = Article.objects.filter(pk=self.pk).first()
            if stored and stored.has_been_public() and stored.slug != self.slug:
                raise ValidationError(
                    {"slug": _("Der Kurzname ist seit der Veröffentlichung unveränderlich.")}
                )

    # --- the editorial workflow -----------------------------------------------------------

    def allowed_actions(self, user) -> list[str]:
        """Names of the workflow methods `user` may call on this article now."""
        checks = {
            "submit": self._check_submit,
            "return_to_draft": self._check_return_to_draft,
            "publish": self._check_publish,
            "withdraw": self._check_withdraw,
        }
        allowed = []
        for name, check in checks.items():
            try:
                check(user)
            except (PermissionDenied, ValidationError):
                continue
            allowed.append(name)
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
        need a public change note."""
        self._check_edit(by)
        self._history_user = by
        if self._state.adding:
            self.created_by = by
            self._change_reason = ArticleEvent.Action.CREATED
            self.save()
            self.record(ArticleEvent.Action.CREATED, by=by, from_state="")
            return
        if self.is_public():
            if not change_note.strip():
                raise WorkflowError(
                    _("Eine Korrektur eines öffentlichen Artikels braucht einen Korrekturhinweis.")
                )
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
        self._check_submit(by)
        self._move(self.State.IN_REVIEW, ArticleEvent.Action.SUBMITTED, by=by, comment=comment)

    def return_to_draft(self, *, by, comment: str) -> None:
        """In review (or scheduled) → draft, with a comment for the writer."""
        self._check_return_to_draft(by)
        if not comment.strip():
            raise WorkflowError(_("Bitte begründen Sie die Rückgabe an die Redaktion."))
        self._move(
            self.State.DRAFT,
            ArticleEvent.Action.RETURNED,
            by=by,
            comment=comment.strip(),
            publish_at=None,
        )

    def publish(self, *, by, at: datetime | None = None, comment: str = "") -> None:
        """Publish now, or at `at` (Sperrfrist). Also reschedules an article not yet due."""
        self._check_publish(by)
        now = timezone.now()
        at = at or now
        action = ArticleEvent.Action.SCHEDULED if at > now else ArticleEvent.Action.PUBLISHED
        self._move(self.State.PUBLISHED, action, by=by, comment=comment, publish_at=at)

    def withdraw(self, *, by, reason: str) -> None:
        """Published → withdrawn. The reason is shown publicly at the article's address."""
        self._check_withdraw(by)
        if not reason.strip():
            raise WorkflowError(_("Bitte geben Sie einen öffentlichen Grund für die Rücknahme an."))
        self._move(
            self.State.WITHDRAWN,
            ArticleEvent.Action.WITHDRAWN,
            by=by,
            comment=reason.strip(),
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

    def _move(self, to_state: str, action: str, *, by, comment: str = "", **changes) -> None:
        from_state = self.state
        self._history_user = by
        self._change_reason = action
        snapshot = {name: getattr(self, name) for name in [*changes, "state", "version"]}
        try:
            with transaction.atomic():
                for name, value in changes.items():
                    setattr(self, name, value)
                self.state = to_state
                self.save()
                self.record(action, by=by, comment=comment, from_state=from_state)
        except Exception:
            for name, value in snapshot.items():
                setattr(self, name, value)
            raise

    @staticmethod
    def _require(user, permission: str) -> None:
        if not (user and user.is_active and user.has_perm(f"press.{permission}")):
            raise PermissionDenied(_("Dafür fehlt Ihnen die Berechtigung."))

    def _refuse(self, message) -> None:
        raise WorkflowError(message % {"state": self.get_state_display()})

    def _check_edit(self, user) -> None:
        if self._state.adding:
            self._require(user, "add_article")
            if self.state != self.State.DRAFT:
                self._refuse(_("Neue Artikel beginnen als Entwurf."))
            return
        if self.state == self.State.WITHDRAWN:
            self._refuse(_("Ein zurückgezogener Artikel kann nicht bearbeitet werden."))
        if self.state == self.State.PUBLISHED:
            self._require(user, "correct_article")
        else:
            self._require(user, "change_article")

    def _check_submit(self, user) -> None:
        self._require(user, "submit_article")
        if self.state != self.State.DRAFT:
            self._refuse(_("Nur Entwürfe können eingereicht werden (Status: %(state)s)."))

    def _check_return_to_draft(self, user) -> None:
        self._require(user, "review_article")
        if not (self.state == self.State.IN_REVIEW or self.is_scheduled()):
            self._refuse(
                _(
                    "Nur Artikel in Prüfung oder mit Sperrfrist gehen an die Redaktion zurück "
                    "(Status: %(state)s)."
                )
            )

    def _check_publish(self, user) -> None:
        self._require(user, "publish_article")
        if self.state == self.State.WITHDRAWN or self.is_public():
            self._refuse(_("Dieser Artikel kann nicht veröffentlicht werden (Status: %(state)s)."))
        if (
            settings.NEWSROOM_FOUR_EYES
            and self.pk
            and user.pk is not None
            and self.last_editor_id() == user.pk
        ):
            raise FourEyesViolation(
                _(
                    "Vier-Augen-Prinzip: Sie haben diesen Artikel zuletzt bearbeitet. "
                    "Eine andere Person muss ihn freigeben."
                )
            )

    def _check_withdraw(self, user) -> None:
        self._require(user, "withdraw_article")
        if self.state != self.State.PUBLISHED:
            self._refuse(
                _("Nur veröffentlichte Artikel können zurückgezogen werden (Status: %(state)s).")
            )


class Quote(models.Model):
    article = models.ForeignKey(
        Article, verbose_name=_("Artikel"), on_delete=models.CASCADE, related_name="quotes"
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


class LegalPage(models.Model):
    """Impressum, Datenschutzerklärung, Erklärung zur Barrierefreiheit: edited by Administration."""

    class Kind(models.TextChoices):
        IMPRINT = "impressum", _("Impressum")
        PRIVACY = "datenschutz", _("Datenschutzerklärung")
        ACCESSIBILITY = "barrierefreiheit", _("Erklärung zur Barrierefreiheit")

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


class RolePolicy(models.Model):
    """What a role demands at log-in. Administration sets it in the admin."""

    role = models.OneToOneField(
        "auth.Group", verbose_name=_("Rolle"), on_delete=models.CASCADE, related_name="policy"
    )
    requires_two_factor = models.BooleanField(
        _("Zwei-Faktor-Anmeldung erforderlich"),
        default=False,
        help_text=_(
            "Wer diese Rolle hat, muss sich im Admin zusätzlich mit einem Einmalcode aus einer "
            "Authenticator-App anmelden (TOTP) und richtet ihn bei der nächsten Anmeldung ein."
        ),
    )

    class Meta:
        verbose_name = _("Anmelderegel")
        verbose_name_plural = _("Anmelderegeln")
        ordering = ["role__name"]

    def __str__(self) -> str:
        return self.role.name


def two_factor_required(user) -> bool:
    """A second factor is required of users whose role demands it and of everyone who has
    set one up (an optional factor that could be skipped would protect nothing). One query."""
    if not (user and user.is_authenticated):
        return False
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .filter(Q(groups__policy__requires_two_factor=True) | Q(totpdevice__confirmed=True))
        .exists()
    )
