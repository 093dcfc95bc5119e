from django.contrib.sitemaps.views import sitemap
from django.urls import path, re_path, register_converter

from . import feeds, pdf, photos, views
from .news_sitemap import NEWS_SITEMAPS
from .sitemaps import SITEMAPS


class FourDigits:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):04d}"


class TwoDigits(FourDigits):
    """Months and days as they are printed: /2017/06/09/."""

    regex = "[0-9]{2}"

    def to_url(self, value: int) -> str:
        return f"{int(value):02d}"


register_converter(FourDigits, "yyyy")
register_converter(TwoDigits, "dd")

app_name = "press"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("<yyyy:year>/", views.YearView.as_view(), name="year"),
    path("<yyyy:year>/<dd:month>/", views.MonthView.as_view(), name="month"),
    path("<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/", views.article_detail, name="article"),
    # Photos only of public articles (public.photos): downloads with caption and credit.
    path(
        "<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/fotos/<int:pk>/",
        photos.photo_download,
        name="photo_download",
    ),
    path(
        "<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/fotos.zip",
        photos.photos_zip,
        name="photos_zip",
    ),
    path("fotos/<int:pk>/<str:filename>", photos.photo_file, name="photo_file"),
    path("<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/pdf/", pdf.article_pdf, name="article_pdf"),
    path("themen/", views.topic_list, name="topics"),
    path("themen/<slug:slug>/", views.TopicView.as_view(), name="topic"),
    path("themen/<slug:slug>/feed/", feeds.TopicFeed(), name="topic_feed"),
    path("sprecher/", views.spokesperson_list, name="spokespersons"),
    path("sprecher/<slug:slug>/", views.SpokespersonView.as_view(), name="spokesperson"),
    path("kontakt/", views.contact_list, name="contacts"),
    path("kontakt/<int:pk>/vcard/", views.contact_vcard, name="contact_vcard"),
    path("suche/", views.SearchView.as_view(), name="search"),
    path("feed/rss/", feeds.LatestArticlesFeed(), name="feed_rss"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-news.xml",
        sitemap,
        {"sitemaps": NEWS_SITEMAPS, "template_name": "press/news_sitemap.xml"},
        name="news_sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("opensearch.xml", views.opensearch_description, name="opensearch"),
    re_path(
        r"^(?P<kind>impressum|datenschutz|barrierefreiheit|leichte-sprache|gebaerdensprache)/$",
        views.legal_page,
        name="legal",
    ),
]
