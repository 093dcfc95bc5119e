"""The public archive shows exactly what is public, on every surface."""

import re
from datetime import datetime, timedelta
from xml.etree import ElementTree

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from press.models import Article, Quote

HIDDEN = {
    "draft": "Entwurf Sperrvermerk",
    "in_review": "Pruefung Sperrvermerk",
    "scheduled": "Terminiert Sperrvermerk",
    "withdrawn": "Zurueckgezogen Sperrvermerk",
}
PUBLIC_TITLE = "Oeffentlich Sichtbar"


@pytest.fixture
def archive(make_article, spokesperson):
    """One public article and one of every kind that must stay hidden, all on the same topic,
    quoting the same person, containing the same words, in the same month where possible."""
    now = timezone.now()
    public = make_article("published", title=PUBLIC_TITLE, publish_at=now - timedelta(hours=2))
    hidden = {
        "draft": make_article("draft", title=HIDDEN["draft"]),
        "in_review": make_article("in_review", title=HIDDEN["in_review"]),
        "scheduled": make_article(
            "published", title=HIDDEN["scheduled"], publish_at=now + timedelta(hours=1)
        ),
        "withdrawn": make_article(
            "withdrawn", title=HIDDEN["withdrawn"], publish_at=now - timedelta(hours=3)
        ),
    }
    for article in [public, *hidden.values()]:
        Quote.objects.create(article=article, spokesperson=spokesperson, text="Ein Zitat.")
    return public, hidden


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


def test_scheduled_article_appears_everywhere_at_its_minute(client, archive, monkeypatch):
    article = archive[1]["scheduled"]
    assert article.title not in client.get(reverse("press:index")).content.decode()
    later = article.publish_at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert article.title in client.get(reverse("press:index")).content.decode()
    assert client.get(article.get_absolute_url()).status_code == 200
    assert article.title in client.get(reverse("press:feed_rss")).content.decode()


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


@pytest.fixture
def months_of_articles(topic, spokesperson):
    """70 public articles over five months of 2025, several at a Berlin midnight that begins a
    month while it is still the month before in UTC; each on the topic, every other quoting
    the spokesperson. Returns their titles, newest first."""
    berlin = timezone.get_current_timezone()
    times = []
    for month in range(3, 8):
        first = datetime(2025, month, 1, tzinfo=berlin)
        times += [first + timedelta(minutes=30), first - timedelta(minutes=30)]
        times += [first + timedelta(days=day, hours=9) for day in range(1, 13)]
    articles = Article.objects.bulk_create(
        Article(
            title=f"Monatsmeldung {at:%Y-%m-%d %H:%M}",
            slug=f"monatsmeldung-{number}",
            state=Article.State.PUBLISHED,
            publish_at=at,
        )
        for number, at in enumerate(times)
    )
    Article.topics.through.objects.bulk_create(
        Article.topics.through(article_id=article.pk, topic_id=topic.pk) for article in articles
    )
    Quote.objects.bulk_create(
        Quote(article=article, spokesperson=spokesperson, text="Zitat.")
        for article in articles[::2]
    )
    newest_first = sorted(articles, key=lambda article: article.publish_at, reverse=True)
    return [article.title for article in newest_first], [
        article.title for article in newest_first if article in articles[::2]
    ]


def titles_on_every_page(client, url: str) -> list[str]:
    titles, number = [], 1
    while (response := client.get(f"{url}?page={number}")).status_code == 200:
        titles += re.findall(r"Monatsmeldung [0-9: -]+", response.content.decode())
        number += 1
    assert response.status_code == 404
    return titles


def test_every_page_of_every_list_continues_where_the_one_before_ended(
    client, months_of_articles, topic, spokesperson
):
    everything, quoted = months_of_articles
    assert titles_on_every_page(client, reverse("press:index")) == everything
    assert titles_on_every_page(client, reverse("press:year", args=[2025])) == everything
    assert titles_on_every_page(client, topic.get_absolute_url()) == everything
    assert titles_on_every_page(client, spokesperson.get_absolute_url()) == quoted
    assert titles_on_every_page(client, reverse("press:month", args=[2025, 5])) == [
        title for title in everything if title.startswith("Monatsmeldung 2025-05")
    ]


def test_index_offers_year_and_topic_navigation(client, published_article, topic):
    content = client.get("/").content.decode()
    assert f'href="/{published_article.publish_at.year}/"' in content
    assert f'href="{topic.get_absolute_url()}"' in content


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


def test_sitemap_is_valid_xml_with_public_articles_and_pages(client, archive, topic):
    public, _hidden = archive
    response = client.get(reverse("press:sitemap"))
    root = ElementTree.fromstring(response.content)
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [element.text for element in root.findall("s:url/s:loc", namespace)]
    assert any(location.endswith(public.get_absolute_url()) for location in locations)
    assert any(location.endswith(topic.get_absolute_url()) for location in locations)
    assert sum(1 for location in locations if "/20" in location) == 1


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in text


def test_unknown_address_answers_the_sites_own_404_page(client, db):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Seite nicht gefunden" in content and 'class="skip-link"' in content


def test_server_error_page_renders_without_database_or_request(db):
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Ein Fehler ist aufgetreten" in html and '<html lang="de">' in html


def test_topic_and_spokesperson_overviews_count_only_public_articles(
    client, archive, topic, spokesperson
):
    topics = client.get(reverse("press:topics")).content.decode()
    assert topic.name in topics and "1 Meldung" in topics
    people = client.get(reverse("press:spokespersons")).content.decode()
    assert spokesperson.name in people and "1 Meldung" in people


def test_contact_page_and_vcard(client, press_contact):
    content = client.get(reverse("press:contacts")).content.decode()
    assert "Pressestelle KoBa Harz" in content and 'href="tel:+4939435832' in content
    response = client.get(reverse("press:contact_vcard", args=[press_contact.pk]))
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert 'filename="pressestelle-koba-harz.vcf"' in response["Content-Disposition"]
    card = response.content.decode()
    assert card.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert "TEL;TYPE=WORK,VOICE:+49394358323" in card
    assert "EMAIL;TYPE=INTERNET,WORK:presse@koba-jobcenter-harz.de" in card
    assert card.endswith("END:VCARD\r\n")


def test_legal_pages_are_public(client, db):
    for kind in ["impressum", "datenschutz", "barrierefreiheit"]:
        from press.models import LegalPage

        LegalPage.objects.create(kind=kind, title=kind.title(), body="<p>Text</p>")
        assert client.get(f"/{kind}/").status_code == 200


def test_withdrawal_removes_the_article_from_lists_at_once(client, published_article, approver):
    assert published_article.title in client.get("/").content.decode()
    published_article.withdraw(by=approver, reason="Doppelt veröffentlicht.")
    assert published_article.title not in client.get("/").content.decode()
    assert client.get(published_article.get_absolute_url()).status_code == 410
    assert Article.objects.published().count() == 0
