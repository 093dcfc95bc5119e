"""The article page's narrow row (`ArticleQuerySet.page_decision_row`): a statement the ORM
makes once per process, sent with the slug on every uncached request of an article page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from press.models import Article

pytestmark = pytest.mark.django_db

DECIDING = ("pk", "slug", "title", "state", "publish_at", "withdrawn_at", "withdrawal_reason")


def deciding(article) -> tuple:
    return tuple(getattr(article, name) for name in DECIDING)


def test_the_row_of_a_published_or_withdrawn_article_is_read_in_one_query(make_article):
    published = make_article("published", title="Öffentliche Meldung")
    scheduled = make_article(
        "published", title="Meldung mit Sperrfrist", publish_at=timezone.now() + timedelta(days=1)
    )
    withdrawn = make_article("withdrawn", title="Zurückgezogene Meldung")
    for article in (published, scheduled, withdrawn):
        stored = Article.objects.get(pk=article.pk)
        with CaptureQueriesContext(connection) as queries:
            row = Article.objects.page_decision_row(article.slug)
        assert len(queries) == 1
        assert deciding(row) == deciding(stored)
        assert set(row.get_deferred_fields()) >= {"body", "lead"}  # a narrow row


def test_an_article_that_never_went_out_or_does_not_exist_has_no_row(make_article):
    for state in ("draft", "in_review"):
        article = make_article(state, title=f"Meldung im Zustand {state}")
        assert Article.objects.page_decision_row(article.slug) is None
    assert Article.objects.page_decision_row("gibt-es-nicht") is None
    # The marker the statement is made with is no slug of any article.
    assert Article.objects.page_decision_row("<the slug>") is None


def test_each_slug_gets_its_own_row_from_the_one_statement(make_article):
    first = make_article("published", title="Erste Meldung")
    second = make_article("published", title="Zweite Meldung")
    assert Article.objects.page_decision_row(first.slug).pk == first.pk
    assert Article.objects.page_decision_row(second.slug).pk == second.pk
