"""What an imported file costs the database (issue 16: 1,000 files in under 30 s on PostgreSQL
too): one INSERT for all quotes of a release, one search refresh per statement, and look-ups
that use indexes whatever the archive's size."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from press.models import Article, Quote, Spokesperson
from releases.importing import ImportOutcome, import_file
from releases.matching import find_duplicate, imported_from
from releases.parser import parse_release

from .conftest import KREISBLATT_SAMPLE

pytestmark = pytest.mark.django_db


def quote_inserts(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "press_quote"')]


def test_all_quotes_of_a_release_go_in_with_one_insert_and_keep_their_history():
    with CaptureQueriesContext(connection) as captured:
        outcome = import_file("kreisblatt.txt", KREISBLATT_SAMPLE.read_bytes())
    assert outcome.status == ImportOutcome.CREATED
    quotes = list(outcome.article.quotes.all())
    assert len(quotes) >= 2
    assert len(quote_inserts(captured)) == 1
    for quote in quotes:
        assert quote.function  # the printed one, or the spokesperson's at the time
        assert quote.history.count() == 1


def test_the_same_file_again_is_found_without_importing_it_twice():
    data = KREISBLATT_SAMPLE.read_bytes()
    first = import_file("kreisblatt.txt", data)
    with CaptureQueriesContext(connection) as captured:
        again = import_file("kreisblatt-kopie.txt", data)
    assert again.status == ImportOutcome.DUPLICATE
    assert again.article == first.article
    assert quote_inserts(captured) == []
    assert Article.objects.count() == 1


def test_a_new_file_looks_up_its_source_once():
    with CaptureQueriesContext(connection) as captured:
        outcome = import_file("kreisblatt.txt", KREISBLATT_SAMPLE.read_bytes())
    assert outcome.status == ImportOutcome.CREATED
    look_ups = [q["sql"] for q in captured if '"press_article"."source_hash" = ' in q["sql"]]
    assert len(look_ups) == 1, look_ups


def search_columns(article: Article) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_quoted_names, search_quotes FROM press_article WHERE id = %s",
            [article.pk],
        )
        return cursor.fetchone()


@pytest.mark.postgres_only
def test_postgres_statement_triggers_keep_every_touched_article_current(make_article):
    """Bulk statements that touch quotes of two articles at once (migration press 0013)."""
    first, second = make_article("draft", title="Eins"), make_article("draft", title="Zwei")
    langer = Spokesperson.objects.create(name="Claudia Langer")
    kruger = Spokesperson.objects.create(name="Petra Krüger")
    Quote.objects.bulk_create(
        [
            Quote(article=first, spokesperson=langer, text="Alpha", position=0),
            Quote(article=first, spokesperson=kruger, text="Beta", position=1),
            Quote(article=second, spokesperson=kruger, text="Gamma", position=0),
        ]
    )
    assert search_columns(first) == ("Claudia Langer Petra Krüger", "Alpha Beta")
    assert search_columns(second) == ("Petra Krüger", "Gamma")

    # An UPDATE that moves a quote to the other article refreshes both.
    Quote.objects.filter(text="Gamma").update(article=first, position=2)
    assert search_columns(first) == ("Claudia Langer Petra Krüger Petra Krüger", "Alpha Beta Gamma")
    assert search_columns(second) == ("", "")

    Quote.objects.filter(spokesperson=kruger).delete()
    assert search_columns(first) == ("Claudia Langer", "Alpha")


@pytest.fixture
def analysed_archive(make_article):
    """120 articles written in the admin (no source file, no release date) and analysed, as
    autovacuum or `ANALYZE` would: the statistics then say that most articles share the same
    empty source hash, which made SQLite read the whole table for the import's look-up."""
    start = timezone.now() - timedelta(days=400)
    for number in range(120):
        make_article(
            "published", title=f"Meldung {number}", publish_at=start + timedelta(days=number)
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def plan(queryset_sql: str) -> str:
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(explain + queryset_sql)
        return "\n".join(" ".join(str(cell) for cell in row) for row in cursor.fetchall())


def test_the_imports_look_ups_use_indexes_in_an_analysed_archive(analysed_archive):
    parsed = parse_release(KREISBLATT_SAMPLE.read_text(encoding="utf-8"), [])
    with CaptureQueriesContext(connection) as captured:
        assert imported_from("0" * 64) is None
        assert find_duplicate(parsed) is None
    same_file, same_release = (plan(query["sql"]) for query in captured)
    assert "unique_import_source" in same_file, same_file
    assert "article_release_date_title" in same_release, same_release
    for query_plan in (same_file, same_release):
        assert "Seq Scan" not in query_plan and "SCAN press_article\n" not in query_plan + "\n"
