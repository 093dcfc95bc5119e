"""Who receives the releases by e-mail, what they agreed to, and what was sent to whom.

- `Subscriber`: the public list, double opt-in (a confirmed address receives mail, nothing
  else does), with the person's choice of topics and kinds.
- `ConsentRecord`: the history of consent, kept apart from the subscriber so that it can
  outlive the deletion of the address's personal data (DSGVO Art. 7(1): the controller must be
  able to demonstrate consent; Art. 17: erase what is no longer needed).
- `AccreditedRecipient`: the "Vorab-Verteiler (Sperrfrist)", kept by the press office, who
  receive advance copies under embargo.
- `Delivery`: one mail of one occasion (the release, an advance copy, a correction, …) to one
  address; the unique constraint makes each of them happen at most once, whatever the number
  of workers or restarts.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from press.kinds import Kind


def new_token() -> str:
    """A personal, unguessable link token: 32 random bytes, URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(32)


# What new_token() makes: URL-safe base64 (RFC 4648 §5), at most the fields' 64 characters.
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def is_token(value: str) -> bool:
    """True when `value` could be a personal link token (`new_token()`'s alphabet, 1 to 64
    characters). Only such strings are looked up: a NUL or an overlong value never reaches the
    database (PostgreSQL refuses NUL in a string: a 500)."""
    return bool(TOKEN.fullmatch(value))


