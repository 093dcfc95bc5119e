"""/suche/: German full-text search on PostgreSQL, a folding fallback on SQLite, one page."""

from datetime import timedelta

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from press.models import Article, Quote, Spokesperson, Topic
from public import search
from tests.public.test_public_queries import add_articles


def titles(client, **params) -> list[str]:
    response = client.get(reverse("press:search"), params)
    assert response.status_code == 200
    return [article.title for article in response.context["articles"]]


@pytest.fixture
def jobcenter_article(make_article):
    return make_article(
        "published",
        title="Neues Beratungsbüro eröffnet",
        lead="Das Jobcenter berät ab Montag in der Altstadt.",
        body="<p>Frau Müller aus der Straße am Markt freut sich.</p>",
        publish_at=timezone.now() - timedelta(days=1),
    )


def test_search_finds_words_in_title_lead_and_body_whatever_the_case(client, jobcenter_article):
    assert titles(client, q="BERATUNGSBÜRO") == [jobcenter_article.title]
    assert titles(client, q="jobcenter") == [jobcenter_article.title]
    assert titles(client, q="markt") == [jobcenter_article.title]
    assert titles(client, q="Wernigerode") == []


def test_all_words_must_occur_and_minus_excludes(client, jobcenter_article):
    assert titles(client, q="Jobcenter Altstadt") == [jobcenter_article.title]
    assert titles(client, q="Jobcenter Wernigerode") == []
    assert titles(client, q="Jobcenter -Altstadt") == []


def test_search_never_shows_what_is_not_public(client, make_article, jobcenter_article):
    make_article("draft", title="Entwurf", lead="Jobcenter intern.")
    make_article(
        "published",
        title="Später",
        lead="Jobcenter bald.",
        publish_at=timezone.now() + timedelta(hours=1),
    )
    assert titles(client, q="Jobcenter") == [jobcenter_article.title]


def test_search_combines_with_year_and_topic_filters(client, make_article, jobcenter_article):
    old = make_article(
        "published",
        title="Jobcenter vor zehn Jahren",
        publish_at=timezone.make_aware(timezone.datetime(2017, 10, 6, 10, 0)),
    )
    other_topic = Topic.objects.create(name="Ausbildung")
    old.topics.set([other_topic])
    assert set(titles(client, q="Jobcenter")) == {old.title, jobcenter_article.title}
    assert titles(client, q="Jobcenter", jahr="2017") == [old.title]
    assert titles(client, q="Jobcenter", thema=other_topic.slug) == [old.title]
    assert titles(client, q="Jobcenter", jahr="2017", thema="sgb-ii") == []


def test_unknown_filter_values_are_a_form_error_not_a_crash(client, jobcenter_article):
    response = client.get(reverse("press:search"), {"q": "Jobcenter", "jahr": "1800"})
    assert response.status_code == 200
    assert list(response.context["articles"]) == []
    assert 'name="jahr" id="id_jahr" aria-invalid="true"' in response.content.decode()


def test_results_are_paginated_and_keep_the_query(client, make_article):
    now = timezone.now()
    for number in range(23):
        make_article(
            "published", title=f"Jobmesse {number}", publish_at=now - timedelta(days=number)
        )
    first = client.get(reverse("press:search"), {"q": "Jobmesse"})
    assert len(first.context["articles"]) == 20
    assert first.context["paginator"].count == 23
    assert 'href="?q=Jobmesse&amp;page=2"' in first.content.decode()
    second = client.get(reverse("press:search"), {"q": "Jobmesse", "page": 2})
    assert len(second.context["articles"]) == 3


def test_snippets_highlight_the_words_and_escape_everything_else(client, make_article):
    make_article(
        "published",
        title="Sonderzeichen",
        lead='Jobcenter: 3 < 5 & "Tom" <script>alert(1)</script>',
        body="<p>Kosten &amp; Nutzen <strong>im</strong> Jobcenter</p>",
    )
    content = client.get(reverse("press:search"), {"q": "Jobcenter"}).content.decode()
    snippet = content.split('class="snippet"')[1].split(">", 1)[1].split("</p>")[0]
    assert "<mark>Jobcenter</mark>" in snippet
    assert "3 &lt; 5 &amp; &quot;Tom&quot;" in snippet and "Kosten &amp; Nutzen" in snippet
    assert "<script" not in snippet and "<strong>" not in snippet and "&amp;amp;" not in snippet


def test_empty_query_shows_the_form_without_results(client, jobcenter_article):
    response = client.get(reverse("press:search"))
    assert response.status_code == 200
    assert list(response.context["articles"]) == []
    assert 'role="search"' in response.content.decode()


def test_an_overlong_query_is_refused_with_a_message(client, jobcenter_article):
    response = client.get(reverse("press:search"), {"q": "Jobcenter " * 40})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'aria-invalid="true"' in content and "höchstens 200 Zeichen" in content


