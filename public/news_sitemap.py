"""/sitemap-news.xml: the Google News sitemap, the public articles of the last two days.

Format: https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap —
a <url> per article with <news:news> (namespace http://www.google.com/schemas/sitemap-news/0.9):
the publication's name and language, the publication date (W3C Datetime) and the title; only
articles published in the last two days, at most 1,000. Served by Django's sitemap view with
`templates/press/news_sitemap.xml`; addresses on SITE_URL like /sitemap.xml."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from press.models import Article
from press.text import xml_text

from .sitemaps import SiteSitemap
from .structured_data import PUBLISHER

# Google News takes articles of the last two days from a news sitemap, up to 1,000 of them.
NEWS_AGE = timedelta(days=2)
NEWS_LIMIT = 1000
NEWS_LANGUAGE = "de"  # ISO 639 code of the articles' language (the interface may be English)


@dataclass(frozen=True)
class NewsEntry:
    """One article as the news sitemap names it: `path` on this site, `title` as XML 1.0
    text, `published` as W3C Datetime in the office's time zone (2026-11-30T09:15:00+01:00),
    and the publication's name and language, the same for every article."""

    path: str
    title: str
    published: str
    publication_name: str = PUBLISHER
    language: str = NEWS_LANGUAGE


class NewsSitemap(SiteSitemap):
    """The public articles (`Article.objects.published()`) of the last `NEWS_AGE`, newest
    first, as `NewsEntry` items."""

    limit = NEWS_LIMIT

    def items(self) -> list[NewsEntry]:
        since = timezone.now() - NEWS_AGE
        articles = (
            Article.objects.published()
            .filter(publish_at__gte=since)
            .only("slug", "publish_at", "title")
            .order_by("-publish_at")[:NEWS_LIMIT]
        )
        return [
            NewsEntry(
                path=article.get_absolute_url(),
                title=xml_text(article.title),
                published=timezone.localtime(article.publish_at).replace(microsecond=0).isoformat(),
            )
            for article in articles
        ]

    def location(self, entry: NewsEntry) -> str:
        return entry.path


NEWS_SITEMAPS = {"news": NewsSitemap}
