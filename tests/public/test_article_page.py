"""/2017/10/06/<slug>/: the article page shows what a journalist needs, lives at its dated
address, redirects a wrong date, and answers 404 for hidden and 410 for withdrawn articles."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from press.models import Quote


@pytest.mark.parametrize(
    ("state", "status"), [("draft", 404), ("in_review", 404), ("scheduled", 404)]
)
def test_article_page_of_a_hidden_article_is_not_found(client, archive, state, status):
    _public, hidden = archive
    article = hidden[state]
    date = (article.publish_at or timezone.now()).astimezone(timezone.get_current_timezone())
    url = reverse("press:article", args=[date.year, date.month, date.day, article.slug])
    assert client.get(url).status_code == status


def test_withdrawn_article_answers_gone_with_title_date_and_reason(client, archive):
    article = archive[1]["withdrawn"]
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    content = response.content.decode()
    assert article.title in content
    assert "Falsche Zahlen im zweiten Absatz." in content
    assert f"{timezone.localtime(article.withdrawn_at).day}." in content
    assert 'content="noindex"' in content


def test_article_page_under_a_wrong_date_redirects_to_its_address(client, published_article):
    date = published_article.publication_date - timedelta(days=1)
    url = reverse("press:article", args=[date.year, date.month, date.day, published_article.slug])
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == published_article.get_absolute_url()


def test_article_address_carries_the_publication_date_with_two_digit_month_and_day(
    make_article,
):
    publish_at = timezone.make_aware(timezone.datetime(2017, 6, 9, 10, 0))
    article = make_article("published", title="Termin im Juni", publish_at=publish_at)
    assert article.get_absolute_url() == "/2017/06/09/termin-im-juni/"


def test_article_page_shows_everything_a_journalist_needs(
    client, make_article, make_photo, spokesperson, topic
):
    photo = make_photo()
    article = make_article(
        "published",
        title="KoBa Harz präsentiert sich",
        publish_at=timezone.make_aware(timezone.datetime(2017, 10, 6, 10, 0)),
        kicker="Zuarbeit Kreisblatt",
        lead_photo=photo,
    )
    Quote.objects.create(article=article, spokesperson=spokesperson, text="Wir sind da.")
    spokesperson.function = "Geschäftsführerin"
    spokesperson.save()
    related = make_article("published", title="Noch eine Meldung zum SGB II")
    content = client.get(article.get_absolute_url()).content.decode()
    assert "Zuarbeit Kreisblatt" in content
    assert "6. Oktober 2017" in content
    assert "„Wir sind da.“" in content
    assert "Eigenbetriebsleiterin KoBa Harz" in content  # the function at the time
    assert 'href="tel:+49394358323' in content
    assert 'href="mailto:presse@koba-jobcenter-harz.de"' in content
    assert f'href="{topic.get_absolute_url()}"' in content
    assert related.title in content
    assert 'alt="Porträt von Claudia Langer"' in content
    assert "Foto: KoBa Harz" in content
    assert photo.download["url"] in content and " download>" in content
    assert 'rel="canonical" href="http://testserver' not in content
    assert (
        f'<link rel="canonical" href="http://127.0.0.1:8000{article.get_absolute_url()}">'
        in content
    )
    assert '<meta property="og:title" content="KoBa Harz präsentiert sich">' in content
    assert '"@type": "NewsArticle"' in content
    assert 'media="print"' in content


def test_json_ld_cannot_close_its_script_element(client, make_article):
    article = make_article(
        "published", title="Titel </script><script>alert(1)</script>", lead="A & B <b>"
    )
    content = client.get(article.get_absolute_url()).content.decode()
    json_ld = content.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in json_ld and "\\u003C/script\\u003E" in json_ld


def test_correction_shows_updated_date_and_change_note(client, published_article, approver):
    published_article.lead = "Korrigierter Vorspann."
    published_article.edit(by=approver, change_note="Zahl der Teilnehmer berichtigt.")
    content = client.get(published_article.get_absolute_url()).content.decode()
    assert "Aktualisiert am" in content
    assert "Zahl der Teilnehmer berichtigt." in content


def test_json_ld_lists_every_correction(client, approver, published_article):
    import json

    published_article.lead = "Berichtigter Vorspann."
    published_article.edit(by=approver, change_note="Zahl im Vorspann berichtigt.")
    published_article.title += " (ergänzt)"
    published_article.edit(by=approver, change_note="Überschrift ergänzt.")
    content = client.get(published_article.get_absolute_url()).content.decode()
    data = json.loads(content.split('<script type="application/ld+json">')[1].split("</script>")[0])
    article = next(node for node in data.get("@graph", [data]) if node["@type"] == "NewsArticle")
    notes = [correction["text"] for correction in article["correction"]]
    assert notes == ["Überschrift ergänzt.", "Zahl im Vorspann berichtigt."]
    assert article["dateModified"] > article["datePublished"]
