"""What the archive's navigation shows: months, years, topics and spokespersons that have public
articles, with their counts. Each costs a scan of all public articles, so each is remembered
per state of the archive (`public_cache.get_or_set()`)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404

from press.links import link
from press.models import Article, Spokesperson, Topic

from .caching import public_cache


def months_of(articles: QuerySet) -> list[tuple[date, int]]:
    """(first day, number of articles) of every month with any, newest first; months in the
    office's time zone."""
    # COUNT(*), not COUNT(id): the months of the public archive need only `state` and
    # `publish_at`, so PostgreSQL counts them from the index article_state_publish_at alone
    # (at 200,000 articles a few hundred index pages instead of every row of the table).
    rows = (
        articles.annotate(month=TruncMonth("publish_at"))
        .values("month")
        .annotate(count=Count("*"))
        .order_by("-month")
    )
    return [(row["month"].date(), row["count"]) for row in rows]


def public_months() -> list[tuple[date, int]]:
    """The months of the public archive: the year and month navigation and the counts of the
    date archives, from one remembered query."""
    return public_cache.get_or_set("public_months", lambda: months_of(Article.objects.published()))


def public_count() -> int:
    """How many public articles there are, from the remembered months and remembered itself:
    the first page of the index needs the count alone, and at 200,000 articles reading the
    549 months back costs it a tenth of a millisecond."""
    return public_cache.get_or_set(
        "public_count", lambda: sum(count for _month, count in public_months())
    )


def public_years() -> list[date]:
    """1 January of every year with public articles, newest first. Remembered apart from the
    months: every list page shows the years, and at 200,000 articles (46 years, 549 months)
    reading and folding the months cost each page a fifth of a millisecond."""
    return public_cache.get_or_set(
        "public_years",
        lambda: sorted({date(month.year, 1, 1) for month, _count in public_months()}, reverse=True),
    )


class ListedTopic(NamedTuple):
    """A topic as the public archive shows it (its page, feed, sitemap entry, the navigation
    and the search's choices), with `article_count`, the number of its public articles.

    A plain value rather than a Topic: the list is remembered in the shared cache and read
    back by every topic page and feed. Measured 2026-12-02 (ten topics, in-process): reading
    ten Topic instances back took 44 µs, ten of these 13 µs."""

    pk: int
    name: str
    slug: str
    description: str
    article_count: int

    def get_absolute_url(self) -> str:
        return link("press:topic", slug=self.slug)


def public_topics() -> list[ListedTopic]:
    """Topics with public articles, by name, each with `article_count`."""

    def listed() -> list[ListedTopic]:
        topics = Topic.objects.with_public_articles()
        return [ListedTopic(*row) for row in topics.values_list(*ListedTopic._fields)]

    # "listed_topics": Topic instances were kept as "public_topics" before 2026-12-02.
    return public_cache.get_or_set("listed_topics", listed)


def public_spokespersons() -> list[Spokesperson]:
    """Spokespersons quoted in public articles, by name, each with `article_count`."""
    return public_cache.get_or_set(
        "public_spokespersons", lambda: list(Spokesperson.objects.with_public_articles())
    )


def public_or_404(remembered: list, slug: str):
    """The topic or spokesperson of that slug from the remembered list of those with public
    articles (`public_topics()`, `public_spokespersons()`), with its `article_count`.

    Http404 for one that no public article uses, even if it exists: its name, function and
    description are only as public as the articles that use it (drafts and embargoed
    articles name people and plans before their time, and slugs are easy to guess)."""
    for item in remembered:
        if item.slug == slug:
            return item
    raise Http404
