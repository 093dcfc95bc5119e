"""/: the newest twenty public articles per page, with year and topic navigation."""

from datetime import timedelta

from django.utils import timezone


def test_index_paginates_twenty_newest_first(client, make_article):
    now = timezone.now()
    for number in range(23):
        make_article(
            "published",
            title=f"Meldung Nummer {number:02d}",
            publish_at=now - timedelta(days=number + 1),
        )
    first = client.get("/").content.decode()
    assert first.index("Meldung Nummer 00") < first.index("Meldung Nummer 01")
    assert "Meldung Nummer 19" in first and "Meldung Nummer 20" not in first
    assert 'rel="next"' in first
    second = client.get("/?page=2").content.decode()
    assert "Meldung Nummer 20" in second and "Meldung Nummer 22" in second
    assert client.get("/?page=9").status_code == 404


def test_index_offers_year_and_topic_navigation(client, published_article, topic):
    content = client.get("/").content.decode()
    assert f'href="/{published_article.publish_at.year}/"' in content
    assert f'href="{topic.get_absolute_url()}"' in content
