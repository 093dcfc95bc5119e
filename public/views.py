"""Public pages. Every list, count and navigation comes through Article.objects.published()
(the public rule, `press.workflow.published_q()`); the article page shows an article only
when `is_public()`, and a withdrawn one that has been public as 410 Gone.

Each page runs a fixed number of queries, whatever the size of the archive
(tests/public/test_public_queries.py).
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.dates import MONTHS
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from press.models import Article, LegalPage, PressContact, Quote
from press.models.articles import PAGE_STATES

from . import search as fulltext
from .caching import public_cache
from .forms import SearchForm
from .fragments import (
    archive_nav,
    article_parts,
    decision_row,
    kept_article_parts,
    search_form,
    state_before_reading,
    teasers,
)
from .navigation import (
    months_of,
    public_count,
    public_months,
    public_or_404,
    public_spokespersons,
    public_topics,
    public_years,
)
from .paging import ArchivePaginator, month_range, query_without_page, year_range
from .structured_data import absolute_url
from .vcard import vcard

ARTICLES_PER_PAGE = 20


class ArticleListView(ListView):
    """A page of public articles, newest first, with the year and topic navigation."""

    paginate_by = ARTICLES_PER_PAGE
    # What the page cache keys a page by; other query parameters are redirected away.
    query_parameters = ("page",)
    paginator_class = ArchivePaginator
    template_name = "press/article_list.html"
    context_object_name = "articles"
    heading = ""

    def get(self, request, *args, **kwargs):
        # Before any row is read: the fragments are kept under it (public/fragments.py).
        self.state = state_before_reading()
        self.find_list()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        """The articles listed, as a callable that builds their QuerySet: a page builds it
        only when it reads its rows (public.paging.ArchivePaginator), from page_rows() by
        their keys."""
        return lambda: self.filter_articles(Article.objects.published())

    def find_list(self) -> None:
        """What the list is of, from the URL (a year, a topic, …), set on the view before
        anything is read; raises Http404 for what does not exist or is not public."""

    def filter_articles(self, articles):
        """`articles` narrowed to this list (find_list() has run)."""
        return articles

    def public_count(self) -> int | None:
        """The number of articles listed, where known without counting them."""
        return None

    def listed_months(self) -> list[tuple[date, int]] | None:
        """(first day, number of articles) of the months listed, newest first: remembered."""
        articles = self.filter_articles(Article.objects.published())
        return public_cache.get_or_set(f"months:{self.request.path}", lambda: months_of(articles))

    def get_paginator(self, queryset, per_page, **kwargs):
        params = query_without_page(self.request.GET)
        return ArchivePaginator(
            queryset,
            per_page,
            count=self.public_count(),
            months=self.listed_months,
            count_key=f"count:{self.request.path}?{params.urlencode()}",
            rows=self.page_rows,
            **kwargs,
        )

    def page_rows(self) -> QuerySet:
        """Where a page's articles are read from, by key: the list's keys are public ones."""
        return Article.objects.with_list_data()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["archive_nav"] = archive_nav(self.state, **self.nav_marks())
        context["heading"] = self.get_heading()
        context["teasers"] = self.page_teasers(context)
        return context

    def page_teasers(self, context: dict, **options) -> str:
        """`fragments.teasers()` of the page in `context` (ListView's), kept under its address:
        the request's path and canonical query with the page's number. `options`: the
        fragment's keyword arguments (a search's `query`, `no_articles`)."""
        page = query_without_page(self.request.GET)
        page["page"] = context["page_obj"].number
        return teasers(
            context["articles"],
            self.state,
            f"{self.request.path}?{page.urlencode()}",
            page_obj=context["page_obj"],
            request=self.request,
            **options,
        )

    def get_heading(self) -> str:
        return self.heading or _("Pressemitteilungen")

    def nav_marks(self) -> dict:
        """What the archive navigation shows and marks for this list (`archive_nav()`)."""
        return {}


class IndexView(ArticleListView):
    def public_count(self) -> int:
        return public_count()

    def listed_months(self) -> list[tuple[date, int]]:
        return public_months()

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "is_index": True}


class DateArchiveView(ArticleListView):
    """A year or month without public articles does not exist. Checked on the paginator's
    count, which the page needs anyway (ListView's allow_empty=False costs another query)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context["paginator"].count:
            raise Http404
        return context


class YearView(DateArchiveView):
    def find_list(self) -> None:
        self.start, self.end = year_range(self.kwargs["year"])

    def filter_articles(self, articles):
        return articles.filter(publish_at__gte=self.start, publish_at__lt=self.end)

    def listed_months(self) -> list[tuple[date, int]]:
        return [(month, count) for month, count in public_months() if month.year == self.start.year]

    def get_heading(self) -> str:
        return _("Pressemitteilungen %(year)d") % {"year": self.kwargs["year"]}

    def nav_marks(self) -> dict:
        return {"year": self.kwargs["year"], "marked_year": self.kwargs["year"]}


class MonthView(DateArchiveView):
    def find_list(self) -> None:
        self.start, self.end = month_range(self.kwargs["year"], self.kwargs["month"])

    def filter_articles(self, articles):
        return articles.filter(publish_at__gte=self.start, publish_at__lt=self.end)

    def listed_months(self) -> list[tuple[date, int]]:
        return [(month, count) for month, count in public_months() if month == self.start.date()]

    def get_context_data(self, **kwargs):
        """The month before and after with public articles (None at either end of the
        archive) and the year, for the month navigation."""
        context = super().get_context_data(**kwargs)
        year, month = self.kwargs["year"], date(self.kwargs["year"], self.kwargs["month"], 1)
        months = sorted(first for first, _count in public_months())
        earlier = [first for first in months if first < month]
        later = [first for first in months if first > month]
        return {
            **context,
            "year": year,
            "month": month,
            "previous_month": earlier[-1] if earlier else None,
            "next_month": later[0] if later else None,
        }

    def nav_marks(self) -> dict:
        month = date(self.kwargs["year"], self.kwargs["month"], 1)
        return {"year": self.kwargs["year"], "month": month}

    def get_heading(self) -> str:
        return _("Pressemitteilungen %(month)s %(year)d") % {
            "month": MONTHS[self.kwargs["month"]],
            "year": self.kwargs["year"],
        }


class TopicView(ArticleListView):
    def find_list(self) -> None:
        self.topic = public_or_404(public_topics(), self.kwargs["slug"])

    def filter_articles(self, articles):
        return articles.filter(topics=self.topic.pk)

    def public_count(self) -> int:
        return self.topic.article_count

    def nav_marks(self) -> dict:
        return {"topic": self.topic}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "topic": self.topic}

    def get_heading(self) -> str:
        return _("Thema: %(topic)s") % {"topic": self.topic.name}


