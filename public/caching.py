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
the page (public.page_cache.PublicPageCacheMiddleware, bounded by
PUBLIC_CACHE_RENDER_WAIT_SECONDS). A cached page is answered before Django's request handling
(public/wsgi_hits.py).

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
import re
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from diskcache import DjangoCache
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone, translation

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


# The state version() answers within PublicCache.pinned(): [state], [None] until it is read.
_pinned: ContextVar[list | None] = ContextVar("public_cache_pinned_state", default=None)


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

    @contextlib.contextmanager
    def pinned(self, state: str | None = None):
        """Within the block, in this thread, version() answers `state` (read by the caller
        before anything else of the request), or, when None, what it reads first: one
        read of the shared cache for all of a page's remembered data and fragments, and
        all of them of one state. The page cache renders every public page so."""
        token = _pinned.set([state])
        try:
            yield
        finally:
            _pinned.reset(token)

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
        pin = _pinned.get()
        if pin is not None and pin[0] is not None:
            return pin[0]
        state = self.read_version(read_embargoes)
        if pin is not None:
            pin[0] = state
        return state

    def read_version(self, read_embargoes: bool) -> str | None:
        """version() read from the shared cache, whatever is pinned."""
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

    def get_or_set(self, name: str, compute: Callable[[], Any], state: str | None = None) -> Any:
        """compute(), kept as long as the public archive does not change: for what many pages
        show and that costs a scan of all articles (years, topics, counts). Exact also when
        the page cache is off, and computed every time while the cache fails. `state`: the
        archive's state (`version()`) read by the caller before compute() reads any row,
        "" when that read failed; None reads it here. Callers share what is returned and
        must not change it."""
        if state == "":
            return compute()
        try:
            key = self.data_key(name, state)
            value = self._call("get", key)
        except CacheUnavailable:
            return compute()
        if value is None:
            value = compute()
            with contextlib.suppress(CacheUnavailable):
                self._call("set", key, value, DATA_SECONDS)
        return value

    def kept(self, name: str, state: str) -> Any:
        """What get_or_set(name, …, state) keeps, None if nothing or the cache fails."""
        if not state:
            return None
        try:
            return self._call("get", self.data_key(name, state))
        except CacheUnavailable:
            return None

    def data_key(self, name: str, state: str | None) -> str:
        """The key of a value of get_or_set(). Raises CacheUnavailable when `state` is None
        and the state cannot be read."""
        return f"press:data:{state or self.version()}:{hashlib.sha256(name.encode()).hexdigest()}"

    def clear(self) -> bool:
        """Every page and value kept so far is out of date. Never raises: when the cache
        cannot be written, False, and this process repeats the clear before it reads the
        cache again (the other processes learn of it through public.tasks)."""
        try:
            self._increment()
        except CacheUnavailable:
            self.clear_owed = True
            return False
        return True

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
