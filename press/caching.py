"""The public page cache: whole responses of the archive for anonymous visitors, never stale.

A cached page is stored under a key made of the *version* of the public archive and of how
many embargoes have ended since the version began:

- the version goes up when anything the archive shows is saved or deleted (an article is
  published, corrected or withdrawn; a photo, topic, contact or legal page changes): a
  receiver of Django's model signals, at once and again after the transaction has committed.
  A request that read the old version may still store a page under it, but nobody asks for
  it any more.
- each version knows when its scheduled articles become due; at that minute the key changes,
  with no background process.

Data that many pages show and that would cost a scan of all articles (years, topics, counts)
is remembered under the same key parts (`remember()`), so it is exactly as fresh.

Pages and version live in Django's default cache, which all worker processes share (a
directory without CACHE_URL, Redis with it); a per-process cache would let one worker retire
its pages while another still serves them.
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

VERSION_KEY = "press:public-version"
CACHED_STATUSES = {200, 410}
DATA_SECONDS = 24 * 60 * 60
# The sitemap and the feeds are in this namespace, too; the admin, log-in and /healthz are not.
CACHED_NAMESPACE = "press"


def fresh_version() -> int:
    """Where a version count (re)starts: never a number used before, even after the cache lost
    the count, since the clock runs faster than anyone edits."""
    return time.time_ns() // 1000


def public_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = fresh_version()
        if not cache.add(VERSION_KEY, version, None):
            version = cache.get(VERSION_KEY, version)
    return version


def retire_cached_pages() -> None:
    """Every page cached so far is out of date."""
    with contextlib.suppress(ValueError):  # no count yet: the next request starts one
        cache.incr(VERSION_KEY)


def content_changed(sender, **kwargs) -> None:
    """Receiver of post_save, post_delete and m2m_changed for the press models: retire at once,
    for whatever else this transaction renders, and again after the commit, for the pages that
    other requests rendered meanwhile from the rows as they were before."""
    retire_cached_pages()
    transaction.on_commit(retire_cached_pages)


def retire_after_migrate(sender, **kwargs) -> None:
    """post_migrate receiver: a deployment migrates, and its templates may render differently."""
    retire_cached_pages()


def embargo_marker(version: int) -> str:
    """Changes at the minute a scheduled article of this version becomes due."""
    from press.models import Article

    key = f"press:embargoes:{version}"
    now = timezone.now()
    known = cache.get(key)
    if known is None:
        scheduled = Article.objects.filter(state=Article.State.PUBLISHED, publish_at__gt=now)
        known = (fresh_version(), sorted(scheduled.values_list("publish_at", flat=True)))
        cache.set(key, known, DATA_SECONDS)
    since, ends = known
    return f"{since}.{sum(end <= now for end in ends)}"


class Remembered:
    """What remember() found for the latest state of the archive, kept in this process as
    well: the shared cache would be read and its lists of model instances unpickled on every
    request. Only one state is kept; the first lookup under a newer state forgets the rest."""

    LIMIT = 1000  # names per state: counts of searches, say

    def __init__(self):
        self.state = None
        self.values = {}

    def get(self, state: str, key: str, compute):
        # Kept under the whole key: a thread that read an older state must not leave its value
        # where a thread of the newer state would find it.
        key = f"press:data:{state}:{key}"
        if state != self.state or len(self.values) >= self.LIMIT:
            self.state, self.values = state, {}
        values = self.values
        if key not in values:
            values[key] = cache.get_or_set(key, compute, DATA_SECONDS)
        return values[key]


remembered = Remembered()


def remember(name: str, compute):
    """compute(), kept as long as the public archive does not change: for what many pages
    show and that costs a scan of all articles (years, topics, counts). Retired with the
    pages, so always exact, also when the page cache is off. Callers share what is returned
    and must not change it."""
    version = public_version()
    key = hashlib.sha256(name.encode()).hexdigest()
    return remembered.get(f"{version}:{embargo_marker(version)}", key, compute)


def page_key(request: HttpRequest) -> str:
    version = public_version()
    language = translation.get_language_from_request(request)
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"press:page:{version}:{embargo_marker(version)}:{language}:{path}"


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
            key = page_key(request)
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