class SpokespersonView(ArticleListView):
    def find_list(self) -> None:
        self.spokesperson = public_or_404(public_spokespersons(), self.kwargs["slug"])

    def filter_articles(self, articles):
        quoted = Quote.objects.filter(article=OuterRef("pk"), spokesperson=self.spokesperson)
        return articles.filter(Exists(quoted))

    def public_count(self) -> int:
        return self.spokesperson.article_count

    def listed_months(self) -> None:
        # A person is quoted in a few hundred articles, which an offset walks quickly; their
        # months would cost the page a seventh query.
        return None

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "spokesperson": self.spokesperson}

    def get_heading(self) -> str:
        return _("Zitate von %(name)s") % {"name": self.spokesperson.name}


class SearchView(ArticleListView):
    template_name = "press/search.html"
    query_parameters = ("q", "jahr", "thema", "page")

    def get(self, request, *args, **kwargs):
        self.state = state_before_reading()  # before the years: see public/fragments.py
        # What the search asks, in one spelling (its page aside): what its parts are kept by.
        self.asked = query_without_page(request.GET).urlencode()
        # "search-asked": the form's data and the keys (before 2026-12-02, "search": the keys).
        name = f"search-asked:{hashlib.sha256(self.asked.encode()).hexdigest()}"
        self.found = public_cache.get_or_set(name, self.find, self.state)
        # ArticleListView.get() would read the state again.
        return ListView.get(self, request, *args, **kwargs)

    @cached_property
    def form(self) -> SearchForm:
        """The form bound to the request's query, with the public years and topics to choose
        from: made only when what the search asks (`find()`) or its form's HTML
        (`search_form()`) is not kept in this state of the archive."""
        return SearchForm(self.request.GET or None, topics=public_topics(), years=public_years())

    def find(self) -> dict:
        """What the search asks and finds, as the form decides it: {"asked": the form's
        cleaned data (q, jahr, thema), None for an empty or invalid query; "keys": the keys of
        the hits, best first (public.search.Hits.read_keys)}. Kept per state of the archive
        and query (`get()`): a search asked again before anything public changes is neither
        validated nor ranked again. The choices the form validates against are the public
        years and topics, which change only with the state.

        Measured 2026-12-02 with scripts/instructions.py (20,000 articles on PostgreSQL, page
        cache off, "Jobcenter" asked again): 8.5 -> 6.3 million instructions per request,
        against the form bound, validated and its choices read from the cache each time;
        served by gunicorn (`make bench` at 20,000 only, alternating twice): 526 / 439 ->
        618 / 601 requests/s for the common word, 565 / 493 -> 808 / 685 for the rare one."""
        if not self.form.is_valid() or not self.form.cleaned_data["q"]:
            return {"asked": None, "keys": []}
        asked = dict(self.form.cleaned_data)
        return {"asked": asked, "keys": self.hits(asked).read_keys()}

    def hits(self, asked: dict) -> fulltext.Hits:
        """The hits of the cleaned query `asked` among the public articles of its year and
        topic, as public.search.search() finds them; no query is run until they are read."""

        def articles() -> QuerySet:
            articles = Article.objects.published()
            if asked["jahr"]:
                start, end = year_range(int(asked["jahr"]))
                articles = articles.filter(publish_at__gte=start, publish_at__lt=end)
            if asked["thema"]:
                articles = articles.filter(topics__slug=asked["thema"])
            return articles.with_list_data()

        return fulltext.search(articles, asked["q"])

    def get_queryset(self):
        """The hits (public.search.Hits) with the keys `find()` kept; nothing for an empty or
        invalid query."""
        asked = self.found["asked"]
        if asked is None:
            return Article.objects.none()
        hits = self.hits(asked)
        hits.keys = self.found["keys"]
        return hits

    def get_paginator(self, queryset, per_page, **kwargs):
        # The hits know their number, ranked already: paged as Django pages a list.
        return Paginator(queryset, per_page, **kwargs)

    def get_context_data(self, **kwargs):
        # ArticleListView's teasers and marks are a list's; a search makes its own.
        context = super(ArticleListView, self).get_context_data(**kwargs)
        asked = self.found["asked"]
        query = asked["q"] if asked else ""
        found = ""
        if query:
            nothing = _(
                "Keine Artikel gefunden. Versuchen Sie ein anderes Wort oder entfernen Sie Filter."
            )
            found = self.page_teasers(context, query=query, no_articles=nothing)
        return {
            **context,
            "search_form": search_form(lambda: self.form, self.state, self.asked),
            "query": query,
            "teasers": found,
            "archive_nav": archive_nav(self.state),
            "heading": _("Suche"),
            # The message of {% blocktranslate %}, made here: the template stays plain.
            "title": _("Suche nach „%(query)s“") % {"query": query} if query else _("Suche"),
        }


