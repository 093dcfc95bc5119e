"""The public cache: whole pages of the archive for anonymous visitors, and the data many pages
share, both never stale.

Everything is kept under the *state* of the public archive (`PublicCache.version()`), made of

- a counter that `clear()` moves on whenever something the public sees is saved or deleted
  (public/apps.py lists those models: articles and their topics and photos, photos, topics,
  spokespersons, quotes, press contacts, legal pages; not history rows, authors or log-in
  policies). It moves at once, and again after the transaction has committed, so that a page
  another request rendered meanwhile from the old rows is not found any more;
- how many embargoes of that counter have ended: at the minute a scheduled article becomes
  due, the state changes, with no background process.

The counter and the pages live in Django's default cache, which all worker processes share (a
directory without CACHE_URL, Redis with it); a per-process cache would let one worker retire
its pages while another still serves them. The small API follows pretix's NamespacedCache:
`version()`, `get_or_set()`, `clear()`.

An earlier speed trick kept the data of the current state in each worker's memory as well.
Measured on 2026-11-30 (20,000 articles on PostgreSQL, scripts/instructions.py) it saved 3.5 %
of the index and 2.4 % of a topic page, below the 10 % a trick must pay, and is gone.
"""

from __future__ import annotations

import contextlib
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import cc_delim_re

from press.models import Article

CACHED_STATUSES = {200, 410}
DATA_SECONDS = 24 * 60 * 60
# The sitemap and the feeds are in this namespace, too; the admin, log-in and /healthz are not.
CACHED_NAMESPACE = "press"


def fresh_count() -> int:
    """Where a counter (re)starts: never a number used before, even after the cache lost the
    counter, since the clock runs faster than anyone edits."""
    return time.time_ns() // 1000


class PublicCache:
    """The cache of the public archive. One instance, `public_cache`, per process."""

    COUNTER_KEY = "press:public-version"

    def counter(self) -> int:
        """The counter of the archive's state in the shared cache (started if missing)."""
        count = cache.get(self.COUNTER_KEY)
        if count is None:
            count = fresh_count()
            if not cache.add(self.COUNTER_KEY, count, None):
                count = cache.get(self.COUNTER_KEY, count)
        return count

    def version(self) -> str:
        """The state of the public archive, e.g. '1764511200000000:1764511200000123.2': the
        counter and the number of its embargoes that have ended by now."""
        count = self.counter()
        return f"{count}:{self.embargo_marker(count)}"

    def embargo_marker(self, count: int) -> str:
        """Changes at the minute a scheduled article of this counter becomes due."""
        key = f"press:embargoes:{count}"
        now = timezone.now()
        known = cache.get(key)
        if known is None:
            scheduled = Article.objects.scheduled(now).values_list("publish_at", flat=True)
            known = (fresh_count(), sorted(scheduled))
            cache.set(key, known, DATA_SECONDS)
        since, ends = known
        return f"{since}.{sum(end <= now for end in ends)}"

    def get_or_set(self, name: str, compute):
        """compute(), kept as long as the public archive does not change: for what many pages
        show and that costs a scan of all articles (years, topics, counts). Exact also when
        the page cache is off. Callers share what is returned and must not change it."""
        key = hashlib.sha256(name.encode()).hexdigest()
        return cache.get_or_set(f"press:data:{self.version()}:{key}", compute, DATA_SECONDS)

    def clear(self) -> None:
        """Every page and value kept so far is out of date."""
        with contextlib.suppress(ValueError):  # no counter yet: the next request starts one
            cache.incr(self.COUNTER_KEY)

    def page_key(self, request: HttpRequest) -> str:
        """What varies a public page: the state, the language and the full path."""
        language = translation.get_language_from_request(request)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        return f"press:page:{self.version()}:{language}:{path}"


public_cache = PublicCache()


def content_changed(sender, **kwargs) -> None:
    """Receiver of post_save, post_delete and m2m_changed for what the public sees: clear at
    once, for whatever else this transaction renders, and again after the commit, for the
    pages that other requests rendered meanwhile from the rows as they were before."""
    public_cache.clear()
    transaction.on_commit(public_cache.clear)


def clear_after_migrate(sender, **kwargs) -> None:
    """post_migrate receiver: a deployment migrates, and its templates may render differently."""
    public_cache.clear()


def is_anonymous(request: HttpRequest) -> bool:
    """No session, no log-in: staff may see what the public does not (e.g. preview links)."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


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


class PublicPageCacheMiddleware:
    """Answers anonymous GET requests for public pages from the cache. Placed before the
    session and locale middleware: a hit costs three cache reads and no SQL query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.PUBLIC_CACHE_SECONDS
        if not (seconds and request.method == "GET" and is_anonymous(request)):
            return self.get_response(request)
        try:
            if CACHED_NAMESPACE not in resolve(request.path_info).namespaces:
                return self.get_response(request)
            key = public_cache.page_key(request)
        except (Resolver404, DatabaseError):
            # Not a public page, or no database to tell whether an embargo has ended: the view
            # answers (with the 503 page, when the database is down).
            return self.get_response(request)
        response = cache.get(key)
        if response is not None:
            return response
        response = self.get_response(request)
        if may_store(response):
            cache.set(key, response, seconds)
        return response
