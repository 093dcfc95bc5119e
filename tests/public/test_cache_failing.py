"""A failing cache (issue 12, item 7): a cache directory that cannot be written, or a Redis that
is gone, makes pages slower, never wrong and never an error; saves go through; /healthz says
what is degraded.

Tests run as root, where a read-only directory (chmod 0o555) is written all the same; a cache
directory below a regular file cannot be created or written by anyone, root included."""

import logging

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from press.models import Topic
from public import caching
from public.caching import public_cache
from tests.public.conftest import renders_logged

pytestmark = pytest.mark.django_db

CLOSED_PORT = 9  # discard: nothing listens on 127.0.0.1:9


def work_of(client, url: str) -> tuple:
    """(response, SQL queries plus pages rendered, `renders_logged()`): 0 for a page from
    the page cache; queries alone do not tell, a page whose parts are kept runs none."""
    before = renders_logged()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries) + renders_logged() - before


@pytest.fixture(autouse=True)
def _fresh_cache_state():
    """The failure state of the process's public cache is not carried into other tests."""
    yield
    public_cache.failing_until, public_cache.last_error = 0.0, ""
    public_cache.clear_owed, public_cache.errors = False, 0


def unwritable_directory(tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    return {"BACKEND": "public.caching.DiskCache", "LOCATION": str(a_file / "cache")}


def redis_gone():
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{CLOSED_PORT}/0",
        "OPTIONS": {"socket_connect_timeout": 1},
    }


@pytest.fixture(params=["unwritable directory", "redis gone"])
def broken_cache(request, tmp_path):
    backend = (
        unwritable_directory(tmp_path)
        if request.param == "unwritable directory"
        else (redis_gone())
    )
    with override_settings(CACHES={"default": backend}):
        yield request.param


def public_urls(article) -> list[str]:
    topic = article.topics.get()
    return [
        "/",
        f"/{article.publication_date.year}/",
        article.get_absolute_url(),
        "/themen/",
        topic.get_absolute_url(),
        "/sprecher/",
        "/kontakt/",
        "/suche/?q=Vorspann",
        "/feed/rss/",
        "/feed/atom/",
        "/sitemap.xml",
        "/robots.txt",
    ]


def test_every_public_page_answers_uncached_when_the_cache_fails(published_article, broken_cache):
    client = Client(raise_request_exception=False)
    for url in public_urls(published_article):
        for _ in range(2):
            response, work = work_of(client, url)
            assert response.status_code == 200, url
        assert work > 0 or url == "/robots.txt", f"{url} claims to come from a cache"


def test_saves_go_through_when_the_cache_fails(
    published_article, make_article, approver, broken_cache
):
    waiting = make_article("in_review", title="Neue Sperrfrist für Bewerbungen")
    waiting.publish(by=approver)
    published_article.lead = "Berichtigter Vorspann."
    published_article.edit(by=approver, change_note="Zahl berichtigt.")

    admin = Client(raise_request_exception=False)
    admin.force_login(approver)
    response = admin.post(reverse("admin:press_topic_add"), {"name": "Weiterbildung"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Topic.objects.filter(name="Weiterbildung").exists()
    assert waiting.title in Client().get("/").content.decode()


def test_a_failing_cache_is_logged_once_and_counted(published_article, broken_cache, caplog):
    with caplog.at_level(logging.WARNING, logger="public.caching"):
        for _ in range(3):
            Client().get("/")
        caching.public_cache.failing_until = 0.0  # retry at once, as after RETRY_SECONDS
        Client().get("/")
    warnings = [record for record in caplog.records if record.name == "public.caching"]
    assert len(warnings) == 1
    assert public_cache.errors >= 2


def test_a_change_saved_while_the_cache_was_away_retires_its_pages_when_it_is_back(
    client, published_article, approver, tmp_path
):
    """As a partition from Redis: the pages are still there afterwards, the clear was not."""
    url = published_article.get_absolute_url()
    client.get(url)
    assert work_of(client, url)[1] == 0
    with override_settings(CACHES={"default": unwritable_directory(tmp_path)}):
        published_article.lead = "Berichtigter Vorspann während des Ausfalls."
        published_article.edit(by=approver, change_note="Zahl berichtigt.")
    public_cache.failing_until = 0.0  # RETRY_SECONDS later
    assert "während des Ausfalls" in client.get(url).content.decode()


def test_pages_are_cached_in_a_running_redis(published_article, approver, tmp_path):
    """The positive case: the shared Redis of several machines (127.0.0.1:6379 on CI)."""
    backend = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/14",
        "KEY_PREFIX": f"test-{tmp_path.name}",
    }
    with override_settings(CACHES={"default": backend}):
        client = Client()
        client.get("/")
        assert work_of(client, "/")[1] == 0
        published_article.withdraw(by=approver, reason="Doppelt.")
        assert published_article.title not in client.get("/").content.decode()
        cache.clear()  # database 14 of the test Redis holds nothing else


def test_a_change_goes_through_when_neither_the_cache_nor_the_queue_can_be_written(
    published_article, approver, broken_cache, caplog
):
    """The owed clear is queued in a savepoint (public/tasks.py): without the task table the
    save is kept and the saving process still owes the clear."""
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute("DROP TABLE django_tasks_database_dbtaskresult")
    with caplog.at_level(logging.WARNING, logger="public.tasks"):
        published_article.lead = "Berichtigt, während Cache und Warteschlange fehlen."
        published_article.edit(by=approver, change_note="Zahl berichtigt.")
    published_article.refresh_from_db()
    assert published_article.lead == "Berichtigt, während Cache und Warteschlange fehlen."
    assert public_cache.clear_owed
    assert any("could not be queued" in record.getMessage() for record in caplog.records)
