"""Backup codes for the second factor (issue 13, Accounts): ten one-time codes for the day the
phone is lost, with django-otp's static plugin (`StaticDevice` holding `StaticToken`s; a
token is deleted when it is used).

They are made when an authenticator app is set up (`accounts.two_factor.setup`) and again on
request from a verified session, each time replacing the earlier ones; the page shows new codes
once, right after they were made (they wait in the session until then), and afterwards only how
many are left. The verify page accepts one instead of the app's code.

Administration never sees them: django-otp's admin for static devices, which lists the tokens,
is unregistered (accounts.admin).
"""

from __future__ import annotations

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

COUNT = 10
SESSION_KEY = "accounts_new_backup_codes"


def backup_device(user) -> StaticDevice | None:
    """The user's device of backup codes, if they have one."""
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def is_backup_code(token: str) -> bool:
    """Whether `token` (spaces removed) has the shape of a backup code: eight characters of
    base32's alphabet (django-otp's `StaticToken.random_token()`), unlike the app's six
    digits."""
    return len(token) == 8 and all(char in "abcdefghijklmnopqrstuvwxyz234567" for char in token)


@transaction.atomic
def make_codes(request: HttpRequest) -> list[str]:
    """Replace the backup codes of `request.user` with `COUNT` new ones and keep them in the
    session until the codes page has shown them once. Returns the codes."""
    user = request.user
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": gettext("Notfallcodes"), "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    request.session[SESSION_KEY] = codes
    return codes


def codes(request: HttpRequest) -> HttpResponse:
    """`/admin/zwei-faktor/notfallcodes/`: GET shows codes just made (once) or how many are
    left; POST makes new ones. Both need a verified session of a user with an authenticator
    app; without one, the set-up; before the code, the verify page."""
    from .two_factor import _next_url, _render  # the pages of the second factor share them

    if not request.user.is_authenticated or not request.user.is_staff:
        return HttpResponseRedirect(f"{reverse('admin:login')}?next={request.path}")
    if not TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists():
        return HttpResponseRedirect(reverse("two_factor_setup"))
    if not request.user.is_verified():
        query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('two_factor_verify')}?{query}")
    if request.method == "POST":
        make_codes(request)
        return HttpResponseRedirect(
            f"{request.path}?{urlencode({REDIRECT_FIELD_NAME: _next_url(request)})}"
        )
    new = request.session.pop(SESSION_KEY, None)
    device = backup_device(request.user)
    return _render(
        request,
        "admin/two_factor/backup_codes.html",
        {
            "title": gettext("Notfallcodes"),
            "new_codes": new,
            "left": device.token_set.count() if device else 0,
        },
    )