def address_hash(email: str, key: str | None = None) -> str:
    """A keyed hash (HMAC-SHA256 with `key`, default SECRET_KEY; hex, 64 characters) of the
    lower-cased address: what the consent history keeps once the address itself has been
    deleted, so that a later complaint about that address can still be answered
    (`address_hashes()`, the admin's "Einwilligungsnachweise")."""
    key = settings.SECRET_KEY if key is None else key
    return hmac.new(key.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()


def address_hashes(email: str) -> list[str]:
    """The hashes the consent history of `email` may be kept under: with SECRET_KEY and with
    every key of SECRET_KEY_FALLBACKS, so that a rotated key (Django docs, "Settings":
    SECRET_KEY_FALLBACKS) leaves the older history findable while the old key is listed
    there."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [address_hash(email, key) for key in keys]


def all_kinds() -> list[str]:
    return list(Kind.values)


class Subscriber(models.Model):
    """One address on the public distribution list.

    The address is stored lower-cased and is unique. `token` is the personal link of the
    confirmation, preferences and one-click unsubscribe pages (RFC 8058). `kinds` is a list of
    `press.kinds.Kind` values; `all_topics` or the chosen `topics` say which articles match."""

    class State(models.TextChoices):
        PENDING = "pending", _("unbestätigt")
        CONFIRMED = "confirmed", _("bestätigt")
        UNSUBSCRIBED = "unsubscribed", _("abgemeldet")
        DEACTIVATED = "deactivated", _("gesperrt (unzustellbar)")

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    name = models.CharField(_("Name"), max_length=200, blank=True)
    medium = models.CharField(_("Medium"), max_length=200, blank=True)
    all_topics = models.BooleanField(_("alle Themen"), default=True)
    topics = models.ManyToManyField(
        "press.Topic", verbose_name=_("Themen"), blank=True, related_name="subscribers"
    )
    kinds = models.JSONField(_("Arten"), default=all_kinds)
    state = models.CharField(
        _("Stand"), max_length=20, choices=State.choices, default=State.PENDING, db_index=True
    )
    token = models.CharField(_("Schlüssel"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("angemeldet am"), auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(_("Bestätigung angefordert am"), null=True)
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    # When the address left the list: unsubscribed, or deactivated as undeliverable.
    unsubscribed_at = models.DateTimeField(_("abgemeldet am"), null=True, blank=True)
    hard_bounces = models.PositiveSmallIntegerField(_("dauerhafte Zustellfehler"), default=0)

    class Meta:
        verbose_name = _("Abonnent")
        verbose_name_plural = _("Abonnenten")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class ConsentRecord(models.Model):
    """One step in the consent history of an address: when, which wording, how.

    `subscriber` is emptied when the address's personal data is deleted; `email_hash`
    (`address_hash()`) stays, and with it the proof of what was agreed and withdrawn."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("Anmeldung angefordert")
        CONFIRMED = "confirmed", _("Einwilligung bestätigt")
        CHANGED = "changed", _("Auswahl geändert")
        WITHDRAWN = "withdrawn", _("Einwilligung widerrufen")
        ERASED = "erased", _("personenbezogene Daten gelöscht")

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("Abonnent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consents",
    )
    email_hash = models.CharField(_("Prüfsumme der Adresse"), max_length=64, db_index=True)
    action = models.CharField(_("Vorgang"), max_length=20, choices=Action.choices)
    wording_version = models.CharField(_("Fassung des Einwilligungstexts"), max_length=20)
    # How it was given: "Formular /verteiler/", "Link in der Bestätigungsmail",
    # "List-Unsubscribe-Post (RFC 8058)", "Verwaltung", …
    method = models.CharField(_("Weg"), max_length=100)
    at = models.DateTimeField(_("am"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Einwilligungsnachweis")
        verbose_name_plural = _("Einwilligungsnachweise")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%d.%m.%Y %H:%M})"


class AccreditedRecipient(models.Model):
    """An entry of the "Vorab-Verteiler (Sperrfrist)": a journalist whom the press office
    trusts with releases before their embargo ends, entered by the press office with a note of
    the person's consent."""

    name = models.CharField(_("Name"), max_length=200)
    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    medium = models.CharField(_("Medium"), max_length=200)
    consent = models.TextField(
        _("Einwilligung"),
        help_text=_("Wann und wie die Person eingewilligt hat, z. B. „schriftlich am 03.02.2026“."),
    )
    consent_on = models.DateField(_("Einwilligung vom"))
    active = models.BooleanField(_("aktiv"), default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eingetragen von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField(_("eingetragen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Empfänger im Vorab-Verteiler")
        verbose_name_plural = _("Vorab-Verteiler (Sperrfrist)")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.medium})"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class Delivery(models.Model):
    """One mail of one occasion about one article to one address.

    `occasion` names what is sent: "release" (the public mail when the article becomes
    public), "advance" (the embargoed copy), or a step's notice with the history entry's id,
    e.g. "correction:812", "withdrawal:815", "embargo-changed:790". The unique constraint on
    (article, occasion, email) is what makes a delivery happen at most once: creating it twice
    fails, and a worker claims it (`status` pending → sending) before it sends.

    `token` is the recipient's personal link where the mail has one (the embargo preview of an
    advance copy)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet")
        SENDING = "sending", _("wird gesendet")
        SENT = "sent", _("versandt")
        RETRYING = "retrying", _("neuer Versuch geplant")
        FAILED = "failed", _("fehlgeschlagen")
        CANCELLED = "cancelled", _("nicht gesendet")

    article = models.ForeignKey(
        "press.Article",
        verbose_name=_("Artikel"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    occasion = models.CharField(_("Anlass"), max_length=40)
    email = models.EmailField(_("E-Mail-Adresse"))
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("Abonnent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    accredited = models.ForeignKey(
        AccreditedRecipient,
        verbose_name=_("Empfänger im Vorab-Verteiler"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    token = models.CharField(_("Schlüssel"), max_length=64, blank=True, db_index=True)
    status = models.CharField(
        _("Stand"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    last_error = models.TextField(_("Letzter Fehler"), blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    # When a worker claimed it (status "sending"): a claim older than the lease is a worker
    # that died mid-send, and the delivery may be claimed again.
    claimed_at = models.DateTimeField(_("übernommen am"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("nächster Versuch"), null=True, blank=True)
    sent_at = models.DateTimeField(_("versandt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Zustellung")
        verbose_name_plural = _("Zustellungen")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "occasion", "email"], name="one_delivery_per_occasion"
            )
        ]
        indexes = [
            models.Index(fields=["article", "occasion", "status"], name="delivery_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.occasion} → {self.email}"
