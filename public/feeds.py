"""RSS and Atom feeds of the public archive: the 20 newest public articles.

Every address in a feed is absolute on SITE_URL (`absolute_url`): Django's syndication
framework would otherwise complete them with the request's host and scheme, which a client
chooses and the page cache would hand to every later reader."""

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from press.models import Article, ArticleEvent, Topic
from press.text import xml_text

from .structured_data import absolute_url

FEED_LENGTH = 20


def xml_safe(value):
    """`value` with every text in it through `xml_text`: strings, and the strings in lists,
    tuples and dicts (a feed's and an item's fields); anything else as it is."""
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, dict):
        return {key: xml_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(xml_safe(item) for item in value)
    return value


def with_corrections(articles):
    """`articles` with their public corrections (`Article.corrections`) in one more query."""
    return articles.prefetch_related(
        Prefetch("events", ArticleEvent.corrections_q(), to_attr="correction_list")
    )


class LatestArticlesFeed(Feed):
    title = _("Pressemitteilungen der KoBa Harz")
    description = _("Neue Pressemitteilungen und Kreisblatt-Beiträge der Pressestelle KoBa Harz.")
    language = "de"
    url_name = "press:feed_rss"

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # Speed trick, measured with `make bench` (2026-11-24, cached RSS feed): the feed
        # generator writes the XML in hundreds of small pieces, which gunicorn sent as as many
        # small writes, about 500 requests/s; as one piece, about 5,000, like every other page.
        response.content = response.content
        return response

    def get_feed(self, obj, request):
        """The feed with every text fit for XML 1.0 (`xml_text`), whichever field it came
        from: Django's writer refuses control characters with an exception, a 500."""
        feed = super().get_feed(obj, request)
        feed.feed = xml_safe(feed.feed)
        feed.items = xml_safe(feed.items)
        return feed

    def link(self):
        return absolute_url(reverse("press:index"))

    def feed_url(self):
        return absolute_url(reverse(self.url_name))

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def items(self):
        return with_corrections(Article.objects.published().with_list_data())[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        """The lead, then every public correction note with its date, newest first: a reader
        of the feed learns what changed, as on the article page."""
        notes = [
            _("Aktualisiert am %(date)s: %(note)s")
            % {
                "date": formats.date_format(timezone.localtime(event.at), "DATETIME_FORMAT"),
                "note": event.comment,
            }
            for event in item.corrections
        ]
        return "\n\n".join([item.lead, *notes]) if notes else item.lead

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.corrected_at or item.publish_at

    def item_categories(self, item):
        return [topic.name for topic in item.topic_list]

    def item_author_name(self, item):
        return _("Pressestelle KoBa Harz")

    def item_guid(self, item):
        return absolute_url(item.get_absolute_url())

    item_guid_is_permalink = True


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    url_name = "press:feed_atom"
    subtitle = LatestArticlesFeed.description


class TopicFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, topic):
        return _("KoBa Harz: %(topic)s") % {"topic": topic.name}

    def link(self, topic):
        return absolute_url(topic.get_absolute_url())

    def feed_url(self, topic):
        return absolute_url(reverse("press:topic_feed", args=[topic.slug]))

    def description(self, topic):
        return _("Pressemitteilungen der KoBa Harz zum Thema %(topic)s.") % {"topic": topic.name}

    def items(self, topic):
        articles = Article.objects.published().filter(topics=topic).with_list_data()
        return with_corrections(articles)[:FEED_LENGTH]
