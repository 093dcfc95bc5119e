"""Error pages of the whole site; in the admin, a refusal (403) in the admin's own design."""

from __future__ import annotations

import sys

from django.contrib import admin
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template import loader
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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
