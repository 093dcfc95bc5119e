"""Security notices to a person about their own account: a second-factor device added or
removed, roles or password changed. They tell the person what happened so that a change they
did not make is noticed (issue 12, "separation of duties").

Every notice goes through `notify_account()`; the mail pipeline (`mailing`) decides how it
leaves.
"""

from __future__ import annotations

import logging

from django.conf import settings

from mailing.outbox import send_later

logger = logging.getLogger("newsroom.security")


def notify_account(user, subject: str, body: str) -> None:
    """Tell `user` (a django.contrib.auth User) by e-mail that `subject` happened to their
    account, and log it on the "newsroom.security" logger. A user without an address is only
    logged. `subject` and `body` are plain text in the user's language (German by default).
    The mail is queued (`mailing.outbox.send_later`) and sent by the task worker, never inside
    the request."""
    logger.info("account notice to user %s: %s", user.pk, subject)
    if not user.email:
        return
    send_later(user.email, f"[{settings.SITE_NAME}] {subject}", body, kind="account_notice")
