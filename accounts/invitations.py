"""Invitations (issue 13, Accounts): Administration adds a colleague by name and e-mail
address, and the colleague chooses the password through a one-time link. Nobody else ever sees
or chooses it.

A new account starts with an unusable password; the invitation mail (through
`mailing.outbox.send_later`) carries a link to `/konto/einladung/<uid>/<token>/`, where the
person sets the first password. The token is Django's password-reset token
(`PasswordResetTokenGenerator`: HMAC over the account's id, password hash, last log-in and
e-mail address and the time it was made) under its own salt, so a reset link opens no invitation
page and an invitation no reset page. It expires after `INVITATION_VALID` (3 days) and is used
up by the password it sets: the hash it was made over is gone. The page serves only accounts that
are active and have no usable password yet: once a password is set, it changes only through the
person's own reset or password change.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.formats import date_format
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mailing.outbox import send_later

INVITATION_VALID = timedelta(days=3)


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token under the salt of invitations, valid for `INVITATION_VALID`
    whatever PASSWORD_RESET_TIMEOUT says (which governs the reset links)."""

    key_salt = "accounts.invitations.InvitationTokenGenerator"

    def check_token(self, user, token: str | None) -> bool:
        """Whether `token` was made for `user` as it is now, by this generator, within
        `INVITATION_VALID`. (Django's check, with our own limit in place of the setting.)"""
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        # base36_to_int accepts at most 13 digits; a later time than now is no valid token.
        age = self._num_seconds(self._now()) - timestamp
        if not 0 <= age <= INVITATION_VALID.total_seconds():
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_tokens = InvitationTokenGenerator()


def may_be_invited(user) -> bool:
    """An invitation is for an active account that has no password yet."""
    return user.is_active and not user.has_usable_password() and bool(user.email)


def invitation_link(user) -> str:
    """The absolute set-password link for `user`, on SITE_URL."""
    path = reverse(
        "invitation_set_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_tokens.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def send_invitation(user, by) -> bool:
    """Queue the invitation mail to `user` (a User that `may_be_invited`), sent on behalf of
    `by` (the User inviting). Returns False, sending nothing, for an account that may not be
    invited. The mail is in the active language (the inviter's; German by default)."""
    if not may_be_invited(user):
        return False
    valid_until = timezone.localtime() + INVITATION_VALID
    send_later(
        user.email,
        f"[{settings.SITE_NAME}] " + gettext("Einladung: Passwort festlegen"),
        gettext(
            "Guten Tag %(name)s,\n\n"
            "%(by)s hat für Sie ein Konto bei %(site)s angelegt. Ihr Benutzername: %(username)s\n\n"
            "Bitte legen Sie Ihr Passwort über diesen Link fest:\n\n%(link)s\n\n"
            "Der Link gilt 3 Tage (bis %(until)s) und nur einmal. Ist er abgelaufen, bitten Sie "
            "die Administration, die Einladung erneut zu senden.\n\n"
            "Danach melden Sie sich hier an: %(login)s\n\n"
            "Wenn Sie kein Konto erwartet haben, können Sie diese E-Mail ignorieren.\n\n"
            "%(site)s"
        )
        % {
            "name": user.get_full_name() or user.get_username(),
            "by": by.get_full_name() or by.get_username(),
            "site": settings.SITE_NAME,
            "username": user.get_username(),
            "link": invitation_link(user),
            "until": date_format(valid_until, "DATETIME_FORMAT"),
            "login": f"{settings.SITE_URL}{reverse('admin:login')}",
        },
        kind="invitation",
    )
    return True


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """`/konto/einladung/<uidb64>/<token>/`: the invited person sets the first password.
    Django's reset-confirm view (the token moves into the session before the form is shown, so
    it leaks through no Referer), with the invitation's tokens and only for accounts that
    `may_be_invited`."""

    token_generator = invitation_tokens
    template_name = "registration/invitation_set_password.html"
    success_url = reverse_lazy("invitation_done")
    title = _("Passwort festlegen")

    def get_user(self, uidb64: str):
        user = super().get_user(uidb64)
        return user if user is not None and may_be_invited(user) else None


class SetPasswordDoneView(auth_views.PasswordResetCompleteView):
    """The page after the first password is set: a link to the log-in."""

    template_name = "registration/invitation_done.html"
    title = _("Passwort festgelegt")
