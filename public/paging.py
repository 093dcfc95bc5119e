"""Pages of the archive: the paginator, the date ranges of years and months, and the query
string a page link keeps.

Speed trick, kept because `make bench` shows it pays (20,000 articles on PostgreSQL, page 800
of the index: 80–90 requests/s with Django's stock paginator and an offset, 330–350 with
this one; README "Performance"): `ArchivePaginator` starts a deep page from the month it
begins in and reads a page's twenty rows by their keys alone.
"""

from __future__ import annotations

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

    Reads a deep page from the month it begins in: `months` (newest first) tells how many
    articles the months before it hold, so the database walks the date index from that month
    on, not through every article before it. A page is read as "the rows of `rows` whose keys
    are the nth twenty" (by default, rows of the list itself), so that only twenty rows are
    fetched whole, and their query need not repeat the list's conditions."""

    def __init__(self, object_list, per_page, *, count, months, count_key: str, rows, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count
        self.months = months
        self.count_key = count_key
        self.rows = object_list if rows is None else rows

    @cached_property
    def month_counts(self) -> list[tuple[date, int]] | None:
        return self.months()

    @cached_property
    def count(self) -> int:
        if self.known_count is not None:
            return self.known_count
        if self.month_counts is not None:
            return sum(count for _month, count in self.month_counts)
        return caching.public_cache.get_or_set(self.count_key, lambda: Paginator.count.func(self))

    def page(self, number):
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)  # search results, ranked already
        number = self.validate_number(number)
        articles, skip = self.object_list, (number - 1) * self.per_page
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
        query = self.object_list.query
        ordering = query.order_by or query.get_meta().ordering
        rows = self.rows.filter(pk__in=keys).order_by(*ordering)
        return self._get_page(list(rows), number, self)
