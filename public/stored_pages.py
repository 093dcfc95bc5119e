"""How a public page is kept in the page cache: a plain value, not an HttpResponse.

A page is kept as `(status code, reason phrase, [(header, value), …], body bytes)`: the
headers as the response carried them when it left PublicPageCacheMiddleware (Content-Length,
Content-Security-Policy, Vary, …; never a cookie, public.page_cache.may_store sees to that).
Unpickling a tuple of str and bytes is cheaper than unpickling an HttpResponse, and the WSGI
fast path (public/wsgi_hits.py) sends it as it is; only Django's path (the middleware) makes
an HttpResponse from it again.

A value of any other shape, such as an HttpResponse kept before this format (a deploy does
not empty the cache), counts as no page: the page is rendered and kept anew.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse

# (status code, reason phrase, [(header, value), …], body)
StoredPage = tuple[int, str, list[tuple[str, str]], bytes]


def to_stored(response: HttpResponse) -> StoredPage:
    """The value to keep for `response`, a non-streaming HttpResponse without cookies."""
    return (response.status_code, response.reason_phrase, list(response.items()), response.content)


def stored(value: Any) -> StoredPage | None:
    """`value` read from the cache if it is a page kept by to_stored(), else None (nothing
    there, or a value of an earlier format)."""
    return value if type(value) is tuple and len(value) == 4 else None


def from_stored(value: Any) -> HttpResponse | None:
    """An HttpResponse with the status, reason, headers and body of a kept page (a new one
    each time: the caller may add headers and cookies), None where stored() finds no page."""
    page = stored(value)
    if page is None:
        return None
    status, reason, headers, body = page
    return HttpResponse(body, status=status, reason=reason, headers=dict(headers))
