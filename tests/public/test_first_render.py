"""Cheap first renders (issue 17, public/fragments.py): an article page, a feed and a list's
teasers reuse the parts made by an earlier request of the same state of the archive, and
whatever changes shows at once. The page cache is off in these tests (PUBLIC_CACHE_SECONDS =
0): what is proven here is the fragments', not the page cache's."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from press.models import Article, Quote, Topic
from press.models.articles import PAGE_DECISION_FIELDS
from public.feeds import WrittenItems
from public.forms import SearchForm
from public.fragments import decision_row, kept_article_parts, state_before_reading
from tests.public.test_public_queries import add_articles


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    settings.PUBLIC_CACHE_SECONDS = 0


@pytest.fixture
def article(published_article, make_photo, spokesperson):
    """A public article with a lead photo, a further photo and a quote not in its text."""
    published_article.lead_photo = make_photo(caption="Vor dem Jobcenter in Halberstadt")
    published_article.save()
    published_article.photos.add(make_photo(caption="Beratung im Foyer"))
    Quote.objects.create(
        article=published_article, spokesperson=spokesperson, text="Wir beraten jeden Tag."
    )
    return Article.objects.get(pk=published_article.pk)


def page(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def index(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def rss(client) -> str:
    response = client.get("/feed/rss/")
    assert response.status_code == 200
    return response.content.decode()


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code in (200, 410)
    return len(captured)


@pytest.mark.django_db
def test_an_unchanged_article_page_is_rendered_again_without_a_query(client, article):
    first = page(client, article)
    with CaptureQueriesContext(connection) as captured:
        again = page(client, article)
    assert again == first
    assert len(captured) == 0


@pytest.mark.django_db
def test_an_article_page_kept_in_this_state_still_sends_a_wrong_date_to_the_right_one(
    client, article
):
    page(client, article)  # its parts are kept now
    day = article.publication_date - timedelta(days=1)
    wrong = reverse(
        "press:article",
        kwargs={"year": day.year, "month": day.month, "day": day.day, "slug": article.slug},
    )
    with CaptureQueriesContext(connection) as captured:
        response = client.get(wrong)
    assert len(captured) == 0
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


@pytest.mark.django_db
def test_the_kept_row_holds_what_decides_the_page_and_defers_the_rest(client, article):
    page(client, article)
    with translation.override("de"):
        row = decision_row(kept_article_parts(article.slug, state_before_reading()))
    assert (row.pk, row.slug, row.title, row.state) == (
        article.pk,
        article.slug,
        article.title,
        "published",
    )
    assert (row.publish_at, row.withdrawn_at) == (article.publish_at, None)
    assert {"body", "lead", "lead_photo_id"} <= row.get_deferred_fields()
    assert not set(PAGE_DECISION_FIELDS) & row.get_deferred_fields()


@pytest.mark.django_db
def test_a_kept_article_page_is_not_found_at_once_when_its_article_is_deleted(client, article):
    page(client, article)
    Article.objects.filter(pk=article.pk).delete()
    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_an_unchanged_feed_is_written_again_without_a_query(client, article):
    first = rss(client)
    with CaptureQueriesContext(connection) as captured:
        again = rss(client)
    assert again == first
    assert len(captured) == 0


@pytest.mark.django_db
def test_a_photo_caption_change_shows_at_once(client, article):
    assert "Vor dem Jobcenter in Halberstadt" in page(client, article)
    assert "Vor dem Jobcenter in Halberstadt" in rss(client)
    photo = article.lead_photo
    photo.caption = "Vor dem Jobcenter in Wernigerode"
    photo.save()
    assert "Vor dem Jobcenter in Wernigerode" in page(client, article)
    assert "Halberstadt" not in page(client, article)
    assert "Vor dem Jobcenter in Wernigerode" in rss(client)
    further = article.photos.get()
    further.caption = "Beratung am Empfang"
    further.save()
    assert "Beratung am Empfang" in page(client, article)


@pytest.mark.django_db
def test_a_spokesperson_rename_shows_at_once(client, article, spokesperson):
    assert "Claudia Langer" in page(client, article)
    spokesperson.name = "Claudia Langer-Berg"
    spokesperson.save()
    assert "Claudia Langer-Berg" in page(client, article)


@pytest.mark.django_db
def test_a_press_contact_change_shows_at_once(client, article, press_contact):
    assert "03943 58-3234" in page(client, article)
    press_contact.phone = "03943 58-9999"
    press_contact.save()
    content = page(client, article)
    assert "03943 58-9999" in content
    assert "58-3234" not in content


@pytest.mark.django_db
def test_a_topic_rename_shows_at_once(client, article, topic):
    assert ">SGB II</a>" in page(client, article)  # the title says "SGB II", too
    assert ">SGB II</a>" in index(client)
    topic.name = "Grundsicherung"
    topic.save()
    assert ">Grundsicherung</a>" in page(client, article)
    assert ">Grundsicherung</a>" in index(client)
    assert ">SGB II</a>" not in index(client)
    assert "<category>Grundsicherung</category>" in rss(client)


@pytest.mark.django_db
def test_corrections_show_at_once_newest_first(client, article, approver):
    page(client, article), rss(client)
    assert "· aktualisiert" not in index(client)
    article.body = "<p>Text des Artikels, korrigiert.</p>"
    article.edit(by=approver, change_note="Zahl im ersten Absatz berichtigt.")
    article.refresh_from_db()
    article.lead = "Ein anderer Vorspann."
    article.edit(by=approver, change_note="Vorspann ergänzt.")
    content = page(client, article)
    assert "Text des Artikels, korrigiert." in content
    assert "Ein anderer Vorspann." in content
    first, second = content.index("Vorspann ergänzt."), content.index("Zahl im ersten Absatz")
    assert first < second  # newest first, as every other list of corrections
    assert "Vorspann ergänzt." in rss(client)
    assert "· aktualisiert" in index(client)
    assert "Ein anderer Vorspann." in index(client)


@pytest.mark.django_db
def test_a_withdrawn_article_is_gone_at_once_from_its_page_the_feeds_and_the_index(
    client, article, approver
):
    page(client, article), rss(client)
    assert article.title in index(client)
    article.withdraw(by=approver, reason="Falsche Zahlen.")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    assert "Falsche Zahlen." in response.content.decode()
    assert article.title not in rss(client)
    assert article.title not in index(client)


@pytest.mark.django_db
def test_an_embargoed_article_appears_in_the_feed_at_the_minute_it_is_due(
    client, make_article, article
):
    due = timezone.now() + timedelta(seconds=2)
    later = make_article("published", title="Meldung mit Sperrfrist", publish_at=due)
    assert later.title not in rss(client)
    time.sleep((due - timezone.now()).total_seconds() + 0.1)  # nothing saved meanwhile
    assert later.title in rss(client)


@pytest.mark.django_db
def test_each_language_gets_its_own_parts(client, article):
    german = client.get(article.get_absolute_url()).content.decode()
    english = client.get(article.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "PDF herunterladen" in german
    assert "Download PDF" in english
    assert "PDF herunterladen" not in english
    german_list = client.get("/").content.decode()
    english_list = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<ul class="tags" aria-label="Themen">' in german_list
    assert '<ul class="tags" aria-label="Topics">' in english_list


@pytest.mark.django_db
def test_article_page_and_feed_queries_stay_flat_from_10_to_200_articles(
    client, topic, spokesperson, make_photo, press_contact
):
    photo = make_photo()
    add_articles(10, topic=topic, spokesperson=spokesperson, photo=photo, start=0)
    article = Article.objects.get(slug="jobcenter-meldung-3")
    urls = [article.get_absolute_url(), "/feed/rss/", "/feed/atom/", f"/themen/{topic.slug}/feed/"]

    def first_and_again() -> list[int]:
        counts = []
        for url in urls:
            article.save()  # a change: every fragment is made anew
            counts += [queries(client, url), queries(client, url)]
        return counts

    small = first_and_again()
    add_articles(190, topic=topic, spokesperson=spokesperson, photo=photo, start=10)
    assert first_and_again() == small
    assert small[1::2] == [0, 0, 0, 0]  # made once, then read


@pytest.fixture
def items_written(monkeypatch) -> list[str]:
    """The titles of the feed items written from now on (each is written once for what it
    holds, public.fragments.written_once); the writing itself is the real one."""
    titles = []
    write_item = WrittenItems.write_item

    def counted(feed, item):
        titles.append(item["title"])
        return write_item(feed, item)

    monkeypatch.setattr(WrittenItems, "write_item", counted)
    return titles


@pytest.mark.django_db
def test_after_a_publication_the_feed_writes_the_new_item_alone(
    client, make_article, items_written
):
    now = timezone.now()
    for number in range(5):
        make_article(
            "published",
            title=f"Ältere Meldung {number}",
            publish_at=now - timedelta(hours=number + 1),
        )
    first = rss(client)
    assert sorted(items_written) == [f"Ältere Meldung {number}" for number in range(5)]
    items_written.clear()

    make_article("published", title="Neue Meldung am Erscheinungstag")
    second = rss(client)
    assert items_written == ["Neue Meldung am Erscheinungstag"]
    assert second.count("<item>") == 6
    assert second.split("</item>", 1)[1] in first  # the five others, byte for byte


@pytest.mark.django_db
def test_a_correction_rewrites_the_corrected_item_alone(
    client, make_article, approver, items_written
):
    now = timezone.now()
    corrected = make_article(
        "published", title="Meldung mit Fehler", publish_at=now - timedelta(hours=1)
    )
    make_article("published", title="Richtige Meldung", publish_at=now - timedelta(hours=2))
    rss(client)
    items_written.clear()
    corrected.lead = "Der berichtigte Vorspann."
    corrected.edit(by=approver, change_note="Datum berichtigt.")
    assert "Der berichtigte Vorspann." in rss(client)
    assert items_written == ["Meldung mit Fehler"]


# --- searches asked again (their hits' keys and teasers kept per state of the archive) ---------


def search(client, query: str, **params) -> str:
    response = client.get("/suche/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_search_asked_again_in_the_same_state_runs_no_query(client, make_article):
    make_article("published", title="Offene Türen", body="<p>Die Zukunftswerkstatt lädt ein.</p>")
    first = search(client, "Zukunftswerkstatt")
    with CaptureQueriesContext(connection) as captured:
        again = search(client, "Zukunftswerkstatt")
    assert again == first
    assert "Die <mark>Zukunftswerkstatt</mark> lädt ein" in again
    assert '<p class="result-count" role="status">1 Treffer' in again
    assert len(captured) == 0


@pytest.mark.django_db
def test_a_search_asked_again_in_the_same_state_builds_and_validates_no_form(
    client, make_article, monkeypatch
):
    make_article("published", title="Offene Türen", body="<p>Die Zukunftswerkstatt lädt ein.</p>")
    validated = []
    full_clean = SearchForm.full_clean
    monkeypatch.setattr(
        SearchForm, "full_clean", lambda form: validated.append(form.data) or full_clean(form)
    )
    first = search(client, "Zukunftswerkstatt", jahr="1800")  # an invalid year
    assert len(validated) == 1
    assert search(client, "Zukunftswerkstatt", jahr="1800") == first
    assert 'aria-invalid="true"' in first and "Offene Türen" not in first
    assert len(validated) == 1
    search(client, "Zukunftswerkstatt")
    assert len(validated) == 2


@pytest.mark.django_db
def test_a_search_asked_before_finds_an_article_published_since_at_once(client, make_article):
    make_article("published", title="Werkstatt eins", body="<p>Die Zukunftswerkstatt.</p>")
    assert "Werkstatt zwei" not in search(client, "Zukunftswerkstatt")
    make_article("published", title="Werkstatt zwei", body="<p>Die Zukunftswerkstatt.</p>")
    found = search(client, "Zukunftswerkstatt")
    assert "Werkstatt eins" in found and "Werkstatt zwei" in found
    assert '<p class="result-count" role="status">2 Treffer' in found


@pytest.mark.django_db
def test_a_search_asked_before_no_longer_finds_a_withdrawn_article(client, make_article, approver):
    article = make_article("published", title="Werkstatt", body="<p>Die Zukunftswerkstatt.</p>")
    assert "Werkstatt" in search(client, "Zukunftswerkstatt")
    article.withdraw(by=approver, reason="Falsche Zahlen.")
    assert "Keine Artikel gefunden." in search(client, "Zukunftswerkstatt")


@pytest.mark.django_db
def test_a_search_asked_before_finds_an_embargoed_article_at_the_minute_it_is_due(
    client, make_article
):
    due = timezone.now() + timedelta(seconds=2)
    make_article("published", title="Sperrfrist-Werkstatt", body="<p>Zukunftswerkstatt</p>",
                 publish_at=due)  # fmt: skip
    assert "Sperrfrist-Werkstatt" not in search(client, "Zukunftswerkstatt")
    time.sleep((due - timezone.now()).total_seconds() + 0.1)  # nothing saved meanwhile
    assert "Sperrfrist-Werkstatt" in search(client, "Zukunftswerkstatt")


@pytest.mark.django_db
def test_each_query_filter_page_and_language_of_a_search_gets_its_own_teasers(
    client, make_article, topic
):
    make_article("published", title="Zukunftswerkstatt", body="<p>Beratung im Harz.</p>")
    make_article("published", title="Bewerbungstraining", body="<p>Beratung im Harz.</p>")
    workshop, training = search(client, "Zukunftswerkstatt"), search(client, "Bewerbungstraining")
    assert ">Zukunftswerkstatt</a>" in workshop and ">Bewerbungstraining</a>" not in workshop
    assert ">Bewerbungstraining</a>" in training and ">Zukunftswerkstatt</a>" not in training
    other = Topic.objects.create(name="Ausbildung", slug="ausbildung")
    moved = make_article("published", title="Werkstatt im Thema Ausbildung",
                         body="<p>Zukunftswerkstatt</p>")  # fmt: skip
    moved.topics.set([other])
    in_other = search(client, "Zukunftswerkstatt", thema=other.slug)
    assert ">Werkstatt im Thema Ausbildung</a>" in in_other
    assert ">Zukunftswerkstatt</a>" not in in_other
    in_topic = search(client, "Zukunftswerkstatt", thema=topic.slug)
    assert ">Zukunftswerkstatt</a>" in in_topic
    assert ">Werkstatt im Thema Ausbildung</a>" not in in_topic
    assert "Beratung im <mark>Harz</mark>" in search(client, "Harz")
    english = client.get("/suche/", {"q": "Harz"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'aria-label="Topics"' in english and 'aria-label="Themen"' not in english


@pytest.mark.django_db
def test_the_second_page_of_a_search_shows_its_own_hits(client, make_article):
    for number in range(25):
        make_article("published", title=f"Werkstatt Nummer {number}",
                     body="<p>Zukunftswerkstatt</p>")  # fmt: skip
    first, second = search(client, "Zukunftswerkstatt"), search(client, "Zukunftswerkstatt", page=2)
    titles_first = {f"Werkstatt Nummer {n}" for n in range(25) if f"Nummer {n}<" in first}
    titles_second = {f"Werkstatt Nummer {n}" for n in range(25) if f"Nummer {n}<" in second}
    assert len(titles_first) == 20 and len(titles_second) == 5
    assert not titles_first & titles_second


@pytest.mark.django_db
def test_the_search_form_shows_each_query_its_own_words_choices_and_errors(
    client, make_article, topic
):
    year = make_article("published", title="Werkstatt", body="<p>Harz</p>").publish_at.year
    chosen = search(client, "Harz", jahr=year)
    assert 'value="Harz"' in chosen
    assert f'<option value="{year}" selected>{year}</option>' in chosen
    other = search(client, "Werkstatt")
    assert 'value="Werkstatt"' in other and 'value="Harz"' not in other
    assert f'<option value="{year}">{year}</option>' in other and " selected>" not in other
    wrong = client.get("/suche/", {"q": "Harz", "jahr": "1800"}).content.decode()
    assert 'aria-invalid="true"' in wrong and 'class="errors" role="alert"' in wrong
    assert 'aria-invalid="true"' not in search(client, "Harz", jahr=year)


@pytest.mark.django_db
def test_the_search_form_offers_a_topic_at_once_when_its_first_article_is_published(
    client, make_article
):
    make_article("published", title="Werkstatt", body="<p>Harz</p>")
    assert "Ausbildung</option>" not in search(client, "Harz")
    other = Topic.objects.create(name="Ausbildung", slug="ausbildung")
    make_article("published", title="Lehrstellen", body="<p>Harz</p>").topics.set([other])
    assert '<option value="ausbildung">Ausbildung</option>' in search(client, "Harz")


@pytest.mark.django_db
def test_the_page_links_kept_with_the_teasers_show_a_new_page_at_once(client, make_article):
    now = timezone.now()
    for number in range(20):
        make_article(
            "published", title=f"Meldung {number}", publish_at=now - timedelta(days=1 + number)
        )
    assert "Seite 1 von" not in index(client)
    make_article("published", title="Die einundzwanzigste Meldung")
    again = index(client)
    assert "Seite 1 von 2" in again and 'href="?page=2"' in again


@pytest.mark.django_db
def test_the_page_links_of_a_search_are_the_same_for_every_spelling_of_its_query(
    client, make_article
):
    now = timezone.now()
    for number in range(21):
        make_article(
            "published", title=f"Jobmesse {number}", publish_at=now - timedelta(days=number)
        )
    link = 'href="?jahr=&amp;q=Jobmesse&amp;thema=&amp;page=2"'
    one = client.get("/suche/?thema=&q=Jobmesse&jahr=").content.decode()
    other = client.get("/suche/?jahr=&q=Jobmesse&thema=").content.decode()
    assert link in one and link in other
