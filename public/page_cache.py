"""The page cache in front of Django's request handling: which requests it answers (anonymous
GET and HEAD of the public pages, `is_anonymous()`, `cached_route()`), what it keeps
(`may_store()`), and the single flight of a page that is not kept yet (`PublicPageCacheMiddleware`).
What a page is kept under, and the state of the archive it is kept for, is public/caching.py's;
a hit usually never reaches this module (public/wsgi_hits.py answers it first)."""

from __future__ import annotations

import contextlib
import math
import os
import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, QueryDict
from django.urls import Resolver404, ResolverMatch, get_urlconf, resolve
from django.utils import translation
from django.utils.cache import cc_delim_re
from django.utils.encoding import escape_uri_path
from django.utils.module_loading import import_string

from press.links import link

from .caching import (
    CACHED_METHODS,
    CACHED_NAMESPACE,
    CACHED_STATUSES,
    PLAIN_PAGE_NUMBER,
    STAFF_COOKIE,
    STAFF_SALT,
    STAFF_SECONDS,
    CacheUnavailable,
    page_key,
    public_cache,
)
from .stored_pages import from_stored

# The search's query parameter (public.views.SearchView): on any other public page it leads
# to the search rather than being dropped like other unknown parameters.
SEARCH_PARAMETER = "q"


def is_anonymous(request: HttpRequest) -> bool:
    """True unless the request carries a staff marker signed by this site within STAFF_SECONDS
    (HMAC with SECRET_KEY; no database). A session cookie alone does not count: anyone can
    make one up."""
    marker = request.get_signed_cookie(
        STAFF_COOKIE, default=None, salt=STAFF_SALT, max_age=STAFF_SECONDS
    )
    return marker is None


