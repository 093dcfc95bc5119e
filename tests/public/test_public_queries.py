"""Every public page runs the same small number of SQL queries with 10 or 200 articles."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from press.models import Article, Quote

QUERY_BUDGET = 6


def add_articles(count: int, *, topic, spokesperson, photo, start: int) -> None:
    """Public articles with a lead photo, a topic and a quote, made in bulk (the workflow is
    tested elsewhere; here only the number of rows matters)."""
    now = timezone.now()
    articles = Article.objects.bulk_create(
        Article(
            title=f"Jobcenter Meldung {number}",
            slug=f"jobcenter-meldung-{number}",
            lead="Das Jobcenter informiert.",
            body="<p>Text mit dem Wort Jobcenter.</p>",
            state=Article.State.PUBLISHED,
            publish_at=now - timedelta(days=number, hours=1),
            lead_photo=photo,
        )
        for number in range(start, start + count)
    )
    Article.topics.through.objects.bulk_create(
        Article.topics.through(article_id=article.pk, topic_id=topic.pk) for article in articles
    )
    Quote.objects.bulk_create(
        Quote(article=article, spokesperson=spokesperson, text="Zitat.", function="Leiterin")
        for article in articles
    )


def public_urls(article, topic, spokesperson) -> list[str]:
    date = article.publication_date
    return [
        reverse("press:index"),
        reverse("press:year", args=[date.year]),
        reverse("press:month", args=[date.year, date.month]),
        article.get_absolute_url(),
        reverse("press:topics"),
        reverse("press:topic", args=[topic.slug]),
        reverse("press:spokespersons"),
        reverse("press:spokesperson", args=[spokesperson.slug]),
        reverse("press:contacts"),
        reverse("press:search") + "?q=Jobcenter",
        reverse("press:feed_rss"),
        reverse("press:feed_atom"),
        reverse("press:topic_feed", args=[topic.slug]),
        reverse("press:sitemap"),
    ]


def count_queries(client, urls) -> dict[str, int]:
    counts = {}
    for url in urls:
        cache.clear()  # the worst case: nothing remembered
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


@pytest.mark.django_db
def test_public_pages_stay_within_budget_and_flat_from_10_to_200_articles(
    client, topic, spokesperson, make_photo, press_contact, settings
):
    settings.PUBLIC_CACHE_SECONDS = 0  # what rendering costs; a cached page costs none
    photo = make_photo()
    add_articles(10, topic=topic, spokesperson=spokesperson, photo=photo, start=0)
    article = Article.objects.get(slug="jobcenter-meldung-3")
    article.photos.add(make_photo(width=900, height=600))
    for number in (4, 5):
        Article.objects.get(slug=f"jobcenter-meldung-{number}").topics.add(topic)
    urls = public_urls(article, topic, spokesperson)

    small = count_queries(client, urls)
    add_articles(190, topic=topic, spokesperson=spokesperson, photo=photo, start=10)
    large = count_queries(client, urls)

    assert large == small
    deep_pages = count_queries(
        client, ["/?page=9", reverse("press:search") + "?q=Jobcenter&page=9"]
    )
    assert list(deep_pages.values()) == [
        large["/"],
        large[reverse("press:search") + "?q=Jobcenter"],
    ]
    deep_lists = count_queries(
        client,
        [
            reverse("press:year", args=[article.publication_date.year]) + "?page=2",
            reverse("press:topic", args=[topic.slug]) + "?page=9",
            reverse("press:spokesperson", args=[spokesperson.slug]) + "?page=9",
        ],
    )
    large.update(deep_lists)
    over_budget = {url: count for url, count in large.items() if count > QUERY_BUDGET}
    assert not over_budget, f"more than {QUERY_BUDGET} queries: {over_budget}"
