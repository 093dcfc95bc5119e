"""The public PDF of an article (/2017/10/06/<slug>/pdf/): the very document the admin exports
("Als PDF"), for the public only of a public article, and kept by the page cache like the page.

The document is laid out by the releases room (`releases.exporting.export_pdf`), so there is
one PDF, one layout and one size bound (settings.RELEASE_PDF_MAX_BYTES) for the editors and the
public.

What the public may have follows the article page (`public.views.public_article`): 404 for an
article that is not public, 410 with the withdrawn page for a withdrawn one, a redirect for a
wrong date. The answer lives under the page's path and so in the page cache's namespace
(public/caching.py): an anonymous visitor's PDF is laid out once per state of the archive and
language, and any change the public would see retires it with the page.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from press.models import Article
from releases.exporting import PdfTooLargeError, export_pdf

from .structured_data import absolute_url
from .views import public_article

logger = logging.getLogger(__name__)


def pdf_filename(article: Article) -> str:
    """'2017-10-06-<slug>.pdf', the name the admin's export gives a published article."""
    return f"{article.publication_date:%Y-%m-%d}-{article.slug}.pdf"


@require_safe
def article_pdf(request: HttpRequest, year: int, month: int, day: int, slug: str) -> HttpResponse:
    """The article's PDF, application/pdf, as a download. An article over the PDF's size bound
    has none: a page says so and points to the article page and its print button (404, not
    kept by the cache, and costs one query to find out)."""
    article = public_article(request, year, month, day, slug)
    if isinstance(article, HttpResponse):
        return article
    try:
        data = export_pdf(article)
    except PdfTooLargeError as error:
        logger.info("No public PDF of article %s: %s", article.pk, error)
        return render(request, "press/article_no_pdf.html", {"article": article}, status=404)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(article)}"'
    # The page is the original: search engines index it, not a copy in a second format (RFC
    # 6596, the canonical link relation, in a Link header as RFC 8288 allows for any file).
    response["Link"] = f'<{absolute_url(article.get_absolute_url())}>; rel="canonical"'
    return response
