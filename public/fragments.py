"""Cheap first renders: the expensive, stable parts of public pages, made once per state of the
public archive and then shared by every request and every worker until something public
changes. Nothing here decides what is public: the article page applies the rule
(public.views.public_or_gone) on every request, to the row that decides it; when the page's
parts are kept, that row is the one kept with them (`article_parts()`, made only for a public
article), under the same state, which moves with every save of the article (a withdrawal, a
correction). It is then exactly as fresh as the page cache, which answers the same page under
the same state without reading anything.

Which key, and why. Everything but feed items is kept with `public_cache.get_or_set()` under
the state the view read before any row (`state_before_reading()`), which moves whenever
anything a public page shows is saved or deleted (public/apps.py lists the models: articles
and their topics and photos, photos, topics, spokespersons, quotes, press contacts, legal
pages) and at the minute an embargo ends. A key made of the article's own `version` or
`updated_at` would not be sound: the article page shows rows that change without the article
being saved (a photo's caption, a spokesperson's name, a press contact's telephone number),
and those rows carry no change stamp; a key that is sound for them would have to read them
all, which is the work a fragment saves. The price of the shared key: after any change, each
page's parts are made once more. A feed item is the exception (`written_once()`): the dict
it is written from holds everything it shows, so its hash is a sound key that survives
changes elsewhere. A fragment varies by the language (its labels and dates) and by what it
shows (the article, the page of a list, the feed and its topic), never by the request: every
address in it is absolute on SITE_URL or a path.

Measured with scripts/instructions.py on 2026-11-30 (million instructions per uncached
request, 20,000 articles on PostgreSQL, page cache off): article page 36.9 -> 14.3, RSS 58.1
-> 22.2, index 47.9 -> 27.5, topic page 49.1 -> 28.4. The steps of 2026-12-01 (teasers by page
address, one navigation fragment, the frame kept, the narrow article row, written feed items),
in function calls per uncached request (cProfile, same database): index 16,970 -> 3,570, topic
page 17,480 -> 4,090, article 10,780 -> 2,990, RSS 15,620 -> 1,890. The first request after a
change (the state moved before each): index 43,950 -> 41,150, article 27,400 -> 24,770, RSS
38,860 -> 25,920 calls; a list page's first render is mostly counting.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import django
from django.core.paginator import Page
from django.db import DEFAULT_DB_ALIAS, DatabaseError
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from press.links import link
from press.models import Article
from press.models.articles import PAGE_DECISION_FIELDS, page_prefetches

from .caching import DATA_SECONDS, CacheUnavailable, public_cache
from .forms import SearchForm
from .navigation import public_months, public_topics, public_years
from .search import MAX_HITS, add_snippets
from .structured_data import article_metadata

ARTICLE_PARTS = ("head", "content")


def state_before_reading() -> str:
    """The state of the public archive (`public_cache.version()`), to be read by a view BEFORE
    it reads the rows a fragment is made of, and passed to get_or_set(), which keeps the
    fragment under it: a fragment made from rows read after a change committed is then kept
    under the older state, which no later request asks for, never under the new state with
    rows of the old (where it would stay stale until the next change). One read of the
    shared cache for all of a page's fragments. "" when the cache fails: get_or_set() then
    makes every fragment anew."""
    try:
        return public_cache.version() or ""
    except (CacheUnavailable, DatabaseError):
        return ""


def article_parts(article: Article, state: str) -> dict:
    """{"head": HTML for the page's <head>, "content": HTML of its main content, "row": the
    values of PAGE_DECISION_FIELDS} of the public page of `article` (public: the view has
    decided so on its row, read with `with_page_row()` when `kept_article_parts()` found
    nothing) in the active language, from templates/press/includes/article_head.html and
    article_content.html. Made on the first request of a state of the archive: 4 queries
    (`page_prefetches()`, related articles); later requests find them with
    `kept_article_parts()` and decide on the kept row (`decision_row()`), with no query.
    `state`: `state_before_reading()`, read before the article's row.

    Measured 2026-12-02 (20,000 articles on PostgreSQL, page cache off) against the row read
    on every request in one narrow query: 4.1 -> 3.8 million instructions per request in the
    worker (scripts/instructions.py), and the database's share of the query gone; served by
    gunicorn (`make bench` at 20,000 only, alternating twice): 861 / 596 -> 891 / 867
    requests/s."""

    def render_parts() -> dict[str, str]:
        prefetch_related_objects([article], *page_prefetches())
        day = article.publication_date
        address = {"year": day.year, "month": day.month, "day": day.day, "slug": article.slug}
        context = {
            "article": article,
            "related_articles": article.related_articles(),
            "metadata": article_metadata(article),
            "pdf_url": link("press:article_pdf", **address),
        }
        parts = {
            part: render_to_string(f"press/includes/article_{part}.html", context)
            for part in ARTICLE_PARTS
        }
        deciding = [
            f.attname for f in Article._meta.concrete_fields if f.attname in PAGE_DECISION_FIELDS
        ]
        return {**parts, "row": {name: getattr(article, name) for name in deciding}}

    return public_cache.get_or_set(article_parts_name(article.slug), render_parts, state)


def kept_article_parts(slug: str, state: str) -> dict | None:
    """What `article_parts()` keeps for the article `slug` (unique, and frozen once public) in
    the state `state`, None if nothing: then the view reads the article's whole row."""
    return public_cache.kept(article_parts_name(slug), state)


