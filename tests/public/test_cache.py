"""The public page cache answers repeated requests without SQL, and never serves a page that
a publication, a correction, a withdrawal or the end of an embargo has made out of date."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from press.models import Topic
from public.caching import PublicCache, public_cache
from tests.public.conftest import renders_logged

pytestmark = pytest.mark.django_db


def get(client, url: str, **headers):
    """(response, the work it took: SQL queries plus pages rendered, `renders_logged()`), 0
    for a page answered from the page cache. SQL alone does not tell: a page whose parts
    are kept renders without a query."""
    before = renders_logged()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries) + renders_logged() - before


def cached_text(client, url: str) -> str:
    """The page, after making sure that it is in the cache: the second request does no work."""
    first, _ = get(client, url)
    second, work = get(client, url)
    assert work == 0, f"{url} was not answered from the cache"
    assert second.content == first.content
    return second.content.decode()


def surfaces(article) -> list[str]:
    return [
        reverse("press:index"),
        reverse("press:year", args=[article.publication_date.year]),
        reverse("press:topic", args=[article.topics.get().slug]),
        reverse("press:search") + "?q=Vorspann",  # in every article of make_article
        reverse("press:feed_rss"),
        reverse("press:sitemap"),
    ]


def test_a_repeated_request_is_answered_from_the_cache_without_sql_or_a_render(
    client, published_article
):
    url = published_article.get_absolute_url()
    first, work = get(client, url)
    assert work > 0
    second, work = get(client, url)
    assert work == 0
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_publishing_shows_the_new_article_on_every_cached_surface(
    client, make_article, published_article, approver
):
    waiting = make_article("in_review", title="Neue Sperrfrist für Bewerbungen")
    pages = {url: cached_text(client, url) for url in surfaces(published_article)}
    assert all(waiting.slug not in text for text in pages.values())

    waiting.publish(by=approver)

    for url in pages:
        assert waiting.slug in client.get(url).content.decode(), url
    assert client.get(waiting.get_absolute_url()).status_code == 200


def test_a_correction_replaces_the_cached_article_page_and_lists(
    client, published_article, approver
):
    url = published_article.get_absolute_url()
    assert "Aktualisiert am" not in cached_text(client, url)
    cached_text(client, "/")

    published_article.lead = "Berichtigter Vorspann mit der richtigen Zahl."
    published_article.edit(by=approver, change_note="Teilnehmerzahl berichtigt.")

    text = client.get(url).content.decode()
    assert "Berichtigter Vorspann" in text and "Teilnehmerzahl berichtigt." in text
    assert "Berichtigter Vorspann" in client.get("/").content.decode()


def test_a_withdrawal_removes_the_article_from_every_cached_page(
    client, published_article, approver
):
    slug = published_article.slug
    url = published_article.get_absolute_url()
    cached_text(client, url)
    pages = {page: cached_text(client, page) for page in surfaces(published_article)}
    assert all(slug in text for text in pages.values())

    published_article.withdraw(by=approver, reason="Versehentlich veröffentlicht.")

    gone = client.get(url)
    assert gone.status_code == 410
    assert "Versehentlich veröffentlicht." in gone.content.decode()
    for page in pages:
        assert slug not in client.get(page).content.decode(), page


def test_a_scheduled_article_appears_at_its_minute_although_the_pages_were_cached(
    client, make_article, published_article, monkeypatch
):
    due = timezone.now() + timedelta(hours=1)
    scheduled = make_article("published", title="Sperrfrist endet bald", publish_at=due)
    pages = {url: cached_text(client, url) for url in surfaces(published_article)}
    assert all(scheduled.slug not in text for text in pages.values())

    monkeypatch.setattr(timezone, "now", lambda: due - timedelta(seconds=1))
    assert get(client, "/")[1] == 0, "a minute before, the cached page is still good"

    monkeypatch.setattr(timezone, "now", lambda: due)
    for url in pages:
        assert scheduled.slug in client.get(url).content.decode(), url


def test_a_second_embargo_ends_as_exactly_as_the_first(client, make_article, monkeypatch):
    now = timezone.now()
    first = make_article("published", title="Erste Sperrfrist", publish_at=now + timedelta(hours=1))
    second = make_article(
        "published", title="Zweite Sperrfrist", publish_at=now + timedelta(hours=2)
    )
    monkeypatch.setattr(timezone, "now", lambda: first.publish_at)
    assert second.title not in cached_text(client, "/")
    monkeypatch.setattr(timezone, "now", lambda: second.publish_at)
    assert second.title in client.get("/").content.decode()


def test_any_change_to_what_pages_show_retires_them(client, published_article, topic):
    url = reverse("press:topics")
    assert "SGB II" in cached_text(client, url)
    Topic.objects.filter(pk=topic.pk).get().delete()
    assert "SGB II" not in client.get(url).content.decode()


def test_changes_the_public_does_not_see_keep_the_cached_pages(
    client, published_article, editor, django_capture_on_commit_callbacks
):
    """History rows, authors, log-in policies and accounts are not shown on public pages."""
    from django.contrib.auth.models import Group

    from press.models import ArticleEvent, Author, RolePolicy

    before = public_cache.counter()
    with django_capture_on_commit_callbacks(execute=True):
        Author.objects.create(name="Jana Winkler", user=editor)
        published_article.record(ArticleEvent.Action.EDITED, by=editor)
        policy = RolePolicy.objects.get(role=Group.objects.get(name="Freigabe"))
        policy.requires_two_factor = True
        policy.save()
        editor.first_name = "Jana"
        editor.save()
    assert public_cache.counter() == before


def test_each_change_of_what_the_public_sees_retires_the_cached_pages(
    published_article, topic, spokesperson, press_contact, make_photo, approver
):
    from press.models import LegalPage, Quote

    changes = [
        lambda: Topic.objects.create(name="Weiterbildung"),
        lambda: published_article.topics.remove(topic),
        lambda: Quote.objects.create(
            article=published_article, spokesperson=spokesperson, text="Gut so."
        ),
        lambda: spokesperson.save(),
        lambda: press_contact.save(),
        lambda: make_photo(),
        lambda: LegalPage.objects.create(kind="impressum", title="Impressum", body="<p>x</p>"),
        lambda: published_article.withdraw(by=approver, reason="Falsche Zahlen."),
    ]
    for change in changes:
        before = public_cache.counter()
        change()
        assert public_cache.counter() != before


def test_pages_rendered_before_a_commit_are_retired_after_it(
    client, published_article, approver, django_capture_on_commit_callbacks
):
    """Another worker may render and cache a page from the old rows between the save and the
    commit; the version moves on again once the change is committed."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        published_article.withdraw(by=approver, reason="Doppelt.")
        version_during_the_transaction = public_cache.counter()
    assert callbacks
    assert public_cache.counter() != version_during_the_transaction


