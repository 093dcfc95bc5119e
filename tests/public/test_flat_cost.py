"""Issue 17, "cost that stays flat": the public pages' queries are read along indexes, so that
what they cost does not grow with the archive (20,000 to 200,000 articles, `make bench`).

The plans are asked of PostgreSQL with the other ways priced out (as in test_search.py): what
is proven is that the query CAN be answered that way, which the query's own shape decides;
which way PostgreSQL takes on its own depends on its statistics, and the bench shows it."""

import re
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from press.models import Article, Spokesperson, Topic
from public.navigation import months_of
from tests.public.test_public_queries import add_articles


@pytest.fixture
def archive(topic, spokesperson, make_photo):
    """300 public articles, analysed, as autovacuum would."""
    add_articles(300, topic=topic, spokesperson=spokesperson, photo=make_photo(), start=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE press_article")


def plan_of(sql: str) -> str:
    """EXPLAIN of `sql` with sequential and bitmap scans priced out, and without the plain
    date index and the admin's work-order index (dropped inside the test's transaction, which
    rolls back): their estimates beat an index-only scan's whenever the statistics know of no
    all-visible pages, as after other tests' rolled-back rows, so which one wins would say
    nothing. (On a vacuumed archive of 200,000 articles PostgreSQL picks the index-only scan
    with both in place.)"""
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS article_publish_at")
        cursor.execute("DROP INDEX IF EXISTS article_work_order")
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_bitmapscan = off")
        try:
            cursor.execute("EXPLAIN " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_bitmapscan")


def sql_of(call) -> list[str]:
    """The SQL that call() runs."""
    with CaptureQueriesContext(connection) as queries:
        call()
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.postgres_only
def test_postgres_counts_the_archive_months_from_the_date_index_alone(archive):
    """The months of the archive (navigation, page counts, deep pages) need no row of the
    table: an index-only scan, a few hundred index pages at 200,000 articles instead of the
    whole table (its rows carry the bodies)."""
    (sql,) = sql_of(lambda: months_of(Article.objects.published()))
    assert sum(count for _month, count in months_of(Article.objects.published())) == 300
    plan = plan_of(sql)
    assert "Index Only Scan using article_state_publish_at" in plan, plan


@pytest.mark.postgres_only
def test_postgres_can_count_topics_and_spokespersons_from_the_date_index_alone(archive):
    """The remembered topic and spokesperson counts join public articles by their key and
    read no other column of theirs; the date index carries the key (migration 0015), so the
    articles' rows, with their bodies, need not be read (at 200,000 articles: 53,000 pages of
    table against 800 of index). Checked on the columns, not on the plan: which of several
    index scans PostgreSQL picks here depends on statistics that other tests' rolled-back
    rows leave behind."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "press_article")
    covered = set(constraints["article_state_publish_at"]["columns"])
    assert covered == {"state", "publish_at", "id"}
    for model in (Topic, Spokesperson):
        (sql,) = sql_of(lambda model=model: list(model.objects.with_public_articles()))
        read = set(re.findall(r'"press_article"\."(\w+)"', sql))
        assert read and read <= covered, (read, sql)


ARCHIVE_NAV = "press/includes/archive_nav.html"


def test_archive_navigation_is_rendered_once_per_state_of_the_archive(
    client, make_article, settings
):
    """The years' links grow with the archive (46 at 200,000 articles): a list page reads
    the navigation as one fragment instead of rendering each link on every request."""
    settings.PUBLIC_CACHE_SECONDS = 0  # what an uncached page costs
    make_article("published", publish_at=timezone.make_aware(datetime(2019, 5, 2, 9)))
    make_article("published", publish_at=timezone.now() - timedelta(hours=1))
    first = client.get(reverse("press:index"))
    second = client.get(reverse("press:index"))
    assert ARCHIVE_NAV in [template.name for template in first.templates]
    assert ARCHIVE_NAV not in [template.name for template in second.templates]
    assert first.content == second.content
    assert b'<a href="/2019/">2019</a>' in second.content


def test_year_navigation_shows_a_new_year_at_once(client, make_article, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    make_article("published", publish_at=timezone.now() - timedelta(hours=1))
    assert b'href="/2015/"' not in client.get(reverse("press:index")).content
    make_article("published", publish_at=timezone.make_aware(datetime(2015, 3, 4, 9)))
    assert b'<a href="/2015/">2015</a>' in client.get(reverse("press:index")).content
    search = client.get(reverse("press:search"), {"q": "Förderprogramme"})
    assert b'<a href="/2015/">2015</a>' in search.content


def test_index_counts_its_pages_anew_after_a_publication(client, make_article, settings):
    """The index's count is remembered apart from the months (public_count) and goes with
    them when the archive changes."""
    settings.PUBLIC_CACHE_SECONDS = 0
    for _number in range(20):
        make_article("published", publish_at=timezone.now() - timedelta(hours=2))
    assert client.get(reverse("press:index")).context["paginator"].count == 20
    make_article("published", publish_at=timezone.now() - timedelta(hours=1))
    response = client.get(reverse("press:index"))
    assert response.context["paginator"].count == 21
    assert response.context["paginator"].num_pages == 2
