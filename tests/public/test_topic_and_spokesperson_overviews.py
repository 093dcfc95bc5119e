"""/themen/ and /sprecher/: the overviews count only public articles."""

from django.urls import reverse


def test_topic_and_spokesperson_overviews_count_only_public_articles(
    client, archive, topic, spokesperson
):
    topics = client.get(reverse("press:topics")).content.decode()
    assert topic.name in topics and "1 Meldung" in topics
    people = client.get(reverse("press:spokespersons")).content.decode()
    assert spokesperson.name in people and "1 Meldung" in people
