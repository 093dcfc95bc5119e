"""Cache poisoning (issue 12, item 5): a request that names another host or scheme cannot put
them into a page that later visitors get from the cache. Every absolute address is on
SITE_URL, in feeds and the sitemap as on article pages."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

SITE = "https://presse.example.org"
# An allowed host (ALLOWED_HOSTS compares names, not ports) on a port the attacker chose, and
# a scheme header a client may send when no proxy overwrites it.
FOREIGN = {"HTTP_HOST": "127.0.0.1:6666", "HTTP_X_FORWARDED_PROTO": "https"}


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]


def pages(article) -> list[str]:
    topic = article.topics.get()
    return [
        reverse("press:feed_rss"),
        reverse("press:feed_atom"),
        reverse("press:topic_feed", args=[topic.slug]),
        reverse("press:sitemap"),
        reverse("press:robots"),
        article.get_absolute_url(),
    ]


def test_a_foreign_host_and_scheme_never_reach_the_links_of_a_later_visitor(published_article):
    for url in pages(published_article):
        poisoned = Client().get(url, **FOREIGN)
        assert poisoned.status_code == 200, url
        assert "6666" not in poisoned.content.decode(), url
        later = Client().get(url).content.decode()
        assert "6666" not in later, url
        assert SITE in later, url


def test_feed_links_are_absolute_on_site_url(client, published_article):
    rss = client.get(reverse("press:feed_rss"), **FOREIGN).content.decode()
    assert f"<link>{SITE}/</link>" in rss
    assert f"<link>{SITE}{published_article.get_absolute_url()}</link>" in rss
    atom = client.get(reverse("press:feed_atom"), **FOREIGN).content.decode()
    assert f'href="{SITE}/feed/atom/"' in atom


def test_sitemap_addresses_are_on_site_url_whatever_the_request_says(client, published_article):
    text = client.get(reverse("press:sitemap"), **FOREIGN).content.decode()
    assert f"<loc>{SITE}{published_article.get_absolute_url()}</loc>" in text
    assert "http://testserver" not in text and "127.0.0.1" not in text


def test_a_host_that_is_not_allowed_gets_400_even_for_a_cached_page(client, published_article):
    client.get("/")
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