def public_article(
    request: HttpRequest,
    year: int,
    month: int,
    day: int,
    slug: str,
    articles: QuerySet | None = None,
) -> Article | HttpResponse:
    """The public article at /<year>/<month>/<day>/<slug>/, read from `articles` (default:
    with everything its page renders, `with_page_data()`), or the answer in its place
    (`public_or_gone()`). Raises Http404 for anything not public. Shared by the article page
    and its PDF (public/pdf.py)."""
    if articles is None:
        articles = Article.objects.with_page_data()
    article = get_object_or_404(articles.filter(state__in=PAGE_STATES), slug=slug)
    return public_or_gone(request, article, (year, month, day))


def public_or_gone(
    request: HttpRequest, article: Article, address: tuple[int, int, int]
) -> Article | HttpResponse:
    """`article` (published or withdrawn, asked for at the date `address`) if it is public,
    else the answer in its place: 410 Gone with the withdrawn page for an article withdrawn
    after it was public, a permanent redirect to the same view at the article's publication
    date for a wrong date. Raises Http404 for anything not public."""
    if article.state == Article.State.WITHDRAWN and article.has_been_public():
        return render(request, "press/article_withdrawn.html", {"article": article}, status=410)
    if not article.is_public():
        raise Http404
    published = article.publication_date
    if address != (published.year, published.month, published.day):
        date = {"year": published.year, "month": published.month, "day": published.day}
        return redirect(request.resolver_match.view_name, slug=article.slug, **date, permanent=True)
    return article


