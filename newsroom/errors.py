"""Error pages of the whole site."""

from __future__ import annotations

import sys

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template import loader


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a missing database is 503 'try again' (with `Retry-After: 60`), anything
    else 500. Rendered without context processors or queries: whatever failed may fail again."""
    if isinstance(sys.exc_info()[1], DatabaseError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "60"
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)
