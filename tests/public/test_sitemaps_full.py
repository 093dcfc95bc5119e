"""/sitemap.xml and /sitemap-news.xml as search engines read them: parsed with an XML parser,
every address on SITE_URL, only what is public (published and due), topics and spokespersons
only while a public article uses them, the legal pages with Leichte Sprache and
Gebärdensprache, and the Google News sitemap of the last two days."""

from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from press.models import Article, LegalPage, Quote, Spokesperson, Topic

SITE = "https://presse.example.org"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NS = {"s": SITEMAP_NS, "news": NEWS_NS}
FOREIGN = {"HTTP_HOST": "127.0.0.1:6666", "HTTP_X_FORWARDED_PROTO": "https"}


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]


@pytest.fixture
def legal_pages(db):
    return [
        LegalPage.objects.create(kind=kind, title=label, body="<p>Text</p>")
        for kind, label in LegalPage.Kind.choices
    ]


def locations(client, url: str) -> list[str]:
    response = client.get(url, **FOREIGN)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    return [element.text for element in root.findall("s:url/s:loc", NS)]


def news_entries(client) -> dict[str, dict]:
    """{location: {"name", "language", "date", "title"}} of /sitemap-news.xml."""
    response = client.get(reverse("press:news_sitemap"), **FOREIGN)
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    entries = {}
    for url in root.findall("s:url", NS):
        news = url.find("news:news", NS)
        entries[url.find("s:loc", NS).text] = {
            "name": news.find("news:publication/news:name", NS).text,
            "language": news.find("news:publication/news:language", NS).text,
            "date": news.find("news:publication_date", NS).text,
            "title": news.find("news:title", NS).text,
        }
    return entries


def quoting(article: Article, person: Spokesperson, topic: Topic) -> Article:
    article.topics.add(topic)
    Quote.objects.create(article=article, spokesperson=person, text="Ein Zitat.")
    return article


def test_the_sitemap_lists_exactly_the_public_pages_on_site_url(
    client, archive, topic, spokesperson, legal_pages
):
    public, _hidden = archive
    expected = {
        f"{SITE}/",
        f"{SITE}/themen/",
        f"{SITE}/sprecher/",
        f"{SITE}/kontakt/",
        f"{SITE}{public.get_absolute_url()}",
        f"{SITE}/themen/{topic.slug}/",
        f"{SITE}/sprecher/{spokesperson.slug}/",
        f"{SITE}/impressum/",
        f"{SITE}/datenschutz/",
        f"{SITE}/barrierefreiheit/",
        f"{SITE}/leichte-sprache/",
        f"{SITE}/gebaerdensprache/",
    }
    listed = locations(client, reverse("press:sitemap"))
    assert sorted(listed) == sorted(expected)


def test_a_legal_page_not_written_yet_is_not_in_the_sitemap(client, db):
    LegalPage.objects.create(kind="impressum", title="Impressum", body="<p>Text</p>")
    listed = locations(client, reverse("press:sitemap"))
    assert f"{SITE}/impressum/" in listed
    assert f"{SITE}/leichte-sprache/" not in listed
    assert client.get("/leichte-sprache/").status_code == 404


@pytest.mark.parametrize("state", ["draft", "in_review", "scheduled", "withdrawn"])
def test_a_topic_or_spokesperson_only_a_hidden_article_uses_is_not_in_the_sitemap(
    client, make_article, published_article, state
):
    topic = Topic.objects.create(name="Geheimes Vorhaben")
    person = Spokesperson.objects.create(name="Verena Verborgen", function="Amtsleiterin")
    now = timezone.now()
    if state == "scheduled":
        hidden = make_article("published", title="Später", publish_at=now + timedelta(hours=1))
    elif state == "withdrawn":
        hidden = make_article("withdrawn", title="Weg", publish_at=now - timedelta(hours=1))
    else:
        hidden = make_article(state, title="Noch nicht")
    quoting(hidden, person, topic)
    listed = locations(client, reverse("press:sitemap"))
    assert f"{SITE}/themen/{topic.slug}/" not in listed
    assert f"{SITE}/sprecher/{person.slug}/" not in listed
    assert f"{SITE}{published_article.get_absolute_url()}" in listed

    # The same topic and person on a public article: now both are public and listed.
    quoting(published_article, person, topic)
    listed = locations(client, reverse("press:sitemap"))
    assert f"{SITE}/themen/{topic.slug}/" in listed
    assert f"{SITE}/sprecher/{person.slug}/" in listed


