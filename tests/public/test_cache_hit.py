"""A cheap hit (issue 17): a public page in the cache is answered by the WSGI application
(newsroom.wsgi) before Django builds a request, with the same bytes and headers Django would
send, no SQL query and two reads of the cache; every rule of the page cache still holds,
because whatever the fast path cannot vouch for goes to Django."""

import io
import sys
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.http import HttpResponse, QueryDict
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls.resolvers import URLResolver
from django.utils import timezone

from newsroom.wsgi import application
from public.caching import STAFF_COOKIE, page_key, public_cache

pytestmark = pytest.mark.django_db


class Answer:
    """What a WSGI application sent: status code, headers, body. As with Django's test
    client, the database connection, which holds the test's transaction, is not closed at
    the start or end of the request."""

    def __init__(self, app, environ: dict):
        self.status, self.headers = 0, {}

        def start_response(status, headers, exc_info=None):
            self.status = int(status.split()[0])
            self.headers = dict(headers)

        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            body = app(environ, start_response)
            self.body = b"".join(body)
            if hasattr(body, "close"):
                body.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def environ(path: str = "/", query: str = "", method: str = "GET", **extra) -> dict:
    """A WSGI environ as gunicorn makes it for a request to the test server."""
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **extra,
    }


@pytest.fixture
def requests_started():
    """How many requests Django's handler has started (request_started) from now on."""
    started = []

    def count(sender, **kwargs):
        started.append(sender)

    request_started.connect(count)
    yield started
    request_started.disconnect(count)


def cached(path: str = "/", **extra) -> Answer:
    """The page after two requests through Django: rendered and stored, then found."""
    Answer(application, environ(path, **extra))
    return Answer(application, environ(path, **extra))


