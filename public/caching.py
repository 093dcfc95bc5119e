"""The public cache: whole pages of the archive for anonymous visitors, and the data many pages
share, both never stale, never poisoned by a request, bounded, and never a reason for a page or
a save to fail.

Everything is kept under the *state* of the public archive (`PublicCache.version()`), made of

- a counter that `clear()` moves on whenever something the public sees is saved or deleted
  (public/apps.py lists those models: articles and their topics and photos, photos, topics,
  spokespersons, quotes, press contacts, legal pages; not history rows, authors or log-in
  policies). It moves at once, and again after the transaction has committed, so that a page
  another request rendered meanwhile from the old rows is not found any more. It is kept
  without expiry and moved by the backend's atomic increment; if the cache loses it (evicted,
  restarted), it starts again at a number never used before, so a lost counter retires pages
  and never revives old ones;
- when the next embargo of that counter ends: at the minute a scheduled article becomes due,
  the state changes, with no background process. Every worker computes the same state at
  the same moment, so requests at the release minute share one key (and one render).

What varies a page is in its key: the state, the language, the path and the query parameters
the view reads (`query_parameters` of the view), in one canonical order
(`public.paging.canonical_query`). A request with any other parameter is sent to its address
without them (301), so random query strings cannot fill the cache; a page number that is not
written as a plain number is answered but not kept. The host and the scheme a request names
vary nothing: every absolute address comes from SITE_URL (`public.structured_data.absolute_url`).

Who counts as staff: a browser that holds the signed marker cookie set when someone logs in
(`STAFF_COOKIE`, checked by its signature, no database). Every other request, with or without
a session cookie, is answered as the public's: a made-up `sessionid` neither bypasses the
cache nor costs a session lookup, because the session cookie is not passed on to public pages.

A page that is not in the cache is rendered once, however many ask for it at the same moment
(the release minute): the first request takes a lock in the shared cache, the others wait for
the page (PublicPageCacheMiddleware, bounded by PUBLIC_CACHE_RENDER_WAIT_SECONDS). A cached
page is answered before Django's request handling (public/wsgi_hits.py).

The counter and the pages live in Django's default cache, which all worker processes share (a
diskcache directory without CACHE_URL, Redis with it); a per-process cache would let one
worker retire its pages while another still serves them. The small API follows pretix's
NamespacedCache: `version()`, `get_or_set()`, `clear()`.

A cache that fails (a full or read-only directory, Redis gone) degrades to uncached pages: the
error is logged once, counted (`PublicCache.errors`), and the cache is left alone for
RETRY_SECONDS; a clear that could not be written is repeated before the cache is read again.
`/healthz` reports it (`PublicCache.health()`).

An earlier speed trick kept the data of the current state in each worker's memory as well.
Measured on 2026-11-30 (20,000 articles on PostgreSQL, scripts/instructions.py) it saved 3.5 %
of the index and 2.4 % of a topic page, below the 10 % a trick must pay, and is gone.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import logging
import math
import os
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from diskcache import DjangoCache
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, QueryDict
from django.urls import Resolver404, ResolverMatch, get_urlconf, resolve
from django.utils import timezone, translation
from django.utils.cache import cc_delim_re
from django.utils.encoding import escape_uri_path

from press.models import Article

from .paging import canonical_query
from .stored_pages import from_stored, to_stored

logger = logging.getLogger(__name__)

CACHED_STATUSES = {200, 410}
CACHED_METHODS = {"GET", "HEAD"}  # HEAD is answered from the page a GET would get
DATA_SECONDS = 24 * 60 * 60
# The sitemap and the feeds are in this namespace, too; the admin, log-in and /healthz are not.
CACHED_NAMESPACE = "press"
# After a cache error, pages are made without the cache this long before it is tried again:
# a Redis that is gone would otherwise cost each request a connection attempt.
RETRY_SECONDS = 5.0
# fresh_count() is about 1.8e15 now; a counter below this was made by an increment of a lost
# key (Redis INCR starts at 0), a number that may have been used before.
FRESH_FLOOR = 10**15
# `page` as the paginator's links write it; other spellings (01, last) are answered, not kept.
PLAIN_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")

STAFF_COOKIE = "newsroom_staff"
STAFF_SALT = "public.caching.staff"
# The marker outlives no working day; after it, a logged-in browser gets the public's pages.
STAFF_SECONDS = 12 * 60 * 60


class CacheUnavailable(Exception):
    """The shared cache failed just now, or recently (within RETRY_SECONDS)."""


def fresh_count() -> int:
    """Where a counter (re)starts: never a number used before, even after the cache lost the
    counter, since the clock runs faster than anyone edits."""
    return time.time_ns() // 1000


def page_key(version: str, language: str, path: str, query: QueryDict) -> str:
    """The key of the page at `path` (the request's path, with SCRIPT_NAME) with `query` in
    `language` in the state `version`, e.g. 'press:page:<version>:de:<sha256 hex>'."""
    address = f"{path}?{canonical_query(query).urlencode() if query else ''}"
    return f"press:page:{version}:{language}:{hashlib.sha256(address.encode()).hexdigest()}"


class PublicCache:
    """The cache of the public archive. One instance, `public_cache`, per process; its error
    count and state are this process's."""

    COUNTER_KEY = "press:public-version"
    PROBE_KEY = "press:health-probe"
    # The embargoes of the current counter: (counter, [publish_at, …] in order).
    EMBARGO_KEY = "press:embargoes"

    def __init__(self) -> None:
        self.errors = 0  # cache operations that failed in this process (a warning counter)
        self.last_error = ""
        self.failing_until = 0.0  # time.monotonic() until which the cache is left alone
        self.clear_owed = False  # a clear() that could not be written
        # (counter, [publish_at, …]): the embargoes of the last counter this process saw,
        # also kept in the shared cache (EMBARGO_KEY) for the other processes.
        self._embargoes: tuple[int | None, list] = (None, [])
        self._lock = threading.Lock()

    # The one gate to the backend. Backends raise their own errors (OSError and sqlite3.Error
    # from a directory, redis.RedisError, diskcache.Timeout, unpickling errors from a damaged
    # entry); whatever it is, the cache is optional and the page is made without it.
    def _call(self, operation: str, *args) -> Any:
        """cache.<operation>(*args); CacheUnavailable if the backend fails, or failed within
        RETRY_SECONDS. Reaching the backend is inside: a backend that cannot even be set up
        (a cache directory that cannot be made) fails here, too."""
        if time.monotonic() < self.failing_until:
            raise CacheUnavailable(self.last_error)
        try:
            return getattr(cache, operation)(*args)
        except ValueError:
            raise  # incr() of a missing key: an answer, not a failure
        except Exception as error:  # noqa: BLE001 -- see above
            self._failed(error)
            raise CacheUnavailable(self.last_error) from error

    def _failed(self, error: Exception) -> None:
        with self._lock:
            self.errors += 1
            first = not self.last_error
            self.last_error = f"{type(error).__name__}: {error}"
            self.failing_until = time.monotonic() + RETRY_SECONDS
        if first:
            logger.warning("Public cache unavailable, pages are made uncached: %s", error)

    def _recovered(self) -> None:
        if self.last_error:
            logger.info("Public cache available again after %s", self.last_error)
            self.last_error = ""

    def counter(self) -> int:
        """The counter of the archive's state in the shared cache (started if missing).
        Raises CacheUnavailable."""
        if self.clear_owed:
            self._increment()
            self.clear_owed = False
        count = self._call("get", self.COUNTER_KEY)
        if count is None:
            count = fresh_count()
            if not self._call("add", self.COUNTER_KEY, count, None):
                count = self._call("get", self.COUNTER_KEY) or count
        self._recovered()
        return count

    def version(self, read_embargoes: bool = True) -> str | None:
        """The state of the public archive, e.g. '1764511200000000:1764514800000000': the
        counter and when the next embargo of that counter ends (microseconds since 1970, 0
        when none is pending). That end moves on exactly when an embargo ends, and is the
        same in every worker however late it read the embargoes, so concurrent requests agree
        on the key of a page. One read of the shared cache (the counter) while nothing
        changes: the embargoes of a counter do not change while it stands, so this process
        keeps those of the last counter it saw. With `read_embargoes` False, None instead of
        a database query when the embargoes of this counter are not in the cache yet. Raises
        CacheUnavailable, and DatabaseError when the embargoes cannot be read."""
        count = self.counter()
        now = timezone.now()
        known = self._embargoes
        if known[0] != count:
            known = self._call("get", self.EMBARGO_KEY)
            if not (isinstance(known, tuple) and len(known) == 2 and known[0] == count):
                if not read_embargoes:
                    return None
                scheduled = Article.objects.scheduled(now).values_list("publish_at", flat=True)
                known = (count, sorted(scheduled))
                self._call("set", self.EMBARGO_KEY, known, DATA_SECONDS)
            self._embargoes = known
        ends = known[1]
        pending = bisect.bisect_right(ends, now)
        next_end = ends[pending].timestamp() * 10**6 if pending < len(ends) else 0
        return f"{count}:{next_end:.0f}"

    def get_or_set(self, name: str, compute: Callable[[], Any]) -> Any:
        """compute(), kept as long as the public archive does not change: for what many pages
        show and that costs a scan of all articles (years, topics, counts). Exact also when
        the page cache is off, and computed every time while the cache fails. Callers share
        what is returned and must not change it."""
        try:
            key = f"press:data:{self.version()}:{hashlib.sha256(name.encode()).hexdigest()}"
            value = self._call("get", key)
        except CacheUnavailable:
            return compute()
        if value is None:
            value = compute()
            with contextlib.suppress(CacheUnavailable):
                self._call("set", key, value, DATA_SECONDS)
        return value

    def clear(self) -> None:
        """Every page and value kept so far is out of date. Never raises: when the cache
        cannot be written, the clear is repeated before the cache is read again."""
        try:
            self._increment()
        except CacheUnavailable:
            self.clear_owed = True

    def _increment(self) -> None:
        try:
            count = self._call("incr", self.COUNTER_KEY)
        except ValueError:
            return  # no counter: the next request starts a fresh one
        if count < FRESH_FLOOR:
            # The counter was lost between the backend's existence check and its increment.
            self._call("set", self.COUNTER_KEY, fresh_count(), None)

    def page_key(self, request: HttpRequest) -> str:
        """What varies a public page: the state, the language, the path and the query
        parameters the view reads, canonically ordered. Raises CacheUnavailable and
        DatabaseError."""
        language = translation.get_language_from_request(request)
        return page_key(self.version(), language, request.path, request.GET)

    def get_page(self, key: str) -> HttpResponse | None:
        """The page kept under `key` (public.stored_pages), None if there is none, it is of an
        earlier format, or the cache fails."""
        try:
            return from_stored(self._call("get", key))
        except CacheUnavailable:
            return None

    def store_page(self, key: str, response: HttpResponse) -> None:
        """Keeps `response` as a plain value (public.stored_pages) for PUBLIC_CACHE_SECONDS,
        if the cache can."""
        with contextlib.suppress(CacheUnavailable):
            self._call("set", key, to_stored(response), settings.PUBLIC_CACHE_SECONDS)

    def health(self) -> dict:
        """{"status": "ok"} when a value can be written to the shared cache and read back now,
        else {"status": "unavailable", "error": …}; with "errors", the failed operations of
        this process so far. Tries the backend even within RETRY_SECONDS of an error."""
        token = fresh_count()
        try:
            cache.set(self.PROBE_KEY, token, 60)
            if cache.get(self.PROBE_KEY) != token:
                raise OSError("a value written to the cache could not be read back")
        except Exception as error:  # noqa: BLE001 -- any backend error, as in _call()
            self._failed(error)
            return {"status": "unavailable", "error": self.last_error, "errors": self.errors}
        self.failing_until = 0.0  # works again: the next request may use it at once
        return {"status": "ok", "errors": self.errors}


public_cache = PublicCache()


class DiskCache(DjangoCache):
    """diskcache's Django cache, its SQLite connections kept open between requests.

    Django closes every cache at the end of each request (`close_caches` on request_finished);
    for FileBasedCache and RedisCache that does nothing, for diskcache it closes the SQLite
    connections of all shards, which each request then opens again. Measured 2026-11-30 under
    gunicorn's sync workers (demo archive, cached index): 12.4 ms per hit with the close,
    1.1 ms without. The connections are per thread and opened after gunicorn forks."""

    def close(self, **kwargs) -> None:
        """Keeps the connections: see the class docstring."""


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


class PublicPageCacheMiddleware:
    """Answers anonymous GET and HEAD requests for public pages from the cache. Placed before
    the session and locale middleware: a hit costs two cache reads (the state, the page), no
    SQL query and no URL resolution after the first request for its path in the process.
    Also sends a public page's address with unknown query parameters to the address without
    them, and sets or deletes the staff marker on the responses of log-in and log-out.

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
            key = public_cache.page_key(request)
        except (CacheUnavailable, DatabaseError):
            # The cache fails: the page is made without it. No database to tell whether an
            # embargo has ended: the view answers (with the 503 page, when it is down).
            return self.render(request)
        response = public_cache.get_page(key)
        if response is not None:
            return response
        return self.render_once(request, key)

    def render_once(self, request: HttpRequest, key: str) -> HttpResponse:
        """The page for `key`, rendered by this request or, if another one is rendering it
        (in any worker), taken from the cache once that one has stored it."""
        lock = rendering_key(key)
        wait = settings.PUBLIC_CACHE_RENDER_WAIT_SECONDS
        try:
            # Whole seconds: Redis keeps no shorter expiry.
            won = public_cache._call("add", lock, os.getpid(), max(1, math.ceil(wait)))
        except CacheUnavailable:
            return self.render(request)
        if won:
            try:
                # Stored between this request's miss and its lock: no second render.
                return public_cache.get_page(key) or self.render_and_store(request, key)
            finally:
                with contextlib.suppress(CacheUnavailable):
                    public_cache._call("delete", lock)
        return self.wait_for(key, lock, wait) or self.render_and_store(request, key)

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

    def render_and_store(self, request: HttpRequest, key: str) -> HttpResponse:
        response = self.render(request)
        page = request.GET.get("page")
        if may_store(response) and (page is None or PLAIN_PAGE_NUMBER.fullmatch(page)):
            public_cache.store_page(key, response)
        return response

    def render(self, request: HttpRequest) -> HttpResponse:
        """The view's answer for a public page, noted in the render log."""
        log_render(request)
        return self.get_response(request)