@pytest.mark.postgres_only
def test_postgres_search_finds_inflected_forms(client, jobcenter_article):
    assert titles(client, q="Jobcenters") == [jobcenter_article.title]
    assert titles(client, q="eröffneten Beratungsbüro") == [jobcenter_article.title]


@pytest.mark.postgres_only
def test_postgres_ranks_title_over_lead_over_body(client, make_article):
    now = timezone.now()
    body = make_article("published", title="Drei", body="<p>Weiterbildung</p>", publish_at=now)
    lead = make_article("published", title="Zwei", lead="Weiterbildung", publish_at=now)
    title = make_article("published", title="Weiterbildung", publish_at=now - timedelta(days=30))
    assert titles(client, q="Weiterbildung") == [title.title, lead.title, body.title]


@pytest.mark.postgres_only
def test_postgres_understands_websearch_syntax(client, make_article, jobcenter_article):
    make_article("published", title="Jobmesse in Halberstadt")
    assert titles(client, q='"Jobcenter berät"') == [jobcenter_article.title]
    assert set(titles(client, q="Beratungsbüro OR Jobmesse")) == {
        jobcenter_article.title,
        "Jobmesse in Halberstadt",
    }
    assert titles(client, q="Jobcenter -Altstadt") == []


@pytest.fixture
def large_archive(make_article, topic, spokesperson, make_photo):
    """3,000 public articles that all contain "Jobcenter", one with a rare word; analysed, as
    autovacuum would, so that the planner chooses as it does in production."""
    add_articles(3000, topic=topic, spokesperson=spokesperson, photo=make_photo(), start=0)
    rare = make_article("published", title="Die Zukunftswerkstatt öffnet")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE press_article")
    return rare


def plan(query: str) -> str:
    return search.search(Article.objects.published, query).candidates.explain()


@pytest.mark.postgres_only
def test_postgres_search_condition_can_use_the_gin_index(large_archive):
    """The condition the search filters on is the indexed column itself (not a tsvector
    computed per row): with the other ways priced out, PostgreSQL answers it from the GIN
    index. Which way it takes on its own depends on its statistics; the bench shows it."""
    condition = search.SEARCH_VECTOR
    query = SearchQuery("Zukunftswerkstatt", config="german", search_type="websearch")
    matching = Article.objects.annotate(matches=condition).filter(matches=query)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = matching.explain()
        cursor.execute("SET enable_seqscan = on")
    assert "Bitmap Index Scan on press_article_search_vector" in plan, plan


@pytest.mark.postgres_only
def test_postgres_reads_a_common_word_along_the_date_index_and_stops(large_archive):
    """A word in every article: the newest hits are read backwards along the date index up to
    the limit, instead of ranking all 3,000."""
    common = plan("Jobcenter")
    assert common.startswith("Limit"), common
    assert "Index Scan Backward using article_state_publish_at" in common, common
    assert "Filter: (search_vector @@ " in common, common


@pytest.mark.postgres_only
def test_search_ranks_at_most_the_newest_thousand_hits(client, large_archive):
    response = client.get(reverse("press:search"), {"q": "Jobcenter"})
    assert response.context["paginator"].count == search.MAX_HITS
    assert "Jobcenter Meldung 0" in [article.title for article in response.context["articles"]]
    hits = search.search(Article.objects.published, "Jobcenter")
    oldest = Article.objects.get(title="Jobcenter Meldung 2999")
    assert oldest.pk not in hits.keys


@pytest.mark.postgres_only
def test_postgres_keeps_the_search_column_current_on_edit(client, jobcenter_article, approver):
    jobcenter_article.lead = "Jetzt mit Bewerbungstraining."
    jobcenter_article.edit(by=approver, change_note="Angebot ergänzt.")
    assert titles(client, q="Bewerbungstraining") == [jobcenter_article.title]


@pytest.mark.sqlite_only
def test_sqlite_search_ignores_the_spelling_of_umlauts(client, jobcenter_article):
    assert titles(client, q="MUELLER") == [jobcenter_article.title]
    assert titles(client, q="MÜLLER") == [jobcenter_article.title]
    assert titles(client, q="strasse") == [jobcenter_article.title]
    assert titles(client, q="Beratungsbuero") == [jobcenter_article.title]


@pytest.mark.sqlite_only
def test_sqlite_search_does_not_match_markup(client, jobcenter_article):
    assert titles(client, q="strong") == []
    assert titles(client, q="p") == []


def test_fold_spells_out_umlauts_and_drops_markup_and_accents():
    assert search.fold("<p>MÜLLER &amp; Straße, Café</p>") == " mueller & strasse, cafe "


