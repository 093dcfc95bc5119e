"""/sitemap.xml: public articles, the topics and spokespersons that public articles use, the
legal pages (with Leichte Sprache and Gebärdensprache) and the archive's fixed pages.

The Google News sitemap of the last two days is `public.news_sitemap`."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from press.models import Article, LegalPage

from .navigation import public_spokespersons, public_topics


class SiteSitemap(Sitemap):
    """Addresses on SITE_URL: Django's sitemap view would take the scheme and the host from
    the request (X-Forwarded-Proto, Host), which a client chooses and the page cache would
    then hand to every visitor (see public.structured_data.absolute_url)."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ArticleSitemap(SiteSitemap):
    changefreq = "never"
    priority = 0.8

    def items(self):
        # A list: the paginator counts it without a COUNT query of its own (an archive of
        # a few thousand articles; Django's limit is 50,000 per page).
        return list(Article.objects.published().only("slug", "publish_at", "corrected_at"))

    def lastmod(self, article):
        return article.corrected_at or article.publish_at


class TopicSitemap(SiteSitemap):
    """Topics that a public article uses (`public_topics`, the rule of the topic pages):
    a topic of drafts or embargoed articles only is not public yet."""

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return public_topics()


class SpokespersonSitemap(SiteSitemap):
    """Spokespersons quoted in a public article (`public_spokespersons`), like their pages."""

    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return public_spokespersons()


class LegalPageSitemap(SiteSitemap):
    """Impressum, Datenschutz, Barrierefreiheit, Leichte Sprache and Gebärdensprache: those
    that Administration has written (a missing one answers 404)."""

    changefreq = "monthly"
    priority = 0.3

    def items(self):
        return list(LegalPage.objects.only("kind", "updated_at"))

    def lastmod(self, page):
        return page.updated_at


class PageSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return ["press:index", "press:topics", "press:spokespersons", "press:contacts"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "spokespersons": SpokespersonSitemap,
    "legal": LegalPageSitemap,
    "pages": PageSitemap,
}
