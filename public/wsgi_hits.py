"""A cheap hit (issue 17): the WSGI application answers a request for a public page that is in
the page cache before Django builds a request, sends request_started/finished and runs the
middleware; every other request goes to Django unchanged. A speed trick, kept in this one
module; the rules stay those of public.caching, which stores the pages and decides what a key
is. The fast path answers only when each of them is known to hold, and otherwise leaves the
request to Django, which then applies them in full:

- GET or HEAD, no staff marker cookie (its name anywhere in the Cookie header is enough to go
  to Django, which checks the signature), the page cache on, no SCRIPT_NAME;
- a host the site accepts (`validate_host` with ALLOWED_HOSTS, as `HttpRequest.get_host()`;
  otherwise Django answers 400), over HTTPS when SECURE_SSL_REDIRECT is on (otherwise
  SecurityMiddleware redirects), the scheme read as Django reads it (SECURE_PROXY_SSL_HEADER);
- a path this process has already resolved to a public page (`public.caching.known_route`, so
  no resolve() here) and only the query parameters its view reads (otherwise Django redirects);
- the state of the archive known from the cache without a database query, and the page kept
  under the key Django would compute (`public.caching.page_key`, the same language rules).

The page is stored as it leaves PublicPageCacheMiddleware, with the headers of the middleware
inside it (Content-Security-Policy, X-Frame-Options, Content-Length); the headers of
SecurityMiddleware, which runs outside it, are added here by SecurityMiddleware itself
(`process_response`), as on every response Django sends.

Measured on 2026-11-30 (demo archive on SQLite, diskcache, DEBUG off; a cached index of 12.8 kB
requested through `newsroom.wsgi.application` with a prepared environ in a loop, instructions
counted by valgrind's callgrind, 200 hits minus none):

    Django's path, before issue 17 (three cache reads, resolve() on every hit)   1.11 M
    Django's path, one get_many for the state, resolve() once per path            see README
    this fast path                                                                see README
"""

from __future__ import annotations

from django.conf import settings
from django.core.handlers.wsgi import get_path_info, get_script_name
from django.http import QueryDict
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.middleware.security import SecurityMiddleware
from django.utils import translation

from .caching import STAFF_COOKIE, CacheUnavailable, known_route, page_key, public_cache

FAST_METHODS = {"GET", "HEAD"}


class _Secure:
    """The one thing SecurityMiddleware.process_response asks of a request."""

    __slots__ = ("secure",)

    def __init__(self, secure: bool) -> None:
        self.secure = secure

    def is_secure(self) -> bool:
        return self.secure


class _LanguageSource:
    """What translation.get_language_from_request reads: the cookies and the headers."""

    __slots__ = ("COOKIES", "META")

    def __init__(self, environ: dict) -> None:
        cookie = environ.get("HTTP_COOKIE", "")
        self.COOKIES = parse_cookie(cookie) if settings.LANGUAGE_COOKIE_NAME in cookie else {}
        self.META = environ


def is_secure(environ: dict) -> bool:
    """HttpRequest.is_secure() for `environ`: the proxy's header when configured and sent,
    else the scheme of the WSGI server."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = environ.get(header)
        if value is not None:
            return value.split(",", 1)[0].strip() == secure_value
    return environ.get("wsgi.url_scheme") == "https"


def accepted_host(environ: dict) -> bool:
    """True if HttpRequest.get_host() would accept the request's host (no DisallowedHost);
    False also where this cannot tell cheaply (X-Forwarded-Host in use, DEBUG's defaults)."""
    host = environ.get("HTTP_HOST")
    if not host or settings.USE_X_FORWARDED_HOST or (settings.DEBUG and not settings.ALLOWED_HOSTS):
        return False
    domain, _ = split_domain_port(host)
    return bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)


class CachedPageApplication:
    """WSGI application: a public page from the page cache when the request qualifies (see
    the module docstring), else `django_application(environ, start_response)`."""

    def __init__(self, django_application) -> None:
        self.django = django_application
        self.security = SecurityMiddleware(lambda request: None)

    def __call__(self, environ: dict, start_response):
        response = self.cached_response(environ)
        if response is None:
            return self.django(environ, start_response)
        status = f"{response.status_code} {response.reason_phrase}"
        start_response(status, list(response.items()))
        return [response.content]

    def cached_response(self, environ: dict):
        """The stored HttpResponse with SecurityMiddleware's headers, or None: to Django."""
        if (
            environ.get("REQUEST_METHOD") not in FAST_METHODS
            or not settings.PUBLIC_CACHE_SECONDS
            or STAFF_COOKIE in environ.get("HTTP_COOKIE", "")
            or get_script_name(environ)
        ):
            return None
        path = get_path_info(environ)
        known = known_route(path)
        if known is None:
            return None
        secure = is_secure(environ)
        if (settings.SECURE_SSL_REDIRECT and not secure) or not accepted_host(environ):
            return None
        query = QueryDict(environ.get("QUERY_STRING", "").encode("latin-1"))
        if not known.issuperset(query):
            return None
        language = translation.get_language_from_request(_LanguageSource(environ))
        try:
            version = public_cache.version(read_embargoes=False)
            if version is None:
                return None
            response = public_cache._call("get", page_key(version, language, path, query))
        except CacheUnavailable:
            return None
        if response is None:
            return None
        return self.security.process_response(_Secure(secure), response)
