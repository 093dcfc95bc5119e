"""Every public surface lists the public article and nothing hidden; a scheduled article
appears everywhere at its minute, a withdrawn one leaves every list at once."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from press.models import Article
from tests.public.titles import PUBLIC_TITLE


def surfaces(public, topic, spokesperson):
    date = public.publication_date
    return [
        reverse("press:index"),
        reverse("press:year", args=[date.year]),
        reverse("press:month", args=[date.year, date.month]),
        reverse("press:topic", args=[topic.slug]),
        reverse("press:spokesperson", args=[spokesperson.slug]),
        reverse("press:search") + "?q=Sperrvermerk+OR+Sichtbar+OR+Vorspann",
        reverse("press:search") + "?q=Vorspann",
        reverse("press:feed_rss"),
        reverse("press:feed_atom"),
        reverse("press:topic_feed", args=[topic.slug]),
        reverse("press:sitemap"),
    ]


def test_every_public_surface_lists_the_public_article_and_nothing_hidden(
    client, archive, topic, spokesperson
):
    public, hidden = archive
    for url in surfaces(public, topic, spokesperson):
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        shown = PUBLIC_TITLE in content or public.slug in content
        assert shown, f"{url} does not show the public article"
        for state, article in hidden.items():
            assert article.title not in content, f"{url} shows the {state} article"
            assert article.slug not in content, f"{url} links the {state} article"


def test_scheduled_article_appears_everywhere_at_its_minute(client, archive, monkeypatch):
    article = archive[1]["scheduled"]
    assert article.title not in client.get(reverse("press:index")).content.decode()
    later = article.publish_at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert article.title in client.get(reverse("press:index")).content.decode()
    assert client.get(article.get_absolute_url()).status_code == 200
    assert article.title in client.get(reverse("press:feed_rss")).content.decode()


def test_withdrawal_removes_the_article_from_lists_at_once(client, published_article, approver):
    assert published_article.title in client.get("/").content.decode()
    published_article.withdraw(by=approver, reason="Doppelt veröffentlicht.")
    assert published_article.title not in client.get("/").content.decode()
    assert client.get(published_article.get_absolute_url()).status_code == 410
    assert Article.objects.published().count() == 0
