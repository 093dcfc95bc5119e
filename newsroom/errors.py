"""Error pages of the whole site."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

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
