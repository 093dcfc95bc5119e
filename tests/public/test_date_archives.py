"""/2024/ and /2024/12/: year and month archives follow Berlin dates; empty or impossible
ones are not found."""

from django.utils import timezone


def test_year_and_month_archives_follow_local_dates(client, make_article):
    # 31 Dec 23:30 in Berlin is already 1 January in no zone that matters here: it belongs to
    # December of the old year, although it is 22:30 UTC.
    new_years_eve = timezone.make_aware(timezone.datetime(2024, 12, 31, 23, 30))
    article = make_article("published", title="Silvester", publish_at=new_years_eve)
    assert article.title in client.get("/2024/12/").content.decode()
    assert article.title in client.get("/2024/").content.decode()
    assert client.get("/2025/").status_code == 404


def test_empty_or_impossible_archives_are_not_found(client, published_article):
    assert client.get("/1999/").status_code == 404
    assert client.get(f"/{published_article.publish_at.year}/13/").status_code == 404