def decision_row(parts: dict) -> Article:
    """The article as it was when `parts` (of `kept_article_parts()`) were made, with the
    fields that decide its page (PAGE_DECISION_FIELDS, in the model's order) and the others
    deferred, as `.only()` reads it: for public.views.public_or_gone, which applies the rule to
    it as to a row just read."""
    row = parts["row"]
    return Article.from_db(DEFAULT_DB_ALIAS, list(row), list(row.values()))


def article_parts_name(slug: str) -> str:
    # The name says what is kept under it ("-with-row" since the row is kept too, 2026-12-02):
    # a value an earlier release kept under the same state is never read as this one's.
    return f"fragment:article-with-row:{slug}:{translation.get_language()}"


def teasers(
    articles: Sequence[Article],
    state: str,
    page: str,
    *,
    page_obj: Page,
    request: HttpRequest,
    query: str | None = None,
    no_articles: str | None = None,
) -> str:
    """The teasers of a page of a list, `articles` (with `topic_list`: `with_list_data()`; a
    `public.paging.PageRows` reads them only when the teasers are made), followed by the
    links to the other pages of the list (`page_obj`, its Django Page), as HTML in the active
    language, from templates/press/includes/article_teasers.html and pagination.html. Kept
    per state of the archive and `page`: the list's path and canonical query with the page's
    number, which name the same articles in the same order, and the same number of pages,
    for as long as the state stands; the links are written from the canonical query of
    `request` (`{% page_url %}`), which `page` holds. A page of search hits passes its
    `query`: the teasers then follow the number of hits, and each shows a snippet of the
    article's text around the hits (public.search.add_snippets) instead of the lead.
    `no_articles`: what an empty page says. `state`: `state_before_reading()`, read before
    the articles.

    The page links kept with the teasers, measured 2026-12-02 (20,000 articles on
    PostgreSQL, page cache off, scripts/instructions.py), million instructions per request:
    index 4.9 -> 4.2, page 800 5.2 -> 4.3, topic page 5.5 -> 4.9, search asked again 6.4 ->
    5.7; the links alone had cost page 800 a quarter of its time in the worker.

    Measured 2026-12-02 with scripts/instructions.py (20,000 articles on PostgreSQL, page
    cache off, "Jobcenter" asked again in the same state): with its hits' keys
    (public.views.SearchView) and its teasers kept, 77.3 -> 12.2 million instructions per
    request and no query instead of 3; in-process, one client, 28.5 -> 3.3 ms."""

    def render_teasers() -> str:
        if query is not None:
            add_snippets(articles, query)
        context = {
            "articles": articles,
            "snippets": query is not None,
            "no_articles": no_articles or _("Keine Artikel gefunden."),
            "page_obj": page_obj,
            "paginator": page_obj.paginator,
            "request": request,
            "query": query,
            "max_hits": MAX_HITS,
        }
        return render_to_string("press/includes/article_teasers.html", context)

    address = hashlib.sha256(page.encode()).hexdigest()
    # "-and-pages" since the page links are kept too: see article_parts_name().
    name = f"fragment:teasers-and-pages:{translation.get_language()}:{address}"
    return public_cache.get_or_set(name, render_teasers, state)


