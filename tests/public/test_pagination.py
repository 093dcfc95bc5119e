"""?page=N on /, /2025/, /2025/05/, /themen/<slug>/ and /sprecher/<slug>/: every page
continues where the one before ended, also across a Berlin midnight that begins a month."""

import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from press.models import Article, Quote


@pytest.fixture
def months_of_articles(topic, spokesperson):
    """70 public articles over five months of 2025, several at a Berlin midnight that begins a
    month while it is still the month before in UTC; each on the topic, every other quoting
    the spokesperson. Returns their titles, newest first."""
    berlin = timezone.get_current_timezone()
    times = []
    for month in range(3, 8):
        first = datetime(2025, month, 1, tzinfo=berlin)
        times += [first + timedelta(minutes=30), first - timedelta(minutes=30)]
        times += [first + timedelta(days=day, hours=9) for day in range(1, 13)]
    articles = Article.objects.bulk_create(
        Article(
            title=f"Monatsmeldung {at:%Y-%m-%d %H:%M}",
            slug=f"monatsmeldung-{number}",
            state=Article.State.PUBLISHED,
            publish_at=at,
        )
        for number, at in enumerate(times)
    )
    Article.topics.through.objects.bulk_create(
        Article.topics.through(article_id=article.pk, topic_id=topic.pk) for article in articles
    )
    Quote.objects.bulk_create(
        Quote(article=article, spokesperson=spokesperson, text="Zitat.")
        for article in articles[::2]
    )
    newest_first = sorted(articles, key=lambda article: article.publish_at, reverse=True)
    return [article.title for article in newest_first], [
        article.title for article in newest_first if article in articles[::2]
    ]


def titles_on_every_page(client, url: str) -> list[str]:
    titles, number = [], 1
    while (response := client.get(f"{url}?page={number}")).status_code == 200:
        titles += re.findall(r"Monatsmeldung [0-9: -]+", response.content.decode())
        number += 1
    assert response.status_code == 404
    return titles


def test_every_page_of_every_list_continues_where_the_one_before_ended(
    client, months_of_articles, topic, spokesperson
):
    everything, quoted = months_of_articles
    assert titles_on_every_page(client, reverse("press:index")) == everything
    assert titles_on_every_page(client, reverse("press:year", args=[2025])) == everything
    assert titles_on_every_page(client, topic.get_absolute_url()) == everything
    assert titles_on_every_page(client, spokesperson.get_absolute_url()) == quoted
    assert titles_on_every_page(client, reverse("press:month", args=[2025, 5])) == [
        title for title in everything if title.startswith("Monatsmeldung 2025-05")
    ]
