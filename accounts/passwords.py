"""The password reset (issue 12, item 3): an answer that does not tell whether an address is
registered, and a limit on how often anyone can ask.

The request only checks the limits and queues one task (`send_reset_links`), whatever the
address: it looks up no account, renders no mail and talks to no SMTP server, so a registered
and an unknown address cost the same work and get the same answer (a redirect to the "mail
sent" page). The worker finds the accounts and sends the links through the mail pipeline
(`mailing.outbox.send_later`).

Limits (settings, defaults in brackets): PASSWORD_RESET_LIMIT_PER_ADDRESS (3) requests for one
e-mail address and PASSWORD_RESET_LIMIT_PER_CLIENT (10) from one client address within
PASSWORD_RESET_WINDOW_SECONDS (3600); more are answered 429 Too Many Requests (RFC 6585 §4)
with the form and a German message. The counters live in the Django cache (`add` then `incr`,
atomic on Redis), one fixed window from the first request. The client address is
`accounts.proxy.client_ip()`, the one our own proxy saw.
"""

from __future__ import annotations

import hashlib
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseRedirect
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from mailing.outbox import send_later

from .proxy import client_ip

logger = logging.getLogger("newsroom.security")

TOO_MANY = _(
    "Zu viele Anfragen zum Zurücksetzen des Passworts. Bitte versuchen Sie es in "
    "%(minutes)d Minuten noch einmal."
)


def _count(key: str, window: int) -> int:
    """Add one request to the counter `key` and return the new count; the counter starts with
    the first request and lasts `window` seconds."""
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:
        # Evicted or expired between add and incr: this request opens a new window.
        cache.set(key, 1, window)
        return 1


def within_limits(request, email: str) -> bool:
    """Count this request for its client and for `email` (case-insensitive) and say whether
    both are within their limits. A client over its limit is not counted for the address. A
    cache that cannot be used lets the request through (logged): the reset must keep working
    when the cache is degraded."""
    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    address = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
    try:
        if _count(f"password-reset:client:{client_ip(request)}", window) > (
            settings.PASSWORD_RESET_LIMIT_PER_CLIENT
        ):
            return False
        return _count(f"password-reset:address:{address}", window) <= (
            settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
        )
    except Exception:
        logger.warning("password reset limits not checked: cache unavailable", exc_info=True)
        return True


class PasswordResetView(auth_views.PasswordResetView):
    """`/admin/password_reset/`: Django's form, with the limits, and the mail left to the
    worker."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"]
        if not within_limits(self.request, email):
            window = settings.PASSWORD_RESET_WINDOW_SECONDS
            form.add_error("email", TOO_MANY % {"minutes": max(1, window // 60)})
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(window)
            return response
        send_reset_links.enqueue(email, translation.get_language())
        return HttpResponseRedirect(self.get_success_url())


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, whose mails go through the mail pipeline."""

    sent = 0

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html = None
        if html_email_template_name:
            html = loader.render_to_string(html_email_template_name, context)
        send_later(to_email, subject, body, html=html, kind="password_reset")
        self.sent += 1


@task()
def send_reset_links(email: str, language: str | None = None) -> int:
    """Worker side of the reset: queue a reset link for every active account with a usable
    password and this e-mail address (Django's `PasswordResetForm.get_users()`), in `language`
    (the requester's, default LANGUAGE_CODE), with links on SITE_URL. Returns how many."""
    form = QueuedPasswordResetForm({"email": email})
    if not form.is_valid():
        return 0
    site = urlsplit(settings.SITE_URL)
    with translation.override(language or settings.LANGUAGE_CODE):
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            extra_email_context={"site_name": settings.SITE_NAME},
        )
    return form.sent