def search_form(form: Callable[[], SearchForm], state: str, query: str) -> str:
    """The search form of the search page, made by `form()` (public.forms.SearchForm, bound to
    the request's query or not; called only when the HTML is not kept), as HTML in the active
    language, from templates/press/includes/search_form.html: the words asked for, the years
    and topics to choose from (public ones: they change with the state) with the chosen ones
    marked, and the form's errors. Kept per state of the archive, language and `query`, the
    request's canonical query without its page (what the form is bound to). `state`:
    `state_before_reading()`, read before the years and topics.

    Measured 2026-12-02 with scripts/instructions.py (20,000 articles on PostgreSQL, page
    cache off, "Jobcenter" asked again): 12.2 -> 8.4 million instructions per request; the
    form's widget, labels, help and the year and topic options were a third of the page."""
    address = hashlib.sha256(query.encode()).hexdigest()
    return public_cache.get_or_set(
        f"fragment:search-form:{translation.get_language()}:{address}",
        lambda: render_to_string("press/includes/search_form.html", {"form": form()}),
        state,
    )


def archive_nav(
    state: str,
    *,
    year: int | None = None,
    month: date | None = None,
    marked_year: int | None = None,
    topic=None,
) -> str:
    """The archive navigation of the list pages, as HTML in the active language, from
    templates/press/includes/archive_nav.html: the years (`public_years()`), the months of
    `year` (a year or month page's, `public_months()`) with `month` marked, the topics with
    their numbers of articles (`public_topics()`) with `topic` marked, and `marked_year`
    marked among the years. Kept per state of the archive, language and marks: at 200,000
    articles the archive spans 46 years, whose links alone cost a list page 1 ms of its 7
    ("cost that stays flat", issue 17). `state`: `state_before_reading()`."""

    def render_nav() -> str:
        months = [first for first, _count in public_months() if first.year == year]
        context = {
            "archive_years": public_years(),
            "archive_months": sorted(months) if year else [],
            "year": year,
            "month": month,
            "marked_year": marked_year,
            "nav_topics": public_topics(),
            "topic": topic,
        }
        return render_to_string("press/includes/archive_nav.html", context)

    marks = f"{year or ''}:{month or ''}:{marked_year or ''}:{topic.pk if topic else ''}"
    return public_cache.get_or_set(
        f"fragment:nav:{translation.get_language()}:{marks}", render_nav, state
    )


def feed_items(feed, obj, make_feed) -> dict:
    """The feed `feed` (a public.feeds view) of `obj` (a public topic, or None for the whole
    archive) with its items written, as `make_feed()` makes it (3 queries; the value of
    `public.feeds.WrittenItems.kept()`), in the active language; the document around the
    items is written on every request. `obj` comes from the public topics only, so no request
    can add entries of its own choosing."""
    slug = getattr(obj, "slug", "")
    name = f"fragment:feed-xml:{type(feed).__name__}:{slug}:{translation.get_language()}"
    return public_cache.get_or_set(name, make_feed)


# What written_once() keeps is named by its content, which outlives a deployment: the
# writing code is part of the name (this process's Django and public/feeds.py).
WRITER = hashlib.sha256(
    f"{django.get_version()}:{Path(__file__).with_name('feeds.py').read_bytes()!r}".encode()
).hexdigest()[:16]


def written_once(contents: list[str], write: Callable[[list[int]], list[str]]) -> list[str]:
    """The text written for each of `contents` (a deterministic text of everything it shows,
    e.g. `public.feeds.item_content()`), kept under its hash for DATA_SECONDS: only the
    contents not kept yet are written, by `write(indexes of the missing)`, which returns
    their texts in that order. No state of the archive in the name: a content written once
    is the same text whatever else changes, so a publication costs the feed one item, not
    twenty. Written anew, and not kept, while the cache fails.

    Measured 2026-12-01 (PostgreSQL, 20,000 articles, page cache off, function calls in
    the worker): the RSS feed's first render after a change 38,860 -> 25,920 calls."""
    names = [
        f"press:written:{WRITER}:{hashlib.sha256(content.encode()).hexdigest()}"
        for content in contents
    ]
    try:
        found = public_cache._call("get_many", names)
    except CacheUnavailable:
        found = None
    if found is None:
        return write(list(range(len(names))))
    missing = [index for index, name in enumerate(names) if name not in found]
    written = dict(zip(missing, write(missing), strict=True)) if missing else {}
    if written:
        with contextlib.suppress(CacheUnavailable):
            new = {names[index]: text for index, text in written.items()}
            public_cache._call("set_many", new, DATA_SECONDS)
    return [written[index] if index in written else found[name] for index, name in enumerate(names)]
