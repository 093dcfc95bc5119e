"""No input a visitor can send makes the public site fail (issue 12, item 10): odd paths and
query values answer a page, a redirect, or 400/404 in the site's design, never 500 or a false
"503 unavailable"."""

import random

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from press.models import Article
from public import search

EXPECTED = {200, 301, 302, 400, 404, 410}

ODD_VALUES = [
    "",
    " ",
    "abc",
    "-1",
    "0",
    "0001",
    "9999",
    "99999999999999999999",
    "1e3",
    "１２",  # full-width digits: str.isdigit() says yes
    "²",  # so it does here, and int() refuses it
    "\x00",
    "%",
    "'",
    '"',
    "<script>alert(1)</script>",
    "-" * 40,
    "- " * 40,
    '-"-' * 30,
    "a" * 1000,
    "🙂",
    "OR OR OR",
    "((((((((",
]


@pytest.fixture
def public_archive(published_article, spokesperson, quote):
    """One public article, quoting one person, on one topic: every list page exists."""
    return published_article


def list_pages(article: Article) -> list[str]:
    """Every public page that reads query parameters."""
    date = timezone.localtime(article.publish_at)
    return [
        reverse("press:index"),
        reverse("press:year", args=[date.year]),
        reverse("press:month", args=[date.year, date.month]),
        reverse("press:topic", args=[article.topics.get().slug]),
        reverse("press:spokesperson", args=[article.quotes.get().spokesperson.slug]),
        reverse("press:search"),
        reverse("press:topics"),
        reverse("press:sitemap"),
        reverse("press:feed_rss"),
    ]


def assert_answered(response, what: str) -> None:
    assert response.status_code in EXPECTED, f"{what}: {response.status_code}"
    if response.status_code in (400, 404) and "html" in response.get("Content-Type", ""):
        assert 'class="skip-link"' in response.content.decode(), f"{what}: not our page"


@pytest.mark.parametrize("value", ODD_VALUES)
@pytest.mark.parametrize("name", ["page", "p", "q", "jahr", "thema", "zzz"])
def test_odd_query_values_never_fail_a_public_page(client, public_archive, name, value):
    for path in list_pages(public_archive):
        assert_answered(client.get(path, {name: value}), f"{path}?{name}={value!r}")
    with_words = {"q": "Kooperationsausschuss", name: value}
    assert_answered(client.get(reverse("press:search"), with_words), f"search {with_words}")


@pytest.mark.parametrize(
    "path",
    [
        "/0000/",
        "/0001/",
        "/0001/01/",
        "/0001/01/01/koba-harz/",
        "/9999/",
        "/9999/12/",
        "/9999/12/31/koba-harz/",
        "/2024/00/",
        "/2024/13/",
        "/2024/99/",
        "/2024/02/30/koba-harz/",
        "/2024/01/00/koba-harz/",
        "/2024/01/01/-/",
        "/2024/01/01/" + "a" * 300 + "/",
        "/themen/-/",
        "/themen/%ff/",
        "/themen/" + "a" * 300 + "/",
        "/themen/x/feed/",
        "/sprecher/_/",
        "/kontakt/0/vcard/",
        "/kontakt/99999999999999999999/vcard/",
        "/%ff/",
        "/suche/?q=%ff%fe",
        "/?page=%00",
        "/?page=1&page=abc",
        "/sitemap.xml?p=abc",
        "/sitemap.xml?p=99999999999999999999",
    ],
)
def test_odd_paths_answer_a_page_or_not_found(client, public_archive, path):
    assert_answered(client.get(path), path)


def test_a_year_before_the_time_zone_existed_is_not_found_in_the_sites_design(
    client, public_archive
):
    # Year 1 at midnight in Europe/Berlin (local mean time, +00:53) is still year 0 in UTC,
    # which Python cannot hold: SQLite's adapter failed with OverflowError.
    for path in ["/0001/", "/0001/01/"]:
        response = client.get(path)
        assert response.status_code == 404
        assert "Seite nicht gefunden" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["-" * 40, "- " * 40, "Wernigerode " + "-!" * 40 + "Harzgerode", "Wernigerode" + " -" * 40],
)
def test_a_search_of_many_minus_signs_answers_an_empty_result(client, public_archive, query):
    # PostgreSQL's websearch_to_tsquery nests one NOT per minus sign and gives up beyond 32
    # ("tsquery stack too small"), which the site answered as "503 unavailable".
    response = client.get(reverse("press:search"), {"q": query})
    assert response.status_code == 200
    assert list(response.context["articles"]) == []


def test_a_minus_sign_still_excludes_a_word(client, public_archive):
    def titles(query):
        response = client.get(reverse("press:search"), {"q": query})
        return [article.title for article in response.context["articles"]]

    assert titles("Kooperationsausschuss") == [public_archive.title]
    assert titles("Kooperationsausschuss -BMAS") == []
    assert titles("Kooperationsausschuss --BMAS") == []
    assert titles("Kooperationsausschuss - - - BMAS") == [public_archive.title]


@pytest.mark.postgres_only
def test_no_search_text_is_refused_by_postgresql(db):
    """Random texts heavy in websearch's operators (minus, quotes, OR, brackets) as the search
    passes them to websearch_to_tsquery: PostgreSQL parses every one."""
    rng = random.Random(12)
    pieces = list("- !&|():<>*\",.aé\\'_+/@\t") + ["or", "OR", '-"', '"a', "-(", "é-"]
    with connection.cursor() as cursor:
        for _ in range(2000):
            share = rng.random()
            text = "".join(
                "-" if rng.random() < share else rng.choice(pieces)
                for _ in range(rng.randint(30, search.MAX_QUERY_LENGTH))
            )
            cursor.execute(
                "SELECT websearch_to_tsquery('german', %s)", [search.websearch_text(text)]
            )
