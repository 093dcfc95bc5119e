"""/sitemap.xml: public articles, topics and the archive's fixed pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from press.models import Article, Topic


class ArticleSitemap(Sitemap):
    changefreq = "never"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "publish_at", "corrected_at")

    def lastmod(self, article):
        return article.corrected_at or article.publish_at


class TopicSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Topic.objects.with_public_articles()


class PageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return ["press:index", "press:topics", "press:contacts"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"articles": ArticleSitemap, "topics": TopicSitemap, "pages": PageSitemap}
