"""Second factor for the admin: TOTP (authenticator apps) with django-otp.

Who needs it is decided by two_factor_required(): the roles' RolePolicy, or a device of one's
own. Such a user, once logged in with the password, reaches nothing behind the log-in (the
admin, the account pages under /konto/) but these pages until the session is verified:
`setup` (scan a QR code, confirm with a first code) if no device is confirmed yet, `verify`
otherwise. django-otp throttles wrong codes per device. A set-up ends with ten backup codes
(accounts.backup_codes), each of which the verify page accepts once instead of the app's code.
"""

from __future__ import annotations

from io import BytesIO

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import backup_codes


def two_factor_required(user) -> bool:
    """A second factor is required of users whose role demands it (`RolePolicy`) and of
    everyone who has set one up (an optional factor that could be skipped would protect
    nothing). One query."""
    if not (user and user.is_authenticated):
        return False
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .filter(Q(groups__policy__requires_two_factor=True) | Q(totpdevice__confirmed=True))
        .exists()
    )


# What a user who still owes the second factor may reach: what an anonymous visitor sees anyway
# (the public site with its feeds and sitemap, /healthz, static files and media, which do not
# depend on who asks), these pages, and the ways out. Everything else waits for the code, the
# admin as much as the account pages of django.contrib.auth (/konto/password_change/): deny by
# default, so that a page added later is guarded as well.
OPEN_NAMESPACES = {"press"}
OPEN_VIEWS = {
    "two_factor_verify",
    "two_factor_setup",
    "logout",
    "admin:logout",
    "admin:login",  # log in as someone else
    "admin:jsi18n",
    "set_language",
    "healthz",
}


def _is_open(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is not None and (
        OPEN_NAMESPACES & set(match.namespaces) or match.view_name in OPEN_VIEWS
    ):
        return True
    prefixes = tuple(
        url for url in (settings.STATIC_URL, settings.MEDIA_URL) if url and url.startswith("/")
    )
    return bool(prefixes) and request.path_info.startswith(prefixes)


def owes_second_factor(request: HttpRequest) -> bool:
    """Whether the user of `request` (after OTPMiddleware) has logged in with the password but
    not yet with the second factor that `two_factor_required()` asks of them."""
    user = getattr(request, "user", None)
    return (
        user is not None
        and user.is_authenticated
        and not user.is_verified()
        and two_factor_required(user)
    )


class TwoFactorMiddleware:
    """After OTPMiddleware: a user who owes the second factor reaches nothing but the pages in
    OPEN_NAMESPACES and OPEN_VIEWS; any other request, GET or POST, is redirected to the code
    page (or the set-up, without a confirmed device) and comes back afterwards."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        # Here, not in __call__, to decide by the resolved view rather than by path prefixes.
        if _is_open(request) or not owes_second_factor(request):
            return None
        target = "two_factor_verify"
        if not TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists():
            target = "two_factor_setup"
        query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(target)}?{query}")


class TokenForm(forms.Form):
    """A code of `device`; with `backup_codes=True` also one of the user's backup codes
    (eight letters and digits; used up by this check)."""

    token = forms.CharField(
        label=_("Einmalcode"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("Die sechsstellige Zahl, die Ihre Authenticator-App gerade anzeigt."),
    )

    def __init__(self, device: TOTPDevice, *args, backup_codes: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.backup_codes = backup_codes
        if backup_codes:
            self.fields["token"].help_text = _(
                "Die sechsstellige Zahl, die Ihre Authenticator-App gerade anzeigt, oder einer "
                "Ihrer Notfallcodes (acht Zeichen)."
            )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if self.backup_codes and backup_codes.is_backup_code(token.lower()):
            # A backup code is checked against the backup codes only, so that it counts as no
            # failure of the app's device (django-otp throttles each device on its own).
            self.device = self._verify_backup_code(token.lower())
            if self.device is not None:
                return token
        elif self.device.verify_token(token):
            return token
        raise forms.ValidationError(
            _("Der Code stimmt nicht oder ist abgelaufen. Bitte den aktuellen Code eingeben.")
        )

    @transaction.atomic
    def _verify_backup_code(self, token: str):
        """The user's backup-code device if `token` is one of its codes (then deleted), else
        None. Locked, as django_otp.verify_token does, so a code is used by one request only."""
        device = (
            backup_codes.StaticDevice.objects.select_for_update()
            .filter(user=self.device.user, confirmed=True)
            .first()
        )
        return device if device is not None and device.verify_token(token) else None


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return resolve_url("admin:index")


def _render(request: HttpRequest, template: str, context: dict) -> TemplateResponse:
    return TemplateResponse(
        request,
        template,
        {
            **admin.site.each_context(request),
            "next": _next_url(request),
            "redirect_field_name": REDIRECT_FIELD_NAME,
            **context,
        },
    )


def qr_code_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    # Our own SVG of the otpauth URI: no scripts, no external references.
    return mark_safe(buffer.getvalue().decode().split("?>", 1)[-1])


def setup(request: HttpRequest) -> HttpResponse:
    """Register an authenticator app: show its secret as QR code, confirm with a first code.

    Whoever already has a confirmed device must first prove it (the verify page): otherwise the
    password alone would let anyone enrol a device of their own and pass the second factor."""
    if not request.user.is_authenticated or not request.user.is_staff:
        return HttpResponseRedirect(f"{reverse('admin:login')}?next={request.path}")
    has_device = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists()
    if has_device and not request.user.is_verified():
        query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('two_factor_verify')}?{query}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name=gettext("Authenticator-App"), confirmed=False
        )
    form = TokenForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        backup_codes.make_codes(request)
        query = urlencode({REDIRECT_FIELD_NAME: _next_url(request)})
        return HttpResponseRedirect(f"{reverse('two_factor_backup_codes')}?{query}")
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return _render(
        request,
        "admin/two_factor/setup.html",
        {
            "title": gettext("Zwei-Faktor-Anmeldung einrichten"),
            "form": form,
            "qr_code": qr_code_svg(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        },
    )


def verify(request: HttpRequest) -> HttpResponse:
    """Second step of the log-in for users with a confirmed device."""
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"{reverse('admin:login')}?next={request.path}")
    device = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).first()
    if device is None:
        return HttpResponseRedirect(reverse("two_factor_setup"))
    has_codes = backup_codes.backup_device(request.user) is not None
    form = TokenForm(device, request.POST or None, backup_codes=has_codes)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)  # the app's device, or the backup codes'
        return HttpResponseRedirect(_next_url(request))
    return _render(
        request,
        "admin/two_factor/verify.html",
        {"title": gettext("Anmeldung bestätigen"), "form": form, "has_codes": has_codes},
    )
