"""/sitemap.xml: public articles, topics and the archive's fixed pages."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from press.models import Article, Topic


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
        return Article.objects.published().only("slug", "publish_at", "corrected_at")

    def lastmod(self, article):
        return article.corrected_at or article.publish_at


class TopicSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Topic.objects.with_public_articles()


class PageSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return ["press:index", "press:topics", "press:contacts"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"articles": ArticleSitemap, "topics": TopicSitemap, "pages": PageSitemap}