def test_query_words_understand_or_minus_and_quotes():
    assert search.query_words('"Jobcenter Harz" OR Müller -Wernigerode') == (
        [["jobcenter", "harz"], ["mueller"]],
        ["wernigerode"],
    )


@pytest.fixture
def quoted_article(make_article):
    """Krüger is named only as the quoted spokesperson, never in the article's own text."""
    article = make_article(
        "published",
        title="Neue Kurse im Herbst",
        lead="Das Jobcenter erweitert sein Angebot.",
        publish_at=timezone.now() - timedelta(days=40),
    )
    kruger = Spokesperson.objects.create(name="Petra Krüger", function="Teamleiterin")
    Quote.objects.create(article=article, spokesperson=kruger, text="Weiterbildung lohnt sich.")
    return article


def test_spokespersons_names_and_quote_texts_are_searchable(client, quoted_article):
    assert titles(client, q="Krüger") == [quoted_article.title]
    assert titles(client, q="lohnt") == [quoted_article.title]
    assert titles(client, q="Krüger Angebot") == [quoted_article.title]
    assert titles(client, q="Jobcenter -Krüger") == []


def test_renaming_a_spokesperson_or_deleting_a_quote_changes_what_is_found(client, quoted_article):
    quote = quoted_article.quotes.get()
    quote.spokesperson.name = "Petra Krüger-Hahn"
    quote.spokesperson.save()
    assert titles(client, q="Hahn") == [quoted_article.title]
    quote.delete()
    assert titles(client, q="Krüger") == []
    assert titles(client, q="lohnt") == []


@pytest.mark.postgres_only
def test_postgres_ranks_the_spokespersons_name_like_the_title(client, make_article, quoted_article):
    body = make_article("published", title="Eins", body="<p>Frau Krüger sprach.</p>")
    title = make_article("published", title="Krüger im Amt", publish_at=quoted_article.publish_at)
    hits = titles(client, q="Krüger")
    assert hits.index(quoted_article.title) < hits.index(body.title)
    assert set(hits[:2]) == {quoted_article.title, title.title}


def test_searching_for_a_spokesperson_costs_the_same_queries_at_any_archive_size(
    client, topic, spokesperson, make_photo, settings
):
    settings.PUBLIC_CACHE_SECONDS = 0  # what a search costs; a cached page costs none
    photo = make_photo()

    def queries(total: int) -> int:
        add_articles(
            total - Article.objects.count(),
            topic=topic, spokesperson=spokesperson, photo=photo, start=Article.objects.count(),
        )  # fmt: skip
        cache.clear()  # the worst case: nothing remembered
        with CaptureQueriesContext(connection) as captured:
            assert titles(client, q="Langer")
        return len(captured)

    assert queries(3) == queries(25)


def test_invisible_characters_inside_words_do_not_hide_them(client, make_article):
    article = make_article(
        "published",
        title="Qualifizierungs\u00adoffensive gestartet",
        lead="Job\u200bcenter und Bürger\u2060geld.",
        body="<p>Die Weiter&shy;bildung und das Arbeits\u200dleben.</p>",
    )
    for word in ("Qualifizierungsoffensive", "Jobcenter", "Bürgergeld", "Weiterbildung"):
        assert titles(client, q=word) == [article.title], word
    assert titles(client, q="Arbeitsleben") == [article.title]
    assert titles(client, q="Weiter\u00adbildung") == [article.title]


def test_search_finds_inflected_forms_on_either_database(client, jobcenter_article):
    assert titles(client, q="Jobcenters") == [jobcenter_article.title]
    assert titles(client, q="eröffneten Beratungsbüro") == [jobcenter_article.title]
    assert titles(client, q="Müllers") == [jobcenter_article.title]


def test_snippets_keep_a_space_between_paragraphs(client, make_article):
    make_article(
        "published",
        title="Absätze",
        lead="",
        body="<p>Nach dem Jobcenter-Gesetz gilt Folgendes.</p><p>Im Jahr 2026 ändert sich"
        "<br>vieles.</p><ul><li>Erstens</li><li>Zweitens</li></ul>",
    )
    content = client.get(reverse("press:search"), {"q": "Jobcenter"}).content.decode()
    snippet = content.split('class="snippet"')[1].split(">", 1)[1].split("</p>")[0]
    assert "Folgendes. Im Jahr" in snippet, snippet
    assert "ändert sich vieles. Erstens Zweitens" in snippet, snippet


def test_the_search_page_explains_phrases_or_and_minus(client, db):
    content = client.get(reverse("press:search")).content.decode()
    help_text = content.split('id="search-syntax"')[1].split("</details>")[0]
    assert "Anführungszeichen" in help_text
    assert "<kbd>OR</kbd>" in help_text
    assert "<kbd>-Wort</kbd>" in help_text
