"""Public pages. Every list goes through Article.objects.published()."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.generic import ArchiveIndexView

from .models import Article, LegalPage, Spokesperson, Topic


class ArticleIndexView(ArchiveIndexView):
    date_field = "publish_at"
    paginate_by = 20
    allow_empty = True
    template_name = "press/article_list.html"

    def get_queryset(self):
        return Article.objects.published().with_list_data()


def article_detail(
    request: HttpRequest, year: int, month: str, day: str, slug: str
) -> HttpResponse:
    article = get_object_or_404(
        Article.objects.select_related("lead_photo", "press_contact").filter(
            state__in=[Article.State.PUBLISHED, Article.State.WITHDRAWN]
        ),
        slug=slug,
    )
    if article.state == Article.State.WITHDRAWN and article.has_been_public():
        return render(request, "press/article_withdrawn.html", {"article": article}, status=410)
    if not article.is_public():
        raise Http404
    return render(request, "press/article_detail.html", {"article": article})


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    articles = Article.objects.published().filter(topics=topic).with_list_data()
    return render(request, "press/article_list.html", {"topic": topic, "latest": articles})


def spokesperson_detail(request: HttpRequest, slug: str) -> HttpResponse:
    spokesperson = get_object_or_404(Spokesperson, slug=slug)
    articles = Article.objects.published().filter(quotes__spokesperson=spokesperson).distinct()
    return render(
        request,
        "press/article_list.html",
        {"spokesperson": spokesperson, "latest": articles.with_list_data()},
    )


def legal_page(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in LegalPage.Kind.values:
        raise Http404
    page = get_object_or_404(LegalPage, kind=kind)
    return render(request, "press/legal_page.html", {"page": page})