def article_detail(
    request: HttpRequest, year: int, month: int, day: int, slug: str
) -> HttpResponse:
    """The article page: whether and where the article is public is decided on every request
    (`public_or_gone()`), on its row, read from the database unless the page's parts are kept
    in this state of the archive with the row they were made from (`decision_row()`, see
    public/fragments.py); what the page shows comes from `article_parts()`."""
    state = state_before_reading()  # before the row: see public/fragments.py
    parts = kept_article_parts(slug, state)
    if parts:
        answer = public_or_gone(request, decision_row(parts), (year, month, day))
    else:
        answer = public_article(request, year, month, day, slug, Article.objects.with_page_row())
    if isinstance(answer, HttpResponse):
        return answer
    context = {"article": answer, "parts": parts or article_parts(answer, state)}
    return render(request, "press/article_detail.html", context)


def topic_list(request: HttpRequest) -> HttpResponse:
    topics = public_topics()
    return render(request, "press/topic_list.html", {"topics": topics})


def spokesperson_list(request: HttpRequest) -> HttpResponse:
    spokespersons = public_spokespersons()
    return render(request, "press/spokesperson_list.html", {"spokespersons": spokespersons})


def contact_list(request: HttpRequest) -> HttpResponse:
    contacts = PressContact.objects.order_by("-is_default", "label")
    return render(request, "press/contact_list.html", {"contacts": contacts})


def contact_vcard(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(PressContact, pk=pk)
    response = HttpResponse(vcard(contact), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{contact.vcard_filename}"'
    return response


def legal_page(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in LegalPage.Kind.values:
        raise Http404
    page = get_object_or_404(LegalPage, kind=kind)
    return render(request, "press/legal_page.html", {"page": page})


OPENSEARCH_TYPE = "application/opensearchdescription+xml"


@require_safe
def opensearch_description(request: HttpRequest) -> HttpResponse:
    """The archive's search described for browsers, which then offer it as a search engine
    of its own: OpenSearch 1.1 (https://github.com/dewitt/opensearch, draft 6), linked from
    every public page's <head> (rel="search"). Absolute addresses on SITE_URL."""
    context = {
        # The specification allows 16 characters; the same name is the <link>'s title.
        "short_name": _("KoBa Harz Presse"),
        "description": _("Pressemitteilungen und Kreisblatt-Beiträge der KoBa Harz durchsuchen"),
        "language": translation.get_language(),
        "icon_url": absolute_url("/favicon.ico"),
        "search_url": absolute_url(reverse("press:search")),
        "self_url": absolute_url(reverse("press:opensearch")),
    }
    return render(request, "press/opensearch.xml", context, content_type=OPENSEARCH_TYPE)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /konto/",
        "Disallow: /suche/",
        f"Sitemap: {absolute_url(reverse('press:sitemap'))}",
        f"Sitemap: {absolute_url(reverse('press:news_sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
