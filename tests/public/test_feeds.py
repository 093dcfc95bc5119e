"""/feed/rss/, /feed/atom/ and /themen/<slug>/feed/: valid feeds of the public articles,
announced by the pages."""

import feedparser
from django.urls import reverse

from tests.public.titles import PUBLIC_TITLE


def test_feeds_parse_and_carry_the_public_articles(client, archive, topic):
    public, _hidden = archive
    for name, version in [("press:feed_rss", "rss20"), ("press:feed_atom", "atom10")]:
        feed = feedparser.parse(client.get(reverse(name)).content)
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.version == version
        assert [entry.title for entry in feed.entries] == [PUBLIC_TITLE]
        assert feed.entries[0].link.endswith(public.get_absolute_url())
        assert [tag.term for tag in feed.entries[0].tags] == [topic.name]
    topic_feed = feedparser.parse(
        client.get(reverse("press:topic_feed", args=[topic.slug])).content
    )
    assert not topic_feed.bozo and [entry.title for entry in topic_feed.entries] == [PUBLIC_TITLE]


def test_pages_announce_their_feeds(client, published_article, topic):
    content = client.get(reverse("press:topic", args=[topic.slug])).content.decode()
    assert 'rel="alternate" type="application/rss+xml"' in content
    assert 'rel="alternate" type="application/atom+xml"' in content
    assert reverse("press:topic_feed", args=[topic.slug]) in content


def test_feeds_carry_every_correction_note_and_the_time_of_the_last(
    client, approver, published_article
):
    published_article.lead = "Berichtigter Vorspann."
    published_article.edit(by=approver, change_note="Zahl im Vorspann berichtigt.")
    published_article.title += " (ergänzt)"
    published_article.edit(by=approver, change_note="Überschrift ergänzt.")
    published_article.refresh_from_db()
    atom = feedparser.parse(client.get(reverse("press:feed_atom")).content)
    entry = atom.entries[0]
    assert "Zahl im Vorspann berichtigt." in entry.summary
    assert entry.summary.find("Überschrift ergänzt.") < entry.summary.find("Zahl im Vorspann")
    assert entry.updated_parsed[:5] == published_article.corrected_at.utctimetuple()[:5]
