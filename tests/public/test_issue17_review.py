"""Review of issue 17's page cache (public/caching.py, public/wsgi_hits.py, public/fragments.py):
interleavings of a request with an editor's save and with the release minute, played in one
process by letting the save happen at the point where a concurrent worker's would land."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsroom.wsgi import application
from press.models import Article
from public import caching, fragments, navigation, page_cache, receivers, tasks, views, wsgi_hits
from tests.public.test_cache_hit import Answer, cached, environ

NEW_BODY = "Berichtigt nach dem Lesen der Zeile."


@pytest.fixture
def _page_cache_off(settings):
    # The fragments' rule is proven without the page cache in front of it.
    settings.PUBLIC_CACHE_SECONDS = 0


def body_of(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_correction_saved_while_a_request_renders_shows_on_the_next_request(
    _page_cache_off,
    client,
    published_article,
    approver,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    assert NEW_BODY not in body_of(client, published_article)
    real_parts = fragments.article_parts

    def parts_after_a_concurrent_correction(article, state):
        # Another worker's editor corrects the article after this request read its row and
        # before it asks for the parts: the order two workers may well take.
        editing = Article.objects.get(pk=article.pk)
        editing.body = f"<p>{NEW_BODY}</p>"
        with django_capture_on_commit_callbacks(execute=True):
            editing.edit(by=approver, change_note="Zahl berichtigt.")
        return real_parts(article, state)

    monkeypatch.setattr(views, "article_parts", parts_after_a_concurrent_correction)
    cache.clear()  # nothing kept: the racing request makes the parts from the row it read
    body_of(client, published_article)  # the request that raced the correction
    monkeypatch.undo()
    content = body_of(client, published_article)
    assert NEW_BODY in content
    assert "Zahl berichtigt." in content


@pytest.mark.django_db
def test_a_correction_saved_after_a_request_found_the_kept_parts_shows_on_the_next_request(
    _page_cache_off, client, published_article, approver, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """The article page looks for its kept parts before it reads the row: a correction that
    commits between the two is not kept under the state the request read."""
    assert NEW_BODY not in body_of(client, published_article)
    real_kept = fragments.kept_article_parts

    def kept_then_a_concurrent_correction(slug, state):
        parts = real_kept(slug, state)
        assert parts is not None  # made by the request before
        editing = Article.objects.get(pk=published_article.pk)
        editing.body = f"<p>{NEW_BODY}</p>"
        with django_capture_on_commit_callbacks(execute=True):
            editing.edit(by=approver, change_note="Zahl berichtigt.")
        return parts

    monkeypatch.setattr(views, "kept_article_parts", kept_then_a_concurrent_correction)
    body_of(client, published_article)
    monkeypatch.undo()
    content = body_of(client, published_article)
    assert NEW_BODY in content
    assert "Zahl berichtigt." in content


def unwritable_cache(tmp_path) -> dict:
    """A diskcache directory below a regular file: nobody, root included, can write it."""
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    return {"BACKEND": "public.caching.DiskCache", "LOCATION": str(a_file / "cache")}


@pytest.fixture
def _fresh_cache_state():
    """The process's own public cache (not a stand-in another test put in its place) leaves
    its failure state behind."""
    own = caching.public_cache
    yield
    own.failing_until, own.last_error, own.clear_owed, own.errors = 0.0, "", False, 0


SHARING = (caching, fragments, views, navigation, wsgi_hits, receivers, page_cache, tasks)


@pytest.mark.django_db
def test_a_change_saved_while_the_cache_failed_is_not_served_stale_by_another_worker(
    settings, client, published_article, approver, tmp_path, monkeypatch, _fresh_cache_state,
    run_worker,
):  # fmt: skip
    """The saving worker remembers the clear it owes; the others learn of it from the task
    the change queued (public/tasks.py), which the task worker runs once the cache is back,
    and which a restart of the saving worker does not lose."""
    settings.PUBLIC_CACHE_SECONDS = 600
    url = published_article.get_absolute_url()
    assert "während des Ausfalls" not in client.get(url).content.decode()  # stored
    with override_settings(CACHES={"default": unwritable_cache(tmp_path)}):
        published_article.lead = "Berichtigter Vorspann während des Ausfalls."
        published_article.edit(by=approver, change_note="Zahl berichtigt.")
        run_worker()  # the cache still fails: the task waits and tries again
    assert caching.public_cache.clear_owed  # the saving worker knows; the other does not
    other_worker = caching.PublicCache()
    for module in SHARING:
        monkeypatch.setattr(module, "public_cache", other_worker)
    assert "während des Ausfalls" not in client.get(url).content.decode()  # not settled yet
    settle_now()
    run_worker()
    assert "während des Ausfalls" in client.get(url).content.decode()


def settle_now() -> None:
    """The queued settle_owed_clear is due now (instead of RETRY_SECONDS later)."""
    waiting = DBTaskResult.objects.filter(task_path="public.tasks.settle_owed_clear")
    assert waiting.filter(status="READY").exists()
    waiting.filter(status="READY").update(run_after=timezone.now() - timedelta(seconds=1))


@pytest.mark.django_db
def test_too_many_query_parameters_on_a_cached_path_are_a_400_not_an_error(published_article):
    cached("/")  # the path is known to this process and the index is in the cache
    too_many = "&".join(["page=1"] * 1001)
    assert Answer(application, environ("/", too_many)).status == 400


@pytest.mark.django_db
def test_too_many_query_parameters_are_a_400_where_django_answers(published_article):
    """The same request as above on a path the fast path does not know yet: Django's 400."""
    too_many = "&".join(["page=1"] * 1001)
    assert Answer(application, environ("/themen/", too_many)).status == 400


