"""/healthz for the load balancer: is this instance able to answer?

- 200 "ok": the database answers and the shared cache can be written and read;
- 200 with a JSON body naming what is degraded: the database answers, the cache does not
  (pages are made uncached, slower, but correct: public/caching.py). The instance still
  serves, so the load balancer keeps it; monitoring reads the body, e.g.
  {"status": "degraded", "database": "ok", "cache": {"status": "unavailable", "error": "…",
  "errors": 12}};
- 503 "database unavailable": nothing public can be answered.
"""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse

from public.caching import public_cache


def healthz(request: HttpRequest) -> HttpResponse:
    """The state of the database (`SELECT 1`) and of the shared cache (a write and a read);
    see the module docstring for the answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    cache = public_cache.health()
    if cache["status"] != "ok":
        return JsonResponse({"status": "degraded", "database": "ok", "cache": cache})
    return HttpResponse("ok\n", content_type="text/plain")
