"""Security notices sent from model signals, so that no way of making the change escapes them:
a second-factor device confirmed or removed (set-up page, the admin's delete page and list
action, the shell), a password changed (account page, reset link, admin, management command),
an e-mail address changed (told to the old address, or a new address could take the account
over through a reset link with every later notice going to it). A new password also lifts the
log-in lockout of its account (issue 13): the failed attempts were guesses at the old one.

Connected in AccountsConfig.ready(). Each receiver only tells the person through
`accounts.notices.notify_account()`, which also logs the notice (or lifts the lockout); none of
them refuses a change.
"""

from __future__ import annotations

import copy

from axes.utils import reset as reset_lockout
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .notices import notify_account

CONTACT = _(
    "Wenn Sie das nicht selbst veranlasst haben, wenden Sie sich bitte sofort an die "
    "Administration."
)


def _when() -> str:
    return date_format(timezone.localtime(), "DATETIME_FORMAT")


def remember_confirmed(sender, instance, **kwargs) -> None:
    """post_init receiver for TOTPDevice: whether the device was confirmed when loaded, to tell
    a confirmation from a later save of a confirmed device (each code used saves it)."""
    # From __dict__: a deferred field must not cost a query per loaded row.
    instance._was_confirmed = instance.__dict__.get("confirmed")


def device_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """post_save receiver for TOTPDevice: a device that becomes confirmed is a new second factor
    of its owner. (A queryset `update()` sends no signal; nothing here uses one.)"""
    if raw or not instance.confirmed or (instance._was_confirmed and not created):
        return
    instance._was_confirmed = True
    notify_account(
        instance.user,
        gettext("Zwei-Faktor-Anmeldung eingerichtet"),
        gettext(
            "Für Ihr Konto „%(username)s“ wurde am %(when)s ein Gerät für die "
            "Zwei-Faktor-Anmeldung eingerichtet („%(device)s“). Ab jetzt fragt die Anmeldung "
            "nach einem Code dieses Geräts.\n\n%(contact)s"
        )
        % {
            "username": instance.user.get_username(),
            "when": _when(),
            "device": instance.name,
            "contact": CONTACT,
        },
    )


def device_deleted(sender, instance, **kwargs) -> None:
    """post_delete receiver for TOTPDevice: a confirmed device removed (by its owner, by
    Administration for a lost phone, or with the account) is a second factor gone. An abandoned
    set-up (never confirmed) is no news."""
    if not instance.confirmed:
        return
    notify_account(
        instance.user,
        gettext("Zwei-Faktor-Gerät entfernt"),
        gettext(
            "Von Ihrem Konto „%(username)s“ wurde am %(when)s ein Gerät für die "
            "Zwei-Faktor-Anmeldung entfernt („%(device)s“). Bei der nächsten Anmeldung "
            "richten Sie ein neues ein, wenn Ihre Rolle es verlangt.\n\n%(contact)s"
        )
        % {
            "username": instance.user.get_username(),
            "when": _when(),
            "device": instance.name,
            "contact": CONTACT,
        },
    )


def password_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """post_save receiver for the user model: a new password (account page, reset link, the
    admin, `manage.py changepassword`) is told to its owner.

    `set_password()` leaves the new raw password in `_password` until the save has run the
    validators' `password_changed()` hooks (django.contrib.auth.base_user); Django clears it
    before saving a mere re-hash of the same password at log-in, which is no change. A new
    account's first password is no change either, nor is the first one an invited person sets
    (the account had no usable password when loaded)."""
    if raw or created or getattr(instance, "_password", None) is None:
        return
    if not getattr(instance, "_loaded_password_usable", True):
        instance._loaded_password_usable = True
        return
    notify_account(
        instance,
        gettext("Ihr Passwort wurde geändert"),
        gettext(
            "Das Passwort Ihres Kontos „%(username)s“ wurde am %(when)s geändert.\n\n%(contact)s"
        )
        % {"username": instance.get_username(), "when": _when(), "contact": CONTACT},
    )


def remember_email(sender, instance, **kwargs) -> None:
    """post_init receiver for the user model: the address the account was loaded with, and
    whether it had a usable password then (an unusable one starts with "!", as
    django.contrib.auth.hashers.UNUSABLE_PASSWORD_PREFIX)."""
    # From __dict__: a deferred field must not cost a query per loaded row.
    instance._loaded_email = instance.__dict__.get("email")
    password = instance.__dict__.get("password")
    instance._loaded_password_usable = not (password or "").startswith("!")


def password_lifts_lockout(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """post_save receiver for the user model: a new password (reset link, invitation, account
    page, admin) deletes the django-axes attempts recorded for the account's user name, from
    every address, so the person can log in with it at once instead of waiting out the
    lockout. The failures were guesses at the old password; the new one is unguessed. A
    re-hash of the same password at log-in (no `_password`, see `password_saved`) lifts
    nothing."""
    if raw or created or getattr(instance, "_password", None) is None:
        return
    reset_lockout(username=instance.get_username())


def email_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """post_save receiver for the user model: a changed e-mail address is told to the old
    address (a copy of the user carries it to `notify_account()`)."""
    old = getattr(instance, "_loaded_email", None)
    if raw or created or not old or old == instance.email:
        return
    instance._loaded_email = instance.email
    previous = copy.copy(instance)
    previous.email = old
    notify_account(
        previous,
        gettext("Ihre E-Mail-Adresse wurde geändert"),
        gettext(
            "Die E-Mail-Adresse Ihres Kontos „%(username)s“ wurde am %(when)s geändert, auf "
            "„%(email)s“. Mitteilungen und Links zum Zurücksetzen des Passworts gehen ab jetzt "
            "dorthin.\n\n%(contact)s"
        )
        % {
            "username": instance.get_username(),
            "when": _when(),
            "email": instance.email or gettext("keine"),
            "contact": CONTACT,
        },
    )