@pytest.mark.django_db
def test_at_the_sperrfrist_a_second_worker_sends_the_new_article_through_the_fast_path(
    settings, published_article, make_article, monkeypatch
):
    """Two workers: the first rendered and stored the index and the embargoes of the state;
    the second knows both only from the shared cache. When the Sperrfrist ends, the second
    worker's fast path sends no page of the old state."""
    settings.PUBLIC_CACHE_SECONDS = 600
    due = timezone.now() + timedelta(seconds=2)
    later = make_article("published", title="Meldung mit Sperrfrist zur Minute", publish_at=due)
    assert later.title.encode() not in cached("/").body
    other_worker = caching.PublicCache()
    for module in (caching, fragments, views, navigation, wsgi_hits, receivers):
        monkeypatch.setattr(module, "public_cache", other_worker)
    assert later.title.encode() not in Answer(application, environ("/")).body
    time.sleep((due - timezone.now()).total_seconds() + 0.05)  # nothing saved meanwhile
    assert later.title.encode() in Answer(application, environ("/")).body


@pytest.mark.django_db
def test_a_lead_corrected_while_the_index_renders_shows_on_the_next_request(
    _page_cache_off, client, published_article, approver, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    real_teasers = fragments.teasers

    def teasers_after_a_concurrent_correction(articles, state, page, **kwargs):
        editing = Article.objects.get(pk=published_article.pk)
        editing.lead = NEW_BODY
        with django_capture_on_commit_callbacks(execute=True):
            editing.edit(by=approver, change_note="Vorspann berichtigt.")
        return real_teasers(articles, state, page, **kwargs)

    monkeypatch.setattr(views, "teasers", teasers_after_a_concurrent_correction)
    assert client.get("/").status_code == 200  # the request that raced the correction
    monkeypatch.undo()
    assert NEW_BODY in client.get("/").content.decode()


@pytest.mark.django_db
def test_an_article_withdrawn_while_its_page_renders_is_gone_on_the_next_request(
    _page_cache_off, client, published_article, approver, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """The same race as a correction's: the stale parts are kept, but whether the article is
    public is read from its row on every request, so the withdrawal shows at once."""
    real_parts = fragments.article_parts

    def parts_after_a_concurrent_withdrawal(article, state):
        withdrawing = Article.objects.get(pk=article.pk)
        with django_capture_on_commit_callbacks(execute=True):
            withdrawing.withdraw(by=approver, reason="Falsche Zahlen.")
        return real_parts(article, state)

    monkeypatch.setattr(views, "article_parts", parts_after_a_concurrent_withdrawal)
    client.get(published_article.get_absolute_url())
    monkeypatch.undo()
    response = client.get(published_article.get_absolute_url())
    assert response.status_code == 410
    assert published_article.title not in client.get("/").content.decode()


@pytest.mark.django_db
def test_an_embargo_approved_while_the_cache_failed_shows_at_its_sperrfrist_in_another_worker(
    settings, published_article, make_article, approver, tmp_path, monkeypatch, _fresh_cache_state,
    run_worker,
):  # fmt: skip
    settings.PUBLIC_CACHE_SECONDS = 600
    waiting = make_article("in_review", title="Meldung freigegeben im Ausfall")
    assert waiting.title.encode() not in cached("/").body
    due = timezone.now() + timedelta(seconds=3)
    with override_settings(CACHES={"default": unwritable_cache(tmp_path)}):
        waiting.publish(by=approver, at=due)
    other_worker = caching.PublicCache()
    for module in SHARING:
        monkeypatch.setattr(module, "public_cache", other_worker)
    run_worker()  # the cache is back: the owed clear is settled, the embargo read anew
    time.sleep(max(0, (due - timezone.now()).total_seconds()) + 0.05)
    assert waiting.title.encode() in Answer(application, environ("/")).body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_COOKIE": "django_language=\x00de; newsroom_staf=1; ="},
        {"HTTP_ACCEPT_LANGUAGE": "*;q=abc, de-DE-x-" + "a" * 600 + ";q=0.9"},
        {"QUERY_STRING": "page=%ff%fe"},
        {"QUERY_STRING": "page=1&page=2&=&&"},
        {"HTTP_HOST": "testserver:99999999999"},
        {"HTTP_X_FORWARDED_PROTO": "https,http", "HTTP_X_FORWARDED_HOST": "evil.example"},
    ],
)
def test_odd_input_on_a_cached_path_is_no_error_and_gets_no_other_page(published_article, extra):
    plain = cached("/").body
    answer = Answer(application, environ("/", **extra))
    assert answer.status < 500
    assert b"evil.example" not in answer.body
    assert Answer(application, environ("/")).body == plain  # nothing stored in its place