def may_store(response: HttpResponse) -> bool:
    cache_control = {
        directive.strip().lower()
        for directive in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return (
        response.status_code in CACHED_STATUSES
        and not response.streaming
        and not response.cookies
        and not cache_control & {"private", "no-store", "no-cache"}
    )


def query_parameters(match: ResolverMatch) -> frozenset[str]:
    """The query parameters a public view reads: its `query_parameters` attribute (on the
    class of a class-based view), none if it has none."""
    view = getattr(match.func, "view_class", match.func)
    return frozenset(getattr(view, "query_parameters", ()))


# What a hit needs from the URL resolver, per process: path -> the query parameters its view
# reads, or None for a path outside CACHED_NAMESPACE (or none at all). The URLconf does not
# change while a process runs; the bound keeps made-up paths from filling memory.
ROUTES_KEPT = 10_000
_routes: dict[tuple[str, str], frozenset[str] | None] = {}


def cached_route(path_info: str) -> frozenset[str] | None:
    """The query parameters the public page at `path_info` reads, None if the path is not a
    cached public page. resolve() once per path and URLconf in this process."""
    memo = (get_urlconf() or settings.ROOT_URLCONF, path_info)
    try:
        return _routes[memo]
    except KeyError:
        pass
    try:
        match = resolve(path_info)
    except Resolver404:
        route = None
    else:
        route = query_parameters(match) if CACHED_NAMESPACE in match.namespaces else None
    if len(_routes) >= ROUTES_KEPT:
        _routes.clear()
    _routes[memo] = route
    return route


def known_route(path_info: str) -> frozenset[str] | None:
    """What cached_route() found for `path_info` in this process under the default URLconf,
    None if it is not a cached public page or was not asked yet (no resolve() here)."""
    return _routes.get((settings.ROOT_URLCONF, path_info))


def rendering_key(key: str) -> str:
    """The lock under which one request renders the page kept under `key`."""
    return f"{key}:rendering"


def log_render(request: HttpRequest) -> None:
    """One line "<pid>\t<time.time()>\t<full path>" per page render, appended to the file
    settings.PUBLIC_CACHE_RENDER_LOG names (nothing when it is empty); read by
    scripts/bench_burst.py. One write call per line: lines of concurrent workers do not mix."""
    if settings.PUBLIC_CACHE_RENDER_LOG:
        line = f"{os.getpid()}\t{time.time()}\t{request.get_full_path()}\n"
        with open(settings.PUBLIC_CACHE_RENDER_LOG, "a", encoding="utf-8") as log:
            log.write(line)


def public_page_chain(middleware: list[str]):
    """The request handling of an anonymous request for a public page: `middleware` (dotted
    paths, outermost first: settings.PUBLIC_PAGE_MIDDLEWARE) around Django's view handling
    (URL resolution, view and template-response middleware, the error views), built as
    `BaseHandler.load_middleware()` builds settings.MIDDLEWARE, for synchronous middleware.
    Returns a callable request -> response.

    Such a request never has a session, a user, messages, a form to protect or a log-in to
    lock out (`is_anonymous()`; its session cookie is dropped), so the middleware for those
    is left out. Measured 2026-12-02 (20,000 articles on PostgreSQL, page cache off,
    scripts/instructions.py), together with the policy header built once
    (newsroom.middleware), million instructions per request: index 4.2 -> 3.6, topic page
    4.8 -> 4.3, article 3.7 -> 3.1, search asked again 5.6 -> 4.6; each alone, in Django's test
    client, took about half of that off a render of `/` (1.18 -> 1.11 and 1.09 ms)."""
    handler = BaseHandler()
    handler._view_middleware, handler._template_response_middleware = [], []
    handler._exception_middleware = []
    chain = convert_exception_to_response(handler._get_response)
    for path in reversed(middleware):
        instance = import_string(path)(chain)
        if hasattr(instance, "process_view"):
            handler._view_middleware.insert(0, instance.process_view)
        if hasattr(instance, "process_template_response"):
            handler._template_response_middleware.append(instance.process_template_response)
        if hasattr(instance, "process_exception"):
            handler._exception_middleware.append(instance.process_exception)
        chain = convert_exception_to_response(instance)
    return chain


class PublicPageCacheMiddleware:
    """Answers anonymous GET and HEAD requests for public pages from the cache. Placed before
    the session and locale middleware: a hit costs two cache reads (the state, the page), no
    SQL query and no URL resolution after the first request for its path in the process.
    Also sends a public page's address with unknown query parameters to the address without
    them (with a search query, `?q=`, to the search for it), and sets or deletes the staff
    marker on the responses of log-in and log-out.

    A miss is rendered once (single flight): the first request takes a lock in the shared
    cache (`rendering_key`, expiring after PUBLIC_CACHE_RENDER_WAIT_SECONDS so that a killed
    worker cannot hold it), renders and stores; requests for the same key meanwhile, in any
    worker, poll the cache for the page up to PUBLIC_CACHE_RENDER_WAIT_SECONDS and render it
    themselves if the wait runs out or the page was not one to keep (a 404, say). The key
    holds the state, so a waiting request never gets a page of an older one."""

    # Polling while another request renders: short at first (a page renders in tens of ms).
    POLL_SECONDS = (0.005, 0.01, 0.02, 0.05)

    def __init__(self, get_response):
        self.get_response = get_response
        self.public_response = public_page_chain(settings.PUBLIC_PAGE_MIDDLEWARE)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.answer(request)
        marker = getattr(request, "staff_marker", None)
        if marker is True:
            response.set_signed_cookie(
                STAFF_COOKIE, "1", salt=STAFF_SALT, max_age=STAFF_SECONDS, httponly=True,
                secure=settings.SESSION_COOKIE_SECURE, samesite="Lax",
            )  # fmt: skip
        elif marker is False:
            response.delete_cookie(STAFF_COOKIE, samesite="Lax")
        return response

    def answer(self, request: HttpRequest) -> HttpResponse:
        if request.method not in CACHED_METHODS:
            return self.get_response(request)
        known = cached_route(request.path_info)
        if known is None:
            return self.get_response(request)
        request.get_host()  # an unknown host is a 400 (DisallowedHost), cached page or not
        unknown = set(request.GET) - known
        if SEARCH_PARAMETER in unknown and request.GET[SEARCH_PARAMETER].strip():
            # "/?q=Jobcenter" is how people and tools guess at a site's search: send them there.
            query = QueryDict(mutable=True)
            query[SEARCH_PARAMETER] = request.GET[SEARCH_PARAMETER]
            return HttpResponsePermanentRedirect(f"{link('press:search')}?{query.urlencode()}")
        if unknown:
            params = request.GET.copy()
            for name in unknown:
                del params[name]
            query = params.urlencode()
            return HttpResponsePermanentRedirect(
                escape_uri_path(request.path) + (f"?{query}" if query else "")
            )
        if not is_anonymous(request):
            return self.get_response(request)
        # Public pages never read a session; a session cookie that nobody checks costs nothing.
        request.COOKIES.pop(settings.SESSION_COOKIE_NAME, None)
        if not settings.PUBLIC_CACHE_SECONDS:
            return self.render(request)
        try:
            state = public_cache.version()
        except (CacheUnavailable, DatabaseError):
            # The cache fails: the page is made without it. No database to tell whether an
            # embargo has ended: the view answers (with the 503 page, when it is down).
            return self.render(request)
        language = translation.get_language_from_request(request)
        key = page_key(state, language, request.path, request.GET)
        response = public_cache.get_page(key)
        if response is not None:
            return response
        return self.render_once(request, key, state)

    def render_once(self, request: HttpRequest, key: str, state: str) -> HttpResponse:
        """The page for `key`, rendered by this request or, if another one is rendering it
        (in any worker), taken from the cache once that one has stored it."""
        lock = rendering_key(key)
        wait = settings.PUBLIC_CACHE_RENDER_WAIT_SECONDS
        try:
            # Whole seconds: Redis keeps no shorter expiry.
            won = public_cache._call("add", lock, os.getpid(), max(1, math.ceil(wait)))
        except CacheUnavailable:
            return self.render(request, state)
        if won:
            try:
                # Stored between this request's miss and its lock: no second render.
                return public_cache.get_page(key) or self.render_and_store(request, key, state)
            finally:
                with contextlib.suppress(CacheUnavailable):
                    public_cache._call("delete", lock)
        return self.wait_for(key, lock, wait) or self.render_and_store(request, key, state)

    def wait_for(self, key: str, lock: str, wait: float) -> HttpResponse | None:
        """The page another request is rendering under `lock`, once stored; None when the
        lock is gone without a page (it was not one to keep), after `wait` seconds, or when
        the cache fails."""
        deadline = time.monotonic() + wait
        attempt = 0
        while time.monotonic() + self.POLL_SECONDS[attempt] <= deadline:
            time.sleep(self.POLL_SECONDS[attempt])
            attempt = min(attempt + 1, len(self.POLL_SECONDS) - 1)
            try:
                found = public_cache._call("get_many", [key, lock])
            except CacheUnavailable:
                return None
            if key in found:
                return from_stored(found[key])  # None for an earlier format: rendered anew
            if lock not in found:
                # Released: stored meanwhile (between the two reads of a backend without an
                # atomic get_many), or not a page to keep.
                return public_cache.get_page(key)
        return None

    def render_and_store(self, request: HttpRequest, key: str, state: str) -> HttpResponse:
        response = self.render(request, state)
        page = request.GET.get("page")
        if may_store(response) and (page is None or PLAIN_PAGE_NUMBER.fullmatch(page)):
            public_cache.store_page(key, response)
        return response

    def render(self, request: HttpRequest, state: str | None = None) -> HttpResponse:
        """The view's answer for a public page, noted in the render log, made in the state of
        the archive `state` (the one its key names), or the first the view reads
        (`PublicCache.pinned()`)."""
        log_render(request)
        # What AuthenticationMiddleware, left out here, would find: the session cookie is gone.
        request.user = AnonymousUser()
        with public_cache.pinned(state):
            return self.public_response(request)
