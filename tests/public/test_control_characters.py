"""Control characters typed or pasted into any text field (Word's manual line break U+000B,
a form feed, a stray NUL or escape): every feed, the sitemap and the JSON-LD still answer
200 with documents that parse, and the characters XML 1.0 forbids are gone."""

import json
import re
from xml.etree import ElementTree

import feedparser
from django.urls import reverse

from press.models import Topic
from press.text import xml_text

# Every character XML 1.0 forbids in a document (its production 2, Char), as they arrive.
FORBIDDEN = "\x00\x01\x08\x0b\x0c\x0e\x1b\x1f\ufffe\uffff"
# What can reach a stored text: NUL cannot (Django's form fields refuse it, and PostgreSQL
# cannot store it in text).
STORABLE = FORBIDDEN.replace("\x00", "")


def test_xml_text_keeps_every_character_xml_allows_and_turns_breaks_into_line_ends():
    allowed = "Tab\there\nLF\rCR ÄÖÜß € \u00a0 \u200b \U0001f600 \x7f\x85"
    assert xml_text(allowed) == allowed
    assert xml_text("Erste Zeile\x0bzweite Zeile\x0cdritte") == (
        "Erste Zeile\nzweite Zeile\ndritte"
    )
    assert xml_text(f"a{FORBIDDEN}b") == "a\n\nb"
    assert xml_text("lone \ud800 surrogate") == "lone  surrogate"


def test_feeds_answer_with_valid_xml_when_texts_hold_control_characters(
    client, make_article, topic, approver
):
    topic.name = "SGB\x0bII\x1b"
    topic.save()
    article = make_article(
        "published",
        title="Neue\x0cFörderung\x01",
        lead=f"Erste Zeile\x0bzweite Zeile{STORABLE}",
        body="<p>Text\x0b mit Umbruch</p>",
    )
    article.lead += "."
    article.edit(by=approver, change_note="Zahl\x0bberichtigt.")
    for url in [
        reverse("press:feed_rss"),
        reverse("press:feed_atom"),
        reverse("press:topic_feed", args=[topic.slug]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        ElementTree.fromstring(response.content)
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.get("bozo_exception")
        entry = feed.entries[0]
        assert entry.title == "Neue\nFörderung"
        assert "Erste Zeile" in entry.summary and "zweite Zeile" in entry.summary
        assert "Zahl" in entry.summary and "berichtigt." in entry.summary
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", response.content.decode())


def test_sitemap_and_json_ld_stay_valid_with_control_characters(client, make_article):
    topic = Topic.objects.create(name="Förder\x0bung\x01")
    article = make_article("published", title="Neue\x0cFörderung", lead="Vor\x0bspann")
    article.topics.add(topic)
    sitemap = client.get(reverse("press:sitemap"))
    assert sitemap.status_code == 200
    ElementTree.fromstring(sitemap.content)
    page = client.get(article.get_absolute_url()).content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    data = json.loads(script.group(1))
    assert data["headline"] == "Neue\nFörderung" and data["description"] == "Vor\nspann"