def test_the_news_sitemap_names_each_article_of_the_last_two_days_with_its_data(
    client, make_article
):
    now = timezone.now()
    fresh = make_article(
        "published", title="Jobmesse & „Ausbildung“ <2026>", publish_at=now - timedelta(hours=1)
    )
    older = make_article("published", title="Vorgestern", publish_at=now - timedelta(hours=47))
    entries = news_entries(client)
    assert set(entries) == {
        f"{SITE}{fresh.get_absolute_url()}",
        f"{SITE}{older.get_absolute_url()}",
    }
    for article in (fresh, older):
        entry = entries[f"{SITE}{article.get_absolute_url()}"]
        assert entry["name"] == "KoBa Harz"
        assert entry["language"] == "de"
        assert entry["title"] == article.title
        published = datetime.fromisoformat(entry["date"])
        assert published.tzinfo is not None
        assert published == article.publish_at.replace(microsecond=0)


def test_a_control_character_in_a_title_leaves_the_news_sitemap_valid(client, make_article):
    article = make_article("published", title="Jobcenter\x1b informiert", publish_at=timezone.now())
    entry = news_entries(client)[f"{SITE}{article.get_absolute_url()}"]
    assert entry["title"] == "Jobcenter informiert"


def test_the_news_sitemap_leaves_out_older_and_hidden_articles(client, make_article):
    now = timezone.now()
    public = make_article("published", title="Heute", publish_at=now - timedelta(hours=3))
    hidden = [
        make_article("published", title="Vor drei Tagen", publish_at=now - timedelta(hours=49)),
        make_article("published", title="Sperrfrist", publish_at=now + timedelta(hours=1)),
        make_article("withdrawn", title="Zurückgezogen", publish_at=now - timedelta(hours=2)),
        make_article("in_review", title="In Prüfung"),
        make_article("draft", title="Entwurf"),
    ]
    entries = news_entries(client)
    assert list(entries) == [f"{SITE}{public.get_absolute_url()}"]
    content = client.get(reverse("press:news_sitemap")).content.decode()
    for article in hidden:
        assert article.title not in content


def test_the_news_sitemap_follows_the_clock(client, make_article, monkeypatch):
    now = timezone.now()
    today = make_article("published", title="Heute", publish_at=now - timedelta(hours=1))
    embargoed = make_article("published", title="Sperrfrist", publish_at=now + timedelta(hours=1))
    assert list(news_entries(client)) == [f"{SITE}{today.get_absolute_url()}"]

    later = now + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert set(news_entries(client)) == {
        f"{SITE}{today.get_absolute_url()}",
        f"{SITE}{embargoed.get_absolute_url()}",
    }

    # Past two days the article leaves the news sitemap (the page cache keeps a copy at most
    # PUBLIC_CACHE_SECONDS; the test starts from an empty one).
    much_later = today.publish_at + timedelta(days=2, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: much_later)
    cache.clear()
    assert list(news_entries(client)) == [f"{SITE}{embargoed.get_absolute_url()}"]


def test_an_empty_news_sitemap_is_still_valid(client, db):
    assert news_entries(client) == {}


def test_robots_txt_names_both_sitemaps_on_site_url(client, db):
    text = client.get(reverse("press:robots"), **FOREIGN).content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml\n" in text
    assert f"Sitemap: {SITE}/sitemap-news.xml\n" in text
    assert "6666" not in text


@pytest.mark.parametrize("count", [3, 30])
def test_the_sitemaps_cost_the_same_queries_for_3_and_30_articles(
    client, make_article, spokesperson, legal_pages, settings, count, django_assert_max_num_queries
):
    settings.PUBLIC_CACHE_SECONDS = 0  # what making them costs
    now = timezone.now()
    for number in range(count):
        article = make_article(
            "published", title=f"Meldung {number}", publish_at=now - timedelta(hours=number + 1)
        )
        Quote.objects.create(article=article, spokesperson=spokesperson, text="Ein Zitat.")
    cache.clear()
    # One query per part (articles, topics, spokespersons, legal pages) and the page cache's
    # look at the next Sperrfrist; the news sitemap is one query and that look.
    with django_assert_max_num_queries(5):
        assert client.get(reverse("press:sitemap")).status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(reverse("press:news_sitemap")).status_code == 200


@pytest.mark.parametrize("page", ["abc", "0", "-1", "2", "9" * 30, "1.5", "%00"])
@pytest.mark.parametrize("name", ["press:sitemap", "press:news_sitemap"])
def test_a_page_number_is_redirected_to_the_one_sitemap(client, published_article, name, page):
    """Each sitemap is one page (far below 50,000 addresses), so the page cache keeps one copy
    and sends any query string to the plain address instead of answering an error."""
    response = client.get(f"{reverse(name)}?p={page}")
    assert response.status_code == 301
    assert response["Location"] == reverse(name)
