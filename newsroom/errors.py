"""Error pages of the whole site; in the admin, a refusal (403) in the admin's own design."""

from __future__ import annotations

import sys

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template import loader
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.csrf import csrf_failure as django_csrf_failure

# The database cannot be reached or has gone away (PEP 249: OperationalError for a lost
# connection or a server shutting down, InterfaceError for a connection already closed).
# Everything else the database refuses (DataError, InternalError, IntegrityError,
# ProgrammingError) is a fault of the request or of our code: saying "try again" would hide it.
UNAVAILABLE = (OperationalError, InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database out of reach is 503 'try again' (with `Retry-After: 60`),
    anything else 500. Rendered without context processors or queries: whatever failed may
    fail again."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "60"
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)


STALE_FORM = _(
    "Das Formular war nicht mehr gültig, zum Beispiel weil Sie sich inzwischen neu angemeldet "
    "haben. Bitte öffnen Sie die Seite neu und geben Sie Ihre Änderungen noch einmal ein."
)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler403: a refusal inside the admin is a page of the admin (its header, menu and a
    way back to the start page), anywhere else a page of the public site. The refusal's own
    sentence (PermissionDenied("…"), e.g. the workflow's "Dafür fehlt Ihnen die Berechtigung.")
    is shown; our refusals are written for the person reading them."""
    reason = str(exception) if exception is not None else ""
    if request.path_info.startswith(reverse("admin:index")):
        context = {
            **admin.site.each_context(request),
            "title": _("Zugriff verweigert"),
            "reason": reason,
        }
        return TemplateResponse(request, "admin/403.html", context, status=403).render()
    return HttpResponseForbidden(loader.render_to_string("403.html", request=request))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form the CSRF check refuses (403). In the admin this is mostly a
    form from a tab opened before the last log-in, whose token no longer counts; its page
    says so in the admin's design. Elsewhere Django's own page. `reason` is Django's
    technical reason (django.middleware.csrf), not shown to people."""
    if request.path_info.startswith(reverse("admin:index")):
        return permission_denied(request, PermissionDenied(STALE_FORM))
    return django_csrf_failure(request, reason)
