"""Cache flooding (issue 12, item 6): random query strings, other spellings of a query, HEAD
requests and made-up session cookies neither fill the page cache nor get past it."""

import secrets

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from public.caching import STAFF_COOKIE
from tests.conftest import PASSWORD
from tests.public.conftest import renders_logged

pytestmark = pytest.mark.django_db


def get(client, url: str, method: str = "get", **headers):
    """(response, SQL statements it ran and "(rendered)" for each page the page cache had
    rendered, `renders_logged()`): empty for a page from the page cache. SQL alone does
    not tell: a page whose parts are kept renders without a query."""
    before = renders_logged()
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, **headers)
    rendered = ["(rendered)"] * (renders_logged() - before)
    return response, [query["sql"] for query in queries] + rendered


@pytest.fixture
def stored_pages(monkeypatch) -> list[str]:
    """The keys of pages written to the cache from now on."""
    keys = []
    original = cache.set

    def recording_set(key, *args, **kwargs):
        if key.startswith("press:page:"):
            keys.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)
    return keys


@pytest.mark.parametrize("url", ["/", "/themen/", "/suche/?q=Vorspann", "/feed/rss/"])
def test_random_query_parameters_add_no_cache_entries(client, published_article, stored_pages, url):
    client.get(url)
    assert len(stored_pages) == 1
    joiner = "&" if "?" in url else "?"
    for _ in range(20):
        response = client.get(f"{url}{joiner}z={secrets.token_hex(8)}")
        assert response.status_code == 301
        assert response["Location"] == url
    assert len(stored_pages) == 1


def test_unknown_parameters_are_redirected_away_keeping_the_known_ones(client, published_article):
    response = client.get("/suche/?utm_source=x&q=Vorspann&jahr=2017&fbclid=1")
    assert response.status_code == 301
    assert response["Location"] == "/suche/?q=Vorspann&jahr=2017"
    assert client.get("/?page=1&z=1")["Location"] == "/?page=1"


@pytest.mark.parametrize("url", ["/", "/themen/", "/feed/rss/", "/2017/"])
def test_a_search_query_on_another_public_page_leads_to_the_search(client, published_article, url):
    client.get(url)  # the page is cached: the fast path must not answer the query either
    response = client.get(url, {"q": "Müller & Söhne", "utm_source": "x", "page": "2"})
    assert response.status_code == 301
    assert response["Location"] == "/suche/?q=M%C3%BCller+%26+S%C3%B6hne"
    assert client.get(url, {"q": " "})["Location"] == url


def test_an_article_page_with_a_query_string_is_redirected_to_its_address(
    client, published_article
):
    url = published_article.get_absolute_url()
    response = client.get(f"{url}?a=1&b=2")
    assert response.status_code == 301 and response["Location"] == url


def test_two_spellings_of_one_search_are_one_cached_page(client, published_article, stored_pages):
    first, _ = get(client, "/suche/?q=Vorspann&thema=&jahr=")
    second, queries = get(client, "/suche/?jahr=&q=Nix&q=Vorspann&thema=")
    assert queries == []
    assert second.content == first.content
    assert len(stored_pages) == 1


def test_a_page_number_spelled_otherwise_is_answered_but_not_kept(
    client, make_article, stored_pages
):
    for number in range(21):
        make_article("published", title=f"Meldung Nummer {number}")
    for spelling in ["01", "002", "last", "2.0", "abc", "99"]:
        response = client.get(f"/?page={spelling}")
        assert response.status_code in {200, 404}, spelling
    assert stored_pages == []
    client.get("/?page=2")
    assert len(stored_pages) == 1


def test_head_is_answered_from_the_page_a_get_stored(client, published_article):
    url = published_article.get_absolute_url()
    page, _ = get(client, url)
    head, queries = get(client, url, "head")
    assert queries == []
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Type"] == page["Content-Type"]


def test_a_head_request_fills_the_cache_for_get(client, published_article):
    head, _ = get(client, "/", "head")
    assert head.status_code == 200
    page, queries = get(client, "/")
    assert queries == []
    assert published_article.title in page.content.decode()


def test_robots_txt_answers_head(client, db):
    assert client.head("/robots.txt").status_code == 200


def test_a_made_up_session_cookie_neither_bypasses_the_cache_nor_costs_a_lookup(
    published_article,
):
    visitor = Client()
    visitor.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    _, first = get(visitor, "/")
    assert not [sql for sql in first if "django_session" in sql]
    _, second = get(visitor, "/")
    assert second == []


def test_a_forged_staff_marker_does_not_bypass_the_cache(published_article):
    visitor = Client()
    visitor.cookies[STAFF_COOKIE] = "1"
    get(visitor, "/")
    assert get(visitor, "/")[1] == []


def test_staff_logged_in_through_the_admin_get_fresh_pages_until_they_log_out(
    client, published_article, editor
):
    assert client.post("/admin/login/", {"username": editor.username, "password": PASSWORD})[
        "Location"
    ]
    assert STAFF_COOKIE in client.cookies and client.cookies[STAFF_COOKIE].value
    get(client, "/")
    assert get(client, "/")[1], "staff were answered from the cache"

    client.post("/admin/logout/")
    assert not client.cookies[STAFF_COOKIE].value
    get(client, "/")
    assert get(client, "/")[1] == []
