"""/themen/ and /sprecher/ and the pages of one topic or person: public means published and
due, so a topic or person used only by hidden articles has no page, no feed and no entry."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from press.models import Quote, Spokesperson, Topic

SECRET_TOPIC = "Geheimes Modellprojekt"
SECRET_DESCRIPTION = "Noch nicht angekündigte Förderung"
SECRET_PERSON = "Jürgen Weiß"
SECRET_FUNCTION = "Designierter Geschäftsführer"


def test_topic_and_spokesperson_overviews_count_only_public_articles(
    client, archive, topic, spokesperson
):
    topics = client.get(reverse("press:topics")).content.decode()
    assert topic.name in topics and "1 Meldung" in topics
    people = client.get(reverse("press:spokespersons")).content.decode()
    assert spokesperson.name in people and "1 Meldung" in people


def hidden_article(make_article, state: str):
    now = timezone.now()
    if state == "scheduled":
        return make_article("published", title="Sperrfrist", publish_at=now + timedelta(hours=1))
    if state == "withdrawn":
        return make_article("withdrawn", title="Zurück", publish_at=now - timedelta(hours=3))
    return make_article(state, title=f"Verborgen {state}")


@pytest.fixture
def secret_topic(db):
    return Topic.objects.create(name=SECRET_TOPIC, description=SECRET_DESCRIPTION)


@pytest.fixture
def secret_person(db):
    return Spokesperson.objects.create(name=SECRET_PERSON, function=SECRET_FUNCTION)


def use_secretly(article, secret_topic, secret_person):
    article.topics.add(secret_topic)
    Quote.objects.create(article=article, spokesperson=secret_person, text="Noch geheim.")


@pytest.mark.parametrize("state", ["draft", "in_review", "scheduled", "withdrawn"])
def test_a_topic_or_person_used_only_by_a_hidden_article_has_no_page(
    client, make_article, secret_topic, secret_person, state
):
    use_secretly(hidden_article(make_article, state), secret_topic, secret_person)
    pages = [
        reverse("press:topic", args=[secret_topic.slug]),
        reverse("press:spokesperson", args=[secret_person.slug]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 404, url
        content = response.content.decode()
        for secret in (SECRET_TOPIC, SECRET_DESCRIPTION, SECRET_PERSON, SECRET_FUNCTION):
            assert secret not in content, url


@pytest.mark.parametrize("state", ["draft", "in_review", "scheduled", "withdrawn"])
def test_a_topic_used_only_by_a_hidden_article_has_no_feed(
    client, make_article, secret_topic, secret_person, state
):
    use_secretly(hidden_article(make_article, state), secret_topic, secret_person)
    response = client.get(reverse("press:topic_feed", args=[secret_topic.slug]))
    assert response.status_code == 404
    assert SECRET_TOPIC not in response.content.decode()


@pytest.mark.parametrize("state", ["draft", "in_review", "scheduled", "withdrawn"])
def test_a_topic_or_person_used_only_by_a_hidden_article_is_listed_nowhere(
    client, make_article, published_article, secret_topic, secret_person, state
):
    use_secretly(hidden_article(make_article, state), secret_topic, secret_person)
    lists = [
        reverse("press:topics"),
        reverse("press:spokespersons"),
        reverse("press:index"),
        reverse("press:search") + "?q=Verborgen",
        reverse("press:sitemap"),
    ]
    for url in lists:
        content = client.get(url).content.decode()
        for secret in (SECRET_TOPIC, secret_topic.slug, SECRET_PERSON, secret_person.slug):
            assert secret not in content, url


def test_a_topic_or_person_without_any_article_has_no_page(client, secret_topic, secret_person):
    assert client.get(reverse("press:topic", args=[secret_topic.slug])).status_code == 404
    assert client.get(reverse("press:spokesperson", args=[secret_person.slug])).status_code == 404


def test_the_pages_open_when_the_scheduled_article_becomes_due(
    client, make_article, secret_topic, secret_person, monkeypatch
):
    article = hidden_article(make_article, "scheduled")
    use_secretly(article, secret_topic, secret_person)
    assert client.get(reverse("press:topic", args=[secret_topic.slug])).status_code == 404
    later = article.publish_at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    topic_page = client.get(reverse("press:topic", args=[secret_topic.slug]))
    assert topic_page.status_code == 200 and SECRET_DESCRIPTION in topic_page.content.decode()
    feed = client.get(reverse("press:topic_feed", args=[secret_topic.slug]))
    assert feed.status_code == 200 and "Sperrfrist" in feed.content.decode()
    person_page = client.get(reverse("press:spokesperson", args=[secret_person.slug]))
    assert person_page.status_code == 200 and SECRET_FUNCTION in person_page.content.decode()
    assert SECRET_PERSON in client.get(reverse("press:spokespersons")).content.decode()
    assert SECRET_TOPIC in client.get(reverse("press:topics")).content.decode()
