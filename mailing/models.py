"""The log of outgoing mail: one `SentMail` per message, from the moment it is queued until it
has left or been given up."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.utils.translation import gettext_lazy as _


class SentMail(models.Model):
    """One outgoing e-mail: who it is for, what it is, when it was queued and tried, and how it
    ended.

    The text (`body`, `html`, `headers`) is kept only while the message waits to leave and is
    emptied once it is sent or given up: a password-reset link must not outlive its delivery in
    a table that Administration can read."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("In der Warteschlange")
        RETRYING = "retrying", _("Neuer Versuch geplant")
        SENT = "sent", _("Versandt")
        FAILED = "failed", _("Aufgegeben")

    kind = models.CharField(_("Art"), max_length=50)
    # One address a line: a display name may hold a comma, an address never a line break.
    recipients = models.TextField(_("Empfänger"))
    subject = models.TextField(_("Betreff"))
    body = models.TextField(_("Text"), blank=True)
    html = models.TextField(_("HTML-Fassung"), blank=True)
    headers = models.JSONField(_("Zusätzliche Kopfzeilen"), default=dict, blank=True)
    status = models.CharField(
        _("Stand"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    last_error = models.TextField(_("Letzter Fehler"), blank=True)
    queued_at = models.DateTimeField(_("Eingereiht"), auto_now_add=True, db_index=True)
    last_attempt_at = models.DateTimeField(_("Letzter Versuch"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("Nächster Versuch"), null=True, blank=True)
    sent_at = models.DateTimeField(_("Versandt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Versandte E-Mail")
        verbose_name_plural = _("Versandte E-Mails")
        ordering = ["-queued_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.recipient_list)}"

    @property
    def recipient_list(self) -> list[str]:
        return [address for address in self.recipients.splitlines() if address.strip()]

    def message(self, connection=None) -> EmailMultiAlternatives:
        """The Django e-mail message for this record, from DEFAULT_FROM_EMAIL. Raises
        django.core.mail.BadHeaderError (a ValueError) for a subject or header with a line
        break when the message is built."""
        message = EmailMultiAlternatives(
            self.subject,
            self.body,
            settings.DEFAULT_FROM_EMAIL,
            self.recipient_list,
            headers=self.headers or None,
            connection=connection,
        )
        if self.html:
            message.attach_alternative(self.html, "text/html")
        return message