@pytest.fixture
def cache_operations(monkeypatch) -> list[str]:
    """The operations the code under test asks of the cache from now on (a backend's own
    calls within one, e.g. get_many made of gets, are not counted twice)."""
    operations, depth = [], [0]
    for name in ["get", "get_many", "set", "add", "delete", "incr"]:
        original = getattr(cache, name)

        def counted(*args, _original=original, _name=name, **kwargs):
            if not depth[0]:
                operations.append(_name)
            depth[0] += 1
            try:
                return _original(*args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(cache, name, counted)
    return operations


def test_a_cached_page_is_sent_before_django_with_the_bytes_and_headers_django_sends(
    published_article, requests_started
):
    url = published_article.get_absolute_url()
    cached(url)
    through_django = Answer(application.django, environ(url))
    requests_started.clear()

    fast = Answer(application, environ(url))

    assert requests_started == []
    assert fast.status == through_django.status == 200
    assert fast.body == through_django.body
    assert fast.headers == through_django.headers
    for header in ["Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"]:
        assert header in fast.headers


def test_a_hit_runs_no_sql_and_reads_the_cache_twice(published_article, cache_operations):
    cached("/")
    cache_operations.clear()
    with CaptureQueriesContext(connection) as queries:
        answer = Answer(application, environ("/"))
    assert answer.status == 200
    assert len(queries) == 0
    assert cache_operations == ["get", "get"]  # the state, the page


def test_a_hit_through_the_middleware_reads_the_cache_twice_and_resolves_nothing(
    client, published_article, cache_operations, monkeypatch
):
    client.get("/themen/")
    resolved = []
    original = URLResolver.resolve
    monkeypatch.setattr(URLResolver, "resolve", lambda *a: resolved.append(a) or original(*a))
    cache_operations.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/themen/")
    assert response.status_code == 200
    assert len(queries) == 0
    assert cache_operations == ["get", "get"]  # the state, the page
    assert resolved == []


def test_a_head_request_gets_the_headers_of_the_cached_page(published_article, requests_started):
    page = cached("/")
    requests_started.clear()
    head = Answer(application, environ("/", method="HEAD"))
    assert requests_started == []
    assert head.status == 200
    assert head.headers == page.headers


def test_the_staff_marker_goes_to_django_which_checks_its_signature(
    published_article, requests_started
):
    page = cached("/")
    requests_started.clear()
    forged = Answer(application, environ("/", HTTP_COOKIE=f"{STAFF_COOKIE}=1:forged"))
    assert requests_started, "a request with a staff marker was answered without Django"
    assert forged.body == page.body  # not signed by the site: the public's page


def test_logged_in_staff_get_pages_made_for_them_not_the_cached_ones(
    published_article, editor, requests_started
):
    from tests.conftest import PASSWORD

    cached("/")
    staff = Client()
    staff.post("/admin/login/", {"username": editor.username, "password": PASSWORD})
    with CaptureQueriesContext(connection) as queries:
        answer = Answer(application, environ("/", HTTP_COOKIE=cookie_header(staff)))
    assert answer.status == 200
    assert len(queries) > 0


def cookie_header(client: Client) -> str:
    return "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())


def test_unknown_query_parameters_are_still_redirected_once_the_page_is_cached(
    published_article,
):
    cached("/")
    answer = Answer(application, environ("/", query="utm_source=feed&page=1"))
    assert answer.status == 301
    assert answer.headers["Location"] == "/?page=1"


def test_each_language_gets_its_own_page_from_the_fast_path(published_article):
    german = cached("/")
    english = cached("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    by_cookie = cached("/", HTTP_COOKIE="django_language=en")
    assert b'<html lang="de">' in german.body
    assert b'<html lang="en">' in english.body
    assert b'<html lang="en">' in by_cookie.body


def test_a_host_the_site_does_not_serve_is_refused_although_the_page_is_cached(
    published_article,
):
    cached("/")
    answer = Answer(application, environ("/", HTTP_HOST="evil.example"))
    assert answer.status == 400


def test_plain_http_goes_to_django_to_be_redirected_when_the_site_requires_https(
    published_article, settings, requests_started
):
    # Django's SecurityMiddleware read SECURE_SSL_REDIRECT when the application was made; the
    # fast path reads it per request and leaves plain HTTP to Django whenever it is on.
    settings.SECURE_SSL_REDIRECT = True
    page = cached("/", **{"wsgi.url_scheme": "https"})
    assert page.status == 200
    requests_started.clear()
    Answer(application, environ("/", **{"wsgi.url_scheme": "https"}))
    assert requests_started == []
    Answer(application, environ("/"))
    assert requests_started, "plain HTTP was answered without SecurityMiddleware's redirect"
    Answer(application, environ("/", HTTP_X_FORWARDED_PROTO="http", **{"wsgi.url_scheme": "https"}))
    assert len(requests_started) == 2, "the proxy's X-Forwarded-Proto: http was not believed"


def test_the_fast_path_never_sends_a_page_of_an_older_state(
    make_article, published_article, monkeypatch
):
    cached("/")
    released = make_article("published", title="Neue Öffnungszeiten im Jobcenter")
    assert released.slug.encode() in Answer(application, environ("/")).body

    due = timezone.now() + timedelta(hours=1)
    scheduled = make_article("published", title="Sperrfrist um elf", publish_at=due)
    assert scheduled.slug.encode() not in cached("/").body
    monkeypatch.setattr(timezone, "now", lambda: due)
    assert scheduled.slug.encode() in Answer(application, environ("/")).body


def test_a_failing_cache_leaves_each_request_to_django_which_answers_without_it(
    published_article, tmp_path, requests_started
):
    cached("/")
    a_file = tmp_path / "a-file"
    a_file.write_text("")  # a cache directory below a regular file cannot be made
    broken = {"BACKEND": "public.caching.DiskCache", "LOCATION": str(a_file / "cache")}
    requests_started.clear()
    try:
        with override_settings(CACHES={"default": broken}):
            answer = Answer(application, environ("/"))
    finally:
        public_cache.failing_until, public_cache.last_error = 0.0, ""
        public_cache.clear_owed, public_cache.errors = False, 0
    assert answer.status == 200
    assert published_article.slug.encode() in answer.body
    assert requests_started


def test_a_page_kept_as_an_http_response_by_an_earlier_release_goes_to_django(
    published_article, requests_started
):
    page = cached("/")
    version = public_cache.version()
    key = page_key(version, "de", "/", QueryDict())
    assert cache.get(key) is not None
    cache.set(key, HttpResponse(b"a page of an earlier release"), 600)  # left from before a deploy
    requests_started.clear()

    answer = Answer(application, environ("/"))
    assert requests_started, "a page of an earlier format was sent by the fast path"
    assert answer.status == 200
    assert answer.body == page.body
    assert answer.headers == page.headers

    requests_started.clear()
    assert Answer(application, environ("/")).body == page.body  # kept anew: a fast hit again
    assert requests_started == []
