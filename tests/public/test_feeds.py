"""/feed/rss/, /feed/atom/ and /themen/<slug>/feed/: valid feeds of the public articles,
announced by the pages."""

from xml.etree import ElementTree

import feedparser
from django.urls import reverse

from tests.public.titles import PUBLIC_TITLE

MEDIA = "http://search.yahoo.com/mrss/"


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


def test_feeds_give_the_lead_as_plain_text_so_markup_typed_into_it_stays_text(client, make_article):
    lead = 'Mehr <b>Geld</b> für "Ältere" & Familien.'
    make_article("published", lead=lead)
    atom = feedparser.parse(client.get(reverse("press:feed_atom")).content).entries[0]
    assert atom.summary_detail.type == "text/plain"
    assert atom.summary == lead
    rss = feedparser.parse(client.get(reverse("press:feed_rss")).content).entries[0]
    assert "<b>" not in rss.summary
    assert "&lt;b&gt;Geld&lt;/b&gt;" in rss.summary and "&amp; Familien." in rss.summary


def test_feeds_carry_the_full_text_and_the_lead_photo_with_its_credit(
    client, make_article, make_photo
):
    photo = make_photo(credit="Foto: Meyer, KoBa Harz", caption="Claudia Langer im Gespräch")
    make_article(
        "published",
        lead_photo=photo,
        body="<p>Erster Absatz.</p><h2>Termine</h2><p>Zweiter <a href='/x/'>Absatz</a>."
        "</p><script>alert(1)</script>",
    )
    for name in ["press:feed_rss", "press:feed_atom"]:
        content = client.get(reverse(name)).content
        feed = feedparser.parse(content)
        assert not feed.bozo, feed.get("bozo_exception")
        entry = feed.entries[0]
        assert entry.content[0].type == "text/html"
        assert "<h2>Termine</h2>" in entry.content[0].value
        if name == "press:feed_atom":  # xml:base: the body's links resolve on the site
            assert 'href="http://127.0.0.1:8000/x/"' in entry.content[0].value
        assert "Zweiter" in entry.content[0].value and "alert" not in entry.content[0].value
        assert "Erster Absatz" not in entry.summary
        assert [enclosure.type for enclosure in entry.enclosures] == ["image/jpeg"]
        image_url = entry.enclosures[0].href
        assert image_url.startswith("http://127.0.0.1:8000/")
        assert entry.media_content[0]["url"] == image_url
        assert entry.media_credit[0]["content"] == "Foto: Meyer, KoBa Harz"
        assert "Kurzer Vorspann." in entry.summary and "Gespräch" not in entry.summary
        captions = ElementTree.fromstring(content).findall(f".//{{{MEDIA}}}description")
        assert [caption.text for caption in captions] == ["Claudia Langer im Gespräch"]
