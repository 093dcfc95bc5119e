"""The delivery task: one message from the outbox to the SMTP server, with retries.

Retry schedule on a transient error (an SMTP 4xx reply, a dropped or refused connection, a
timeout): 1, 5 and 15 minutes after the failed attempt (`RETRY_DELAYS`), so at most four
attempts over about 21 minutes; then the mail is given up, marked "failed" and logged at ERROR
on the "newsroom.mail" logger. A permanent refusal (an SMTP 5xx reply, RFC 5321 §4.2.1: "the
same request … should not be repeated") is given up at once. A retry is a new task with
`run_after`, which needs a backend that supports deferred tasks (the database backend does);
on one that does not, the first failure is final.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import SentMail

logger = logging.getLogger("newsroom.mail")

RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15))


def is_permanent(error: Exception) -> bool:
    """True for an SMTP reply in the 5xx range (RFC 5321 §4.2.1), for every recipient when the
    server refused them all; connection errors and 4xx replies are transient."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(
            code >= 500 for code, _message in error.recipients.values()
        )
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def error_summary(error: Exception) -> str:
    """What a log line says of a failed SMTP attempt: the exception's name and the reply
    codes, e.g. "SMTPRecipientsRefused 550". Never the server's text: a refusal quotes the
    address (RFC 5321 §4.2), and the log is kept apart from the mail log's erasure
    (distribution.retention); the full text is in SentMail.last_error / Delivery.last_error."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _message in error.recipients.values()})
        return " ".join([type(error).__name__, *map(str, codes)])
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__} {error.smtp_code}"
    return type(error).__name__


def _finish(mail: SentMail, status: str, error: str = "") -> None:
    mail.status = status
    mail.last_error = error
    mail.next_attempt_at = None
    if status == SentMail.Status.SENT:
        mail.sent_at = timezone.now()
    # The text has done its job; a reset link must not stay readable in the log.
    mail.body, mail.html, mail.headers = "", "", {}
    mail.save()


@task()
def deliver(mail_id: int) -> str:
    """Send the `SentMail` with primary key `mail_id` and record the result; returns its new
    status ("sent", "retrying" or "failed"). A mail that has already been sent or given up is
    left alone, so a task that runs twice sends once."""
    mail = SentMail.objects.get(pk=mail_id)
    if mail.status in {SentMail.Status.SENT, SentMail.Status.FAILED}:
        return mail.status
    mail.attempts += 1
    mail.last_attempt_at = timezone.now()
    try:
        mail.message(connection=get_connection(fail_silently=False)).send()
    except (smtplib.SMTPException, OSError) as error:
        description = f"{type(error).__name__}: {error}"
        backend = deliver.get_backend()
        if is_permanent(error) or mail.attempts > len(RETRY_DELAYS) or not backend.supports_defer:
            _finish(mail, SentMail.Status.FAILED, description)
            logger.error(
                "mail %s (%s) to %s given up after %d attempt(s): %s",
                mail.pk, mail.kind, ", ".join(mail.recipient_list), mail.attempts, description,
            )  # fmt: skip
            return mail.status
        mail.status = SentMail.Status.RETRYING
        mail.last_error = description
        mail.next_attempt_at = mail.last_attempt_at + RETRY_DELAYS[mail.attempts - 1]
        with transaction.atomic():
            mail.save()
            deliver.using(run_after=mail.next_attempt_at).enqueue(mail.pk)
        logger.warning(
            "mail %s (%s) attempt %d failed, next at %s: %s",
            mail.pk, mail.kind, mail.attempts, mail.next_attempt_at.isoformat(),
            error_summary(error),
        )  # fmt: skip
        return mail.status
    except Exception as error:
        # A fault of ours (a bad header, a broken backend): not worth retrying; the task
        # itself is marked failed with the traceback by the worker.
        _finish(mail, SentMail.Status.FAILED, f"{type(error).__name__}: {error}")
        logger.exception("mail %s (%s) could not be built or sent", mail.pk, mail.kind)
        raise
    _finish(mail, SentMail.Status.SENT)
    # Pk and kind name the row; the address stays out of the log (a subscriber's would outlive
    # the list's erasure, distribution.retention).
    logger.info("mail %s (%s) sent", mail.pk, mail.kind)
    return mail.status
