"""Pages of the archive: the paginator, the date ranges of years and months, and the query
string a page link keeps.

Speed trick, kept because `make bench` shows it pays (20,000 articles on PostgreSQL, page 800
of the index: 80–90 requests/s with Django's stock paginator and an offset, 330–350 with
this one; README "Performance"): `ArchivePaginator` starts a deep page from the month it
begins in and reads a page's twenty rows by their keys alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.functional import cached_property

from . import caching


def local_midnight(year: int, month: int) -> datetime:
    """Start of the month in the office's time zone: archives follow the printed dates.
    Http404 for a date Python cannot represent, here or in UTC, as the database stores it
    (midnight of year 1 in Berlin, +00:53 local mean time, is still year 0 in UTC)."""
    try:
        midnight = timezone.make_aware(datetime(year, month, 1))
        midnight.astimezone(UTC)
    except (ValueError, OverflowError) as error:
        raise Http404 from error
    return midnight


def year_range(year: int) -> tuple[datetime, datetime]:
    """[start, end) of a year in the office's time zone."""
    return local_midnight(year, 1), local_midnight(year + 1, 1)


def month_range(year: int, month: int) -> tuple[datetime, datetime]:
    """[start, end) of a month in the office's time zone; Http404 for a month not 1–12."""
    if not 1 <= month <= 12:
        raise Http404
    return local_midnight(year, month), local_midnight(year + month // 12, month % 12 + 1)


def canonical_query(query: QueryDict) -> QueryDict:
    """The query as a view reads it, in one spelling: names in order, each with the value
    `QueryDict.get()` returns (the last). The page cache keys a page by it, and page links are
    written from it, so two spellings of one query are one page (public/caching.py)."""
    params = QueryDict(mutable=True)
    for name in sorted(query):
        params[name] = query[name]
    return params


def query_without_page(query: QueryDict) -> QueryDict:
    """A mutable, canonical copy of the request's query without its `page`: what a page link
    keeps."""
    params = canonical_query(query)
    params.pop("page", None)
    return params


class ArchivePaginator(Paginator):
    """Takes the count from what the page already knows, or remembers it per state of the
    public archive (a count scans every matching article).

    `object_list` is the list's QuerySet, or a callable that builds it: a list page builds
    none of its queries unless it reads its rows (`PageRows`).

    Reads a deep page from the month it begins in: `months` (newest first) tells how many
    articles the months before it hold, so the database walks the date index from that month
    on, not through every article before it. A page is read as "the rows of `rows()` whose
    keys are the nth twenty", so that only twenty rows are fetched whole, and their query
    need not repeat the list's conditions."""

    def __init__(self, object_list, per_page, *, count, months, count_key: str, rows, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count
        self.months = months
        self.count_key = count_key
        self.rows = rows

    def articles(self) -> QuerySet:
        """The list's QuerySet, built now if it was passed as a callable."""
        return self.object_list() if callable(self.object_list) else self.object_list

    @cached_property
    def month_counts(self) -> list[tuple[date, int]] | None:
        return self.months()

    @cached_property
    def count(self) -> int:
        if self.known_count is not None:
            return self.known_count
        if self.month_counts is not None:
            return sum(count for _month, count in self.month_counts)
        return caching.public_cache.get_or_set(self.count_key, lambda: self.articles().count())

    def page(self, number):
        number = self.validate_number(number)
        return self._get_page(PageRows(lambda: self.read_page(number)), number, self)

    def read_page(self, number: int) -> QuerySet:
        """The rows of page `number` (valid), from `rows()` by their keys."""
        articles, skip = self.articles(), (number - 1) * self.per_page
        if skip and self.month_counts is not None:
            oldest_skipped = None
            for month, count in self.month_counts:
                if count > skip:
                    break
                skip -= count
                oldest_skipped = month
            if oldest_skipped:
                before = local_midnight(oldest_skipped.year, oldest_skipped.month)
                articles = articles.filter(publish_at__lt=before)
        keys = articles.values("pk")[skip : skip + self.per_page]
        query = articles.query
        ordering = query.order_by or query.get_meta().ordering
        return self.rows().filter(pk__in=keys).order_by(*ordering)


class PageRows(Sequence):
    """The articles of a page of a list, read from the QuerySet `rows()` builds (one query
    and its prefetches) only when the page is iterated, indexed or measured: a page whose
    teasers are kept (public.fragments.teasers) builds and reads no query at all.

    Speed trick, kept because it pays: measured 2026-12-01 (20,000 articles on PostgreSQL,
    page cache off, function calls per request in the worker) the index's first page
    16,970 -> 10,330 calls; the rows and their topics were most of the page's ORM work."""

    def __init__(self, rows: Callable[[], QuerySet]):
        self._rows = rows
        self._loaded: list | None = None

    def loaded(self) -> list:
        """The rows, in the list's order; read on the first call."""
        if self._loaded is None:
            self._loaded = list(self._rows())
        return self._loaded

    def __len__(self) -> int:
        return len(self.loaded())

    def __getitem__(self, index):
        return self.loaded()[index]
