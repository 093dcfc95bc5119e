"""Public means published and due: the queryset rule and the instance rule agree."""

from datetime import timedelta

import pytest
from django.utils import timezone

from press.models import Article

PAST = timedelta(minutes=-1)
FUTURE = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("state", "offset", "public"),
    [
        ("draft", None, False),
        ("draft", PAST, False),
        ("in_review", PAST, False),
        ("in_review", FUTURE, False),
        ("published", PAST, True),
        ("published", FUTURE, False),
        ("withdrawn", PAST, False),
        ("withdrawn", FUTURE, False),
    ],
)
def test_visibility_matrix_of_state_and_publish_time(db, state, offset, public):
    now = timezone.now()
    article = Article.objects.create(
        title=f"{state} {offset}",
        state=state,
        publish_at=now + offset if offset is not None else None,
        withdrawn_at=now if state == "withdrawn" else None,
        withdrawal_reason="Grund" if state == "withdrawn" else "",
    )
    assert (article in Article.objects.published()) is public
    assert article.is_public() is public


def test_a_scheduled_article_appears_at_its_minute_without_any_job(scheduled_article):
    due = scheduled_article.publish_at
    assert not Article.objects.published(now=due - timedelta(seconds=1)).exists()
    assert list(Article.objects.published(now=due)) == [scheduled_article]
    assert scheduled_article.is_public(now=due)
    assert not scheduled_article.is_public(now=due - timedelta(seconds=1))


def test_withdrawn_article_was_public_only_if_withdrawn_after_its_date(withdrawn_article):
    assert withdrawn_article.has_been_public()
    withdrawn_article.publish_at = withdrawn_article.withdrawn_at + timedelta(days=1)
    assert not withdrawn_article.has_been_public()
