"""No stampede at the release minute (issue 17): when a change retires the cached pages, many
visitors asking for the same page at once get it rendered once, by the first of them, while
the others wait for it (bounded) instead of rendering it again; none gets a page of an older
state. Renders are counted in the render log (settings.PUBLIC_CACHE_RENDER_LOG), written by
the page cache each time it calls a view.

The requests run in threads with their own database connections, so the articles are saved
and committed for real (transactional_db), not in a test transaction they could not see."""

import threading
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory

from public.caching import public_cache
from public.page_cache import rendering_key

pytestmark = pytest.mark.django_db(transaction=True)

VISITORS = 8


@pytest.fixture
def render_log(settings, tmp_path) -> Path:
    path = tmp_path / "renders.log"
    settings.PUBLIC_CACHE_RENDER_LOG = str(path)
    return path


def renders(log: Path, path: str) -> int:
    """How many times the page cache rendered `path` (with its query) so far."""
    if not log.exists():
        return 0
    return sum(line.split("\t")[2] == f"{path}\n" for line in log.read_text().splitlines(True))


def all_at_once(url: str, visitors: int = VISITORS) -> list:
    """The responses to `visitors` requests for `url`, sent by as many threads at once."""
    start = threading.Barrier(visitors)
    responses = [None] * visitors

    def visit(number: int) -> None:
        try:
            start.wait()
            responses[number] = Client().get(url)
        finally:
            connection.close()

    threads = [threading.Thread(target=visit, args=(number,)) for number in range(visitors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def test_visitors_at_the_release_minute_get_the_new_index_rendered_once(
    make_article, published_article, render_log, settings
):
    settings.PUBLIC_CACHE_RENDER_WAIT_SECONDS = 20  # a loaded test machine renders slowly
    assert Client().get("/").status_code == 200  # the index before the release is cached
    released = make_article("published", title="Neue Förderung für Alleinerziehende")
    before = renders(render_log, "/")

    responses = all_at_once("/")

    assert [response.status_code for response in responses] == [200] * VISITORS
    assert all(released.slug in response.content.decode() for response in responses)
    assert renders(render_log, "/") - before == 1

    newer = make_article("published", title="Sprechzeiten zwischen den Jahren")
    page = Client().get("/").content.decode()
    assert newer.slug in page, "a page of the state before the second release was served"


def test_visitors_of_a_new_article_page_get_it_rendered_once(
    make_article, published_article, render_log, settings
):
    settings.PUBLIC_CACHE_RENDER_WAIT_SECONDS = 20
    released = make_article("published", title="Jobmesse im Landkreis Harz")
    url = released.get_absolute_url()

    responses = all_at_once(url)

    assert [response.status_code for response in responses] == [200] * VISITORS
    assert all(released.title in response.content.decode() for response in responses)
    assert renders(render_log, url) == 1


def test_a_page_not_to_keep_is_rendered_by_each_visitor_without_waiting_out_the_bound(
    published_article, render_log, settings
):
    settings.PUBLIC_CACHE_RENDER_WAIT_SECONDS = 20
    url = "/?page=99"  # a public address, answered 404: nothing to keep, nothing to wait for
    started = time.monotonic()

    responses = all_at_once(url)

    assert [response.status_code for response in responses] == [404] * VISITORS
    assert renders(render_log, url) == VISITORS
    assert time.monotonic() - started < 20


def test_a_request_waits_for_a_renderer_that_died_no_longer_than_the_bound(
    published_article, render_log, settings
):
    settings.PUBLIC_CACHE_RENDER_WAIT_SECONDS = 0.5
    key = public_cache.page_key(RequestFactory().get("/"))
    cache.add(rendering_key(key), 4711, 60)  # taken by a worker that was killed mid-render

    started = time.monotonic()
    response = Client().get("/")
    waited = time.monotonic() - started

    assert response.status_code == 200
    assert published_article.slug in response.content.decode()
    assert waited >= 0.45
    assert renders(render_log, "/") == 1
    assert public_cache.get_page(key) is not None, "the page rendered after the wait is kept"


def test_the_render_log_has_one_line_per_render_with_process_time_and_address(
    published_article, render_log
):
    Client().get("/suche/?q=Vorspann")
    Client().get("/suche/?q=Vorspann")  # from the cache: no render

    (line,) = render_log.read_text().splitlines(True)
    pid, when, path = line.rstrip("\n").split("\t")
    assert int(pid) > 0
    assert abs(float(when) - time.time()) < 60
    assert path == "/suche/?q=Vorspann"
