"""The public distribution-list pages (/verteiler/): subscribe, confirm, preferences and
unsubscribe. They work without log-in and without JavaScript.

Every page here answers `Cache-Control: private, no-store` (they show a form with a CSRF token
or a person's data; the public page cache only keeps pages of the "press" namespace anyway),
and the personal pages carry `noindex` (`X-Robots-Tag` and the robots meta element).

Unsubscribing follows RFC 8058: the address in the mails' `List-Unsubscribe` header answers a
POST with the body "List-Unsubscribe=One-Click" without a CSRF token or log-in, and GET shows a
page with one button (a GET must never unsubscribe: mail scanners follow links). Confirming is
the same: GET shows a button, POST confirms.

No page here sets a cookie (the privacy page promises that the public pages set none), so the
forms carry no CSRF token and the views are csrf_exempt. That is safe because no request here
acts on ambient authority (no log-in, no session): a forged POST to a personal page needs the
page's token, which is its address, and can do no more than the link in the mail; a forged
subscription request is one anyone can send directly, and is held back by the double opt-in
and the rate limits.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from distribution import subscription
from distribution.forms import PreferencesForm, SubscribeForm
from distribution.models import Subscriber, is_token
from newsroom.clients import Limits, within_limits

TOO_MANY = _("Zu viele Anmeldeversuche. Bitte versuchen Sie es in %(minutes)d Minuten noch einmal.")


def subscribe_limits() -> Limits:
    """The subscription form's limits, from the settings."""
    return Limits(
        scope="distribution-subscribe",
        per_client=settings.DISTRIBUTION_SUBSCRIBE_LIMIT_PER_CLIENT,
        per_address=settings.DISTRIBUTION_SUBSCRIBE_LIMIT_PER_ADDRESS,
        window=settings.DISTRIBUTION_SUBSCRIBE_WINDOW_SECONDS,
    )


def personal(view):
    """For the pages behind a personal link: the subscriber of `token` (404 for an unknown
    one), never stored by a cache, never indexed, the address (with the token) never handed on
    as a Referer."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str) -> HttpResponse:
        # Only what new_token() makes is looked up: a NUL or an overlong value never reaches
        # the database (PostgreSQL refuses NUL in a string).
        subscriber = None
        if is_token(token):
            subscriber = Subscriber.objects.filter(token=token).first()
        if subscriber is None:
            raise Http404
        response = view(request, subscriber)
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
        return response

    return cache_control(private=True, no_store=True)(wrapper)


@csrf_exempt
@cache_control(private=True, no_store=True)
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """The form. A valid request is handled by `subscription.request_subscription()` and
    answered with a redirect to the same neutral page for every address; a filled honeypot
    gets that answer too, with nothing stored; over the limits, 429 with the form."""
    if request.method != "POST":
        return render(request, "distribution/subscribe.html", {"form": SubscribeForm()})
    form = SubscribeForm(request.POST)
    if form.is_bot():
        return redirect("distribution:requested")
    if not form.is_valid():
        return render(request, "distribution/subscribe.html", {"form": form})
    limits = subscribe_limits()
    email = form.cleaned_data["email"]
    if not within_limits(request, email, limits):
        form.add_error(None, TOO_MANY % {"minutes": limits.minutes})
        response = render(request, "distribution/subscribe.html", {"form": form}, status=429)
        response["Retry-After"] = str(limits.window)
        return response
    subscription.request_subscription(
        email,
        name=form.cleaned_data["name"],
        medium=form.cleaned_data["medium"],
        choices=form.choices(),
    )
    return redirect("distribution:requested")


@cache_control(private=True, no_store=True)
@require_http_methods(["GET", "HEAD"])
def requested(request: HttpRequest) -> HttpResponse:
    """The neutral answer after a request, the same for every address."""
    hours = settings.DISTRIBUTION_CONFIRMATION_HOURS
    return render(request, "distribution/requested.html", {"hours": hours})


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@personal
def confirm(request: HttpRequest, subscriber: Subscriber) -> HttpResponse:
    """GET: a page with the button "Anmeldung bestätigen"; POST confirms. An expired link or
    one of an address that has left the list gets a page that says so (410 Gone)."""
    if request.method == "POST":
        confirmed = subscription.confirm(subscriber)
    elif subscriber.state == Subscriber.State.PENDING:
        if subscription.confirmation_expired(subscriber):
            return render(request, "distribution/confirm_expired.html", status=410)
        return render(request, "distribution/confirm.html", {"subscriber": subscriber})
    else:
        confirmed = subscriber.state == Subscriber.State.CONFIRMED
    if confirmed:
        return render(request, "distribution/confirm_done.html", {"subscriber": subscriber})
    return render(request, "distribution/confirm_expired.html", status=410)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@personal
def preferences(request: HttpRequest, subscriber: Subscriber) -> HttpResponse:
    """The subscriber's choices, to change (recorded as CHANGED). Only a confirmed address has
    choices to change; any other gets a page that says so."""
    if subscriber.state != Subscriber.State.CONFIRMED:
        return render(request, "distribution/preferences_inactive.html", status=410)
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm.for_subscriber(subscriber, data)
    saved = False
    if data is not None and form.is_valid():
        subscription.change(
            subscriber,
            choices=form.choices(),
            name=form.cleaned_data["name"],
            medium=form.cleaned_data["medium"],
        )
        saved = True
    context = {"form": form, "subscriber": subscriber, "saved": saved}
    return render(request, "distribution/preferences.html", context)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@personal
def unsubscribe(request: HttpRequest, subscriber: Subscriber) -> HttpResponse:
    """GET: a page with one button; POST (the button, or a mail client's RFC 8058 one-click
    POST) unsubscribes: idempotent, 200 each time. CSRF-exempt, as RFC 8058 §3.2 requires."""
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        method = subscription.VIA_ONE_CLICK if one_click else subscription.VIA_UNSUBSCRIBE_PAGE
        subscription.unsubscribe(subscriber, method=method)
        subscriber.refresh_from_db()
    context = {
        "subscriber": subscriber,
        "token": subscriber.token,
        "retention_days": settings.DISTRIBUTION_RETENTION_DAYS,
    }
    if subscriber.state == Subscriber.State.UNSUBSCRIBED:
        return render(request, "distribution/unsubscribe_done.html", context)
    return render(request, "distribution/unsubscribe.html", context)
