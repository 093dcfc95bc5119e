"""Cheap first renders: the expensive, stable parts of public pages, made once per state of the
public archive and then shared by every request and every worker until something public
changes. Nothing here decides what is public: the article page still reads the article's row
on every request and shows it only when `is_public()` (public.views.public_article).

Which key, and why. Everything is kept with `public_cache.get_or_set()`, that is under
`public_cache.version()`, which moves whenever anything a public page shows is saved or
deleted (public/apps.py lists the models: articles and their topics and photos, photos,
topics, spokespersons, quotes, press contacts, legal pages) and at the minute an embargo
ends. A key made of the article's own `version` or `updated_at` would not be sound: the article
page shows rows that change without the article being saved (a photo's caption, a
spokesperson's name, a press contact's telephone number), and those rows carry no change
stamp; a key that is sound for them would have to read them all, which is the work a fragment
saves. The price of the shared key: after any change, each page's parts are made once more,
at what a page cost before. A fragment varies by the language (its labels and dates) and by
what it shows (the article, the feed and its topic), never by the request: every address in
it is absolute on SITE_URL or a path.

Measured with scripts/instructions.py (20,000 articles on PostgreSQL, page cache off, the
same page requested 30 times; million instructions per request in the worker, 2026-11-30):
article page 36.9 -> 14.3, RSS feed 58.1 -> 22.2, index 47.9 -> 27.5, topic page 49.1 -> 28.4,
page 800 of the index 48.8 -> 28.4.
The first request after a change costs what it did (CPU time per request within the ±20 %
this machine's noise allows, article page, RSS and index).
"""

from __future__ import annotations

from datetime import date

from django.db import DatabaseError
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.feedgenerator import SyndicationFeed
from django.utils.translation import gettext as _

from press.links import link
from press.models import Article
from press.models.articles import page_prefetches

from .caching import CacheUnavailable, public_cache
from .structured_data import article_metadata

ARTICLE_PARTS = ("head", "content")


def state_before_reading() -> str:
    """The state of the public archive (`public_cache.version()`), to be read by a view BEFORE
    it reads the rows a fragment is made of, and put into the fragment's name: get_or_set()
    reads the state again when it stores, so a fragment made from rows read before a change
    that committed meanwhile is stored under a name no later request asks for, instead of
    under the new state (where it would stay stale until the next change). "" when the cache
    fails: get_or_set() then makes every fragment anew."""
    try:
        return public_cache.version() or ""
    except (CacheUnavailable, DatabaseError):
        return ""


def article_parts(article: Article, state: str) -> dict[str, str]:
    """{"head": HTML for the page's <head>, "content": HTML of its main content} of the public
    page of `article` (public, with lead photo and press contact selected: `with_page_row()`)
    in the active language, from templates/press/includes/article_head.html and
    article_content.html. Made on the first request of a state of the archive: 4 queries
    (`page_prefetches()`, related articles); later requests read them from the cache. `state`:
    `state_before_reading()`, read before the article's row."""

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
        return {
            part: render_to_string(f"press/includes/article_{part}.html", context)
            for part in ARTICLE_PARTS
        }

    return public_cache.get_or_set(
        f"fragment:article:{state}:{article.pk}:{translation.get_language()}", render_parts
    )


def teasers(articles: list[Article], state: str) -> str:
    """The teasers of a page of a list, `articles` (with `topic_list`: `with_list_data()`), as
    HTML in the active language, from templates/press/includes/article_teasers.html. Kept per
    state of the archive for the same articles in the same order, which the index and the
    year, month, topic and spokesperson lists share where they list the same page; the keys
    come from the archive's own pages, never from the request. `state`:
    `state_before_reading()`, read before the articles."""

    def render_teasers() -> str:
        context = {
            "articles": articles,
            "snippets": False,
            "no_articles": _("Keine Artikel gefunden."),
        }
        return render_to_string("press/includes/article_teasers.html", context)

    keys = ",".join(str(article.pk) for article in articles)
    return public_cache.get_or_set(
        f"fragment:teasers:{state}:{translation.get_language()}:{keys}", render_teasers
    )


def year_links(years: list[date], marked: int | None, state: str) -> str:
    """The year navigation's list items, as HTML in the active language, from
    templates/press/includes/year_links.html: a link to each year of `years` (1 January of
    each, `public_years()`), the year `marked` (the year page's own, else None) marked as the
    current page. Kept per state of the archive and marked year: at 200,000 articles the
    archive spans 46 years, whose links cost a list page 1 ms of its 7 to render (issue 17,
    "cost that stays flat"). `state`: `state_before_reading()`, read before the years."""

    def render_links() -> str:
        context = {"archive_years": years, "marked_year": marked}
        return render_to_string("press/includes/year_links.html", context)

    name = f"fragment:years:{state}:{translation.get_language()}:{marked or ''}"
    return public_cache.get_or_set(name, render_links)


def feed_items(feed, obj, make_feed) -> SyndicationFeed:
    """The feed `feed` (a public.feeds view) of `obj` (a public topic, or None for the whole
    archive) with its items, as `make_feed()` builds it (3 queries), in the active language;
    written to XML on every request. `obj` comes from the public topics only, so no request
    can add entries of its own choosing."""
    slug = getattr(obj, "slug", "")
    name = f"fragment:feed:{type(feed).__name__}:{slug}:{translation.get_language()}"
    return public_cache.get_or_set(name, make_feed)
