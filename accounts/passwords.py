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
with the form and a German message. The counting is `newsroom.clients.within_limits()`, shared
with the distribution list's subscription form: counters in the Django cache, one fixed window
from the first request, the client address the one our own proxy saw.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponse, HttpResponseRedirect
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from mailing.outbox import send_later
from newsroom.clients import Limits, within_limits

TOO_MANY = _(
    "Zu viele Anfragen zum Zurücksetzen des Passworts. Bitte versuchen Sie es in "
    "%(minutes)d Minuten noch einmal."
)


def reset_limits() -> Limits:
    """The password reset's limits, from the settings."""
    return Limits(
        scope="password-reset",
        per_client=settings.PASSWORD_RESET_LIMIT_PER_CLIENT,
        per_address=settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
        window=settings.PASSWORD_RESET_WINDOW_SECONDS,
    )


class PasswordResetView(auth_views.PasswordResetView):
    """`/admin/password_reset/`: Django's form, with the limits, and the mail left to the
    worker."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"]
        limits = reset_limits()
        if not within_limits(self.request, email, limits):
            form.add_error("email", TOO_MANY % {"minutes": limits.minutes})
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(limits.window)
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