def test_a_lost_version_count_never_starts_again_at_an_old_number(db):
    before = public_cache.counter()
    public_cache.clear()
    retired = public_cache.counter()
    cache.delete(PublicCache.COUNTER_KEY)  # evicted by a full Redis, for example
    assert public_cache.counter() not in {before, retired}


def test_logged_in_staff_neither_get_nor_fill_the_cache(client, published_article, editor):
    from tests.conftest import PASSWORD

    response = client.post("/admin/login/", {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 302
    first, _ = get(client, "/")
    second, work = get(client, "/")
    assert work > 0
    _, work = get(Client(), "/")
    assert work > 0, "the staff member's page was cached for the public"


def test_each_language_has_its_own_cached_page(client, published_article):
    german = cached_text(client, "/")
    english, _ = get(client, "/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="de">' in german
    assert '<html lang="en">' in english.content.decode()


def test_query_strings_are_cached_apart(client, make_article):
    for number in range(21):
        make_article("published", title=f"Meldung Nummer {number}")
    assert cached_text(client, "/") != cached_text(client, "/?page=2")


@pytest.fixture
def stored_keys(monkeypatch) -> list[str]:
    """The keys written to the cache from now on."""
    keys = []
    original = cache.set

    def recording_set(key, *args, **kwargs):
        keys.append(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)
    return keys


@pytest.mark.parametrize("url", ["/healthz", "/admin/login/", "/gibt-es-nicht/", "/?page=99"])
def test_health_check_admin_and_error_pages_are_never_cached(client, db, stored_keys, url):
    first, _ = get(client, url)
    second, _ = get(client, url)
    assert second.status_code == first.status_code
    assert not [key for key in stored_keys if key.startswith("press:page:")]


def test_public_pages_are_stored_under_the_version_language_and_address(
    client, published_article, stored_keys
):
    get(client, "/")
    version = public_cache.counter()
    assert [key for key in stored_keys if key.startswith(f"press:page:{version}:")]
    assert [key for key in stored_keys if ":de:" in key]


def test_the_cache_can_be_switched_off(client, published_article, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    get(client, "/")
    assert get(client, "/")[1] > 0


class Counting:
    """A compute() for get_or_set() that counts its calls."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return [self.calls]


def test_remembered_data_is_computed_once_per_state_of_the_archive(db):
    compute = Counting()
    assert public_cache.get_or_set("names", compute) == [1]
    assert public_cache.get_or_set("names", compute) == [1]
    assert compute.calls == 1


def test_remembered_data_is_computed_anew_after_a_change_in_this_process(db):
    compute = Counting()
    public_cache.get_or_set("names", compute)
    public_cache.clear()
    assert public_cache.get_or_set("names", compute) == [2]


def test_remembered_data_follows_a_change_made_by_another_worker(db):
    compute = Counting()
    public_cache.get_or_set("names", compute)
    cache.incr(PublicCache.COUNTER_KEY)  # what a save in another process does to the shared cache
    assert public_cache.get_or_set("names", compute) == [2]


def test_a_worker_takes_remembered_data_from_the_shared_cache(db):
    compute = Counting()
    public_cache.get_or_set("names", compute)
    second_worker = PublicCache()
    assert second_worker.get_or_set("names", compute) == [1]
    assert compute.calls == 1


@pytest.mark.parametrize("withdrawn", [False, True], ids=["page", "withdrawn page (410)"])
def test_a_page_from_the_cache_has_the_status_headers_and_body_of_the_rendered_one(
    client, published_article, approver, withdrawn
):
    if withdrawn:
        published_article.withdraw(by=approver, reason="Versehentlich veröffentlicht.")
    url = published_article.get_absolute_url()
    first, _ = get(client, url)
    second, work = get(client, url)
    assert work == 0
    assert (second.status_code, second.reason_phrase) == (first.status_code, first.reason_phrase)
    assert second.status_code == (410 if withdrawn else 200)
    assert dict(second.items()) == dict(first.items())
    assert int(second["Content-Length"]) == len(second.content)
    assert second.content == first.content
    assert not second.cookies


def test_a_page_kept_as_an_http_response_by_an_earlier_release_is_rendered_anew(
    client, published_article, stored_keys
):
    get(client, "/")
    [key] = [key for key in stored_keys if key.startswith("press:page:")]
    stale = HttpResponse(b"a page of an earlier release")
    cache.set(key, stale, 600)  # what the cache holds right after a deploy

    again, work = get(client, "/")
    assert again.status_code == 200
    assert work > 0
    assert published_article.slug in again.content.decode()
    third, work = get(client, "/")  # kept anew, in the current format
    assert work == 0
    assert third.content == again.content
