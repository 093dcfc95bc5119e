"""The desk runs the same number of SQL queries however many articles there are."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from press.models import Article, ArticleEvent, Author
from tests.desk.conftest import DESK

# Session, user, permissions and the second-factor check (5), then one or two per list.
QUERY_BUDGET = 14


def add_articles(count: int, *, writer, approver, start: int) -> None:
    """`count` articles of each kind the desk shows (a draft sent back, one in review, one
    scheduled for the coming days, one public), with the history the desk reads, in bulk (the
    workflow is tested elsewhere; here only the number of rows matters)."""
    now = timezone.now()
    author, _ = Author.objects.get_or_create(name="Redakteurin", user=writer)
    kinds = [
        ("draft", None),
        ("in_review", None),
        ("published", lambda n: now + timedelta(days=1 + n % 20, minutes=n)),
        ("published", lambda n: now - timedelta(days=1 + n)),
    ]
    articles = Article.objects.bulk_create(
        Article(
            title=f"Meldung {state} {number}",
            slug=f"meldung-{index}-{number}",
            lead="Vorspann.",
            state=state,
            publish_at=when(number) if when else None,
            created_by=writer,
        )
        for number in range(start, start + count)
        for index, (state, when) in enumerate(kinds)
    )
    Article.authors.through.objects.bulk_create(
        Article.authors.through(article_id=article.pk, author_id=author.pk) for article in articles
    )
    events = []
    for article in articles:
        events.append(ArticleEvent(article=article, action="created", to_state="draft", by=writer))
        if article.state != "draft":
            events.append(
                ArticleEvent(
                    article=article,
                    action="submitted",
                    from_state="draft",
                    to_state="in_review",
                    by=writer,
                )
            )
        if article.state == "draft":
            events.append(
                ArticleEvent(
                    article=article,
                    action="returned",
                    from_state="in_review",
                    to_state="draft",
                    by=approver,
                    comment="Bitte ergänzen.",
                )
            )
        if article.state == "published":
            events.append(
                ArticleEvent(
                    article=article,
                    action="published",
                    from_state="in_review",
                    to_state="published",
                    by=approver,
                )
            )
    ArticleEvent.objects.bulk_create(events)


def count_queries(client, user) -> int:
    client.force_login(user)
    client.get(DESK)  # the session and the user's permissions as on every later visit
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DESK)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["editor", "approver"])
def test_the_desk_runs_as_many_queries_for_5_as_for_40_articles_of_each_kind(
    client, request, editor, approver, press_contact, role
):
    user = request.getfixturevalue(role)
    add_articles(5, writer=editor, approver=approver, start=0)
    few = count_queries(client, user)
    add_articles(35, writer=editor, approver=approver, start=5)
    many = count_queries(client, user)
    assert few == many <= QUERY_BUDGET
    assert Article.objects.count() == 160
