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
- a path this process has already resolved to a public page (`public.page_cache.known_route`, so
  no resolve() here) and only the query parameters its view reads (otherwise Django redirects);
- the state of the archive known from the cache without a database query, and the page kept
  under the key Django would compute (`public.caching.page_key`, the same language rules).

The page is stored as it leaves PublicPageCacheMiddleware, with the headers of the middleware
inside it (Content-Security-Policy, X-Frame-Options, Content-Length), as a plain value
(public.stored_pages: status, reason, headers, body) that is sent as it is; the headers of
SecurityMiddleware, which runs outside it, are added here as it adds them to a response that
lacks them: the list is what its `process_response` adds to an empty response, made once.

Measured on 2026-11-30/12-01 (demo archive on SQLite, diskcache in a fresh directory, DEBUG
off; the cached index, 12.8 kB, requested through `newsroom.wsgi.application` with a prepared
environ in a loop; instructions counted by valgrind's callgrind as (start + 200 hits) minus
(start), a figure that does not depend on the load of the machine):

    before issue 17: Django's path, three cache reads, resolve() on every hit   1.15 M per hit
    Django's path now: two cache reads, resolve() once per path and process     0.83 M per hit
    this fast path                                                              0.43 M per hit

The page kept as a plain value instead of a pickled HttpResponse, measured on 2026-12-01 the
same way (over HTTPS, the default with DEBUG off; both trees side by side): the fast path
0.400 -> 0.318 M per hit (-21 %), Django's path (`application.django`) 0.804 -> 0.792 M.

Under gunicorn (sync, 2 workers, wrk -c8 over loopback, the same bytes and headers), on the
shared 2-core machine, alternating runs: a bare WSGI application 1,415 and 2,143 requests/s,
the fast path 926 and 1,231 (57-65 %), the code before issue 17 634 and 969 (45 %). Of the
fast path's hit, about 40 % was the two reads of diskcache (SQLite) and unpickling the page
as an HttpResponse (cProfile); these were measured before the plain value, not since.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.handlers.wsgi import get_path_info
from django.core.signals import setting_changed
from django.http import HttpResponse, QueryDict
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.middleware.security import SecurityMiddleware
from django.utils import translation

from .caching import STAFF_COOKIE, CacheUnavailable, page_key, public_cache
from .page_cache import known_route
from .stored_pages import StoredPage, stored

FAST_METHODS = {"GET", "HEAD"}
EMPTY_QUERY = QueryDict()


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

    def __init__(self, environ: dict, cookie_name: str) -> None:
        cookie = environ.get("HTTP_COOKIE", "")
        self.COOKIES = parse_cookie(cookie) if cookie_name in cookie else {}
        self.META = environ


class Rules:
    """The settings the fast path reads, read once (a lazy setting costs a lookup through
    LazySettings each time) and again whenever a setting changes (setting_changed, sent by
    override_settings)."""

    def __init__(self) -> None:
        self.cache_on = bool(settings.PUBLIC_CACHE_SECONDS)
        self.script_name = settings.FORCE_SCRIPT_NAME
        self.ssl_redirect = settings.SECURE_SSL_REDIRECT
        self.proxy_ssl_header = settings.SECURE_PROXY_SSL_HEADER
        self.language_cookie = settings.LANGUAGE_COOKIE_NAME
        self.forwarded_host = settings.USE_X_FORWARDED_HOST

    def is_secure(self, environ: dict) -> bool:
        """HttpRequest.is_secure() for `environ`: the proxy's header when configured and
        sent, else the scheme of the WSGI server."""
        if self.proxy_ssl_header:
            header, secure_value = self.proxy_ssl_header
            value = environ.get(header)
            if value is not None:
                return value.split(",", 1)[0].strip() == secure_value
        return environ.get("wsgi.url_scheme") == "https"

    def accepted_host(self, environ: dict) -> bool:
        """True if HttpRequest.get_host() would accept the request's host (no DisallowedHost);
        False also where this cannot tell cheaply (X-Forwarded-Host, DEBUG's defaults)."""
        host = environ.get("HTTP_HOST")
        # Read each time: Django's test set-up adds "testserver" without setting_changed.
        allowed = settings.ALLOWED_HOSTS
        if not host or not allowed or self.forwarded_host:
            return False  # X-Forwarded-Host, or DEBUG's default hosts: left to Django
        domain, _ = split_domain_port(host)
        return bool(domain) and validate_host(domain, allowed)


class CachedPageApplication:
    """WSGI application: a public page from the page cache when the request qualifies (see
    the module docstring), else `django_application(environ, start_response)`."""

    def __init__(self, django_application) -> None:
        self.django = django_application
        self.rules = Rules()
        setting_changed.connect(self._settings_changed, weak=False)
        # The headers SecurityMiddleware adds to a response that lacks them, for a secure
        # request and for another (HSTS only over HTTPS): found by letting it add them to an
        # empty response, once.
        security = SecurityMiddleware(lambda request: None)
        self.security_headers = {}
        for secure in (True, False):
            blank = HttpResponse()
            own = set(blank.headers)
            security.process_response(_Secure(secure), blank)
            # Names in lower case, to compare with a page's headers as HTTP does.
            self.security_headers[secure] = [
                (name.lower(), name, value) for name, value in blank.items() if name not in own
            ]

    def _settings_changed(self, **kwargs) -> None:
        self.rules = Rules()

    def __call__(self, environ: dict, start_response):
        found = self.cached_response(environ)
        if found is None:
            return self.django(environ, start_response)
        (status, reason, headers, body), secure = found
        names = {name.lower() for name, _ in headers}
        extra = [
            (name, value)
            for lower, name, value in self.security_headers[secure]
            if lower not in names
        ]
        start_response(f"{status} {reason}", headers + extra)
        return [body]

    def cached_response(self, environ: dict) -> tuple[StoredPage, bool] | None:
        """(the page as kept, public.stored_pages, whether the request is secure), or None:
        to Django."""
        rules = self.rules
        if (
            environ.get("REQUEST_METHOD") not in FAST_METHODS
            or not rules.cache_on
            or STAFF_COOKIE in environ.get("HTTP_COOKIE", "")
            # A path below a prefix: request.path would differ from PATH_INFO (Django's
            # get_script_name() reads these).
            or environ.get("SCRIPT_NAME")
            or environ.get("SCRIPT_URL")
            or environ.get("REDIRECT_URL")
            or rules.script_name is not None
        ):
            return None
        path = get_path_info(environ)
        known = known_route(path)
        if known is None:
            return None
        secure = rules.is_secure(environ)
        if (rules.ssl_redirect and not secure) or not rules.accepted_host(environ):
            return None
        query_string = environ.get("QUERY_STRING", "")
        try:
            query = QueryDict(query_string.encode("latin-1")) if query_string else EMPTY_QUERY
        except SuspiciousOperation:
            return None  # too many parameters (TooManyFieldsSent): Django answers 400
        if not known.issuperset(query):
            return None
        source = _LanguageSource(environ, rules.language_cookie)
        language = translation.get_language_from_request(source)
        try:
            version = public_cache.version(read_embargoes=False)
            if version is None:
                return None
            page = stored(public_cache._call("get", page_key(version, language, path, query)))
        except CacheUnavailable:
            return None
        if page is None:
            return None  # nothing kept, or a page of an earlier format: Django renders it
        return page, secure
