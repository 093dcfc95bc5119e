"""The way in: `send_later()` is how every part of the project sends an e-mail."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial

from django.db import transaction
from django_tasks_db import DatabaseBackend

from .models import SentMail
from .tasks import deliver


def send_later(
    to: str | Iterable[str],
    subject: str,
    body: str,
    *,
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
    kind: str = "mail",
) -> SentMail:
    """Queue one e-mail and return at once; the task worker (`manage.py db_worker`) sends it
    over the configured EMAIL_BACKEND, retrying on SMTP errors (`mailing.tasks.deliver`).

    `to`: one address or several (all of them in the To header of one message), each as
    Django's `send_mail()` accepts it ("name@example.org" or "Name <name@example.org>").
    `subject`, `body`: plain text; `html`: an optional HTML alternative of the same text
    (multipart/alternative, RFC 2046 §5.1.4); `headers`: extra header fields, e.g.
    {"List-Unsubscribe": "<https://…>"} (RFC 2369, RFC 8058). `kind` names the sort of mail in the
    log ("password_reset", "account_notice", …). From is DEFAULT_FROM_EMAIL.

    Returns the `SentMail` record, status "queued". Raises ValueError without recipients, and
    django.core.mail.BadHeaderError (a ValueError) for a line break in the subject, an address
    or a header: that is checked here, where the caller can still act on it.

    With the database task backend, the record and its task are written in the caller's
    transaction, so a request that is rolled back sends nothing; another backend is handed the
    task once the transaction commits."""
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients:
        raise ValueError("send_later() needs at least one recipient.")
    mail = SentMail(
        kind=kind,
        recipients="\n".join(recipients),
        subject=subject,
        body=body,
        html=html or "",
        headers=dict(headers or {}),
    )
    # Building the MIME message checks every header for line breaks (header injection).
    mail.message().message()
    mail.save()
    if isinstance(deliver.get_backend(), DatabaseBackend):
        deliver.enqueue(mail.pk)
    else:
        transaction.on_commit(partial(deliver.enqueue, mail.pk))
    return mail
