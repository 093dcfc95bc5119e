"""RSS and Atom feeds of the public archive: the 20 newest public articles, each with its lead
as plain text, its full text as HTML and its lead photo with the credit.

Every address in a feed is absolute on SITE_URL (`absolute_url`): Django's syndication
framework would otherwise complete them with the request's host and scheme, which a client
chooses and the page cache would hand to every later reader."""

import io
import json
import mimetypes
from datetime import UTC, datetime

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _
from django.utils.xmlutils import SimplerXMLGenerator

from press.models import Article, ArticleEvent
from press.text import xml_text

from .fragments import feed_items, written_once
from .navigation import public_or_404, public_topics
from .structured_data import absolute_url

FEED_LENGTH = 20
# Media RSS (https://www.rssboard.org/media-rss) for the photo with its credit and caption;
# the RSS content module (https://web.resource.org/rss/1.0/modules/content/) for the full text.
MEDIA_NS = "http://search.yahoo.com/mrss/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


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


class MediaElements:
    """Writes an item's `photo` ({"url", "type", "width", "height", "credit", "caption"}, see
    `LatestArticlesFeed.item_extra_kwargs`) as Media RSS `media:content` with `media:credit`
    and `media:description`, in RSS and Atom alike."""

    def add_media_elements(self, handler, item) -> None:
        photo = item.get("photo")
        if not photo:
            return
        attributes = {"url": photo["url"], "type": photo["type"], "medium": "image"}
        attributes |= {key: str(photo[key]) for key in ("width", "height") if photo[key]}
        handler.startElement("media:content", attributes)
        handler.addQuickElement("media:credit", photo["credit"])
        if photo["caption"]:
            handler.addQuickElement("media:description", photo["caption"], {"type": "plain"})
        handler.endElement("media:content")


def item_content(item: dict) -> str:
    """Everything an item of a feed holds (the dict `SyndicationFeed.add_item()` makes), in
    one deterministic text: the key its XML is kept under. Enclosures by their fields, dates
    in ISO 8601, lazy translations as text."""

    def plain(value):
        if isinstance(value, Enclosure):
            return [value.url, value.length, value.mime_type]
        if isinstance(value, datetime):
            return value.isoformat()
        return str(value)

    return json.dumps(item, default=plain, sort_keys=True, ensure_ascii=False)


class WrittenItems:
    """A feed whose items can be written once and kept as XML (`kept()`, `from_kept()`): the
    feed's fields and its items' XML are what a state of the archive keeps
    (`public.fragments.feed_items`); each request writes only the document around them.

    Speed trick, kept because it pays: measured 2026-12-01 (20,000 articles on PostgreSQL,
    page cache off, function calls per request in the worker), the RSS feed 15,620 -> 1,890
    calls: Django's writer makes a dozen SAX events per element of every item."""

    items_xml: str | None = None
    latest: datetime | None = None

    def kept(self) -> dict:
        """{"feed": the feed's fields, "items_xml": its items written, "latest": the
        latest item's date or None}: a plain value for the cache. Each item is written
        once for what it holds (`public.fragments.written_once`): after a publication, the
        feed's first render writes the new item and takes the others as they were."""
        items = written_once(
            [f"{type(self).__name__}:{item_content(item)}" for item in self.items],
            lambda missing: [self.write_item(self.items[index]) for index in missing],
        )
        latest = self.latest_post_date() if self.items else None
        return {"feed": self.feed, "items_xml": "".join(items), "latest": latest}

    def write_item(self, item: dict) -> str:
        """One item as this feed type writes it (the items of `write_items()`)."""
        buffer = io.StringIO()
        handler = SimplerXMLGenerator(buffer, "utf-8", short_empty_elements=True)
        self.items, all_items = [item], self.items
        try:
            super().write_items(handler)
        finally:
            self.items = all_items
        return buffer.getvalue()

    @classmethod
    def from_kept(cls, kept: dict):
        """The feed of `kept()`'s value, ready for `write()`."""
        feed = cls(title="", link="", description="")
        feed.feed, feed.items_xml, feed.latest = kept["feed"], kept["items_xml"], kept["latest"]
        return feed

    def write_items(self, handler) -> None:
        if self.items_xml is None:
            super().write_items(handler)
        else:
            handler.ignorableWhitespace(self.items_xml)  # written as it is, unescaped

    def latest_post_date(self) -> datetime:
        if self.items_xml is None:
            return super().latest_post_date()
        return self.latest or datetime.now(tz=UTC)


class ArticleRssFeed(WrittenItems, MediaElements, Rss201rev2Feed):
    """RSS 2.0 whose `description` is the plain-text lead made HTML (escaped, paragraphs: RSS
    readers take a description as HTML), with the sanitised body as `content:encoded`."""

    def rss_attributes(self):
        return super().rss_attributes() | {"xmlns:content": CONTENT_NS, "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"]:
            handler.addQuickElement("description", linebreaks(item["description"], autoescape=True))
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        self.add_media_elements(handler, item)


class ArticleAtomFeed(WrittenItems, MediaElements, Atom1Feed):
    """Atom 1.0 (RFC 4287) that declares every text with its true type: the lead as
    `<summary type="text">` (Django writes it as "html"), the sanitised body as
    `<content type="html">`."""

    def root_attributes(self):
        return super().root_attributes() | {"xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"]:
            handler.addQuickElement("summary", item["description"], {"type": "text"})
        if item.get("content_html"):
            # xml:base (RFC 4287, section 2): the body's links to this site ("/2026/…")
            # resolve against the article's address.
            attributes = {"type": "html", "xml:base": item["link"]}
            handler.addQuickElement("content", item["content_html"], attributes)
        self.add_media_elements(handler, item)


def lead_photo(article) -> dict | None:
    """The article's lead photo for a feed: the display rendition's absolute address, MIME
    type and size in pixels, its credit and caption (the alternative text when there is no
    caption); None without a lead photo."""
    photo = article.lead_photo
    if photo is None:
        return None
    display = photo.display
    return {
        "url": absolute_url(display["url"]),
        "type": mimetypes.guess_type(display["url"])[0] or "image/jpeg",
        "width": display["width"],
        "height": display["height"],
        "credit": photo.credit,
        "caption": photo.caption or photo.alt_text,
    }


def with_feed_data(articles):
    """`articles` with everything an item of a feed shows, in a fixed number of queries: the
    list data with the body (`with_list_data` leaves it out), the lead photo, and the public
    corrections (`Article.corrections`)."""
    return (
        articles.with_list_data()
        .defer(None)
        .select_related("lead_photo")
        .prefetch_related(
            Prefetch("events", ArticleEvent.corrections_q(), to_attr="correction_list")
        )
    )


class LatestArticlesFeed(Feed):
    title = _("Pressemitteilungen der KoBa Harz")
    description = _("Neue Pressemitteilungen und Kreisblatt-Beiträge der Pressestelle KoBa Harz.")
    language = "de"
    url_name = "press:feed_rss"
    feed_type = ArticleRssFeed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # Speed trick, measured with `make bench` (2026-11-24, cached RSS feed): the feed
        # generator writes the XML in hundreds of small pieces, which gunicorn sent as as many
        # small writes, about 500 requests/s; as one piece, about 5,000, like every other page.
        response.content = response.content
        return response

    def get_feed(self, obj, request):
        """The feed with every text fit for XML 1.0 (`xml_text`), whichever field it came
        from: Django's writer refuses control characters with an exception, a 500. Made once
        per state of the archive (`public.fragments.feed_items`); nothing in it depends on
        the request (addresses are absolute on SITE_URL)."""

        def make_feed() -> dict:
            feed = super(LatestArticlesFeed, self).get_feed(obj, request)
            feed.feed = xml_safe(feed.feed)
            feed.items = xml_safe(feed.items)
            return feed.kept()

        return self.feed_type.from_kept(feed_items(self, obj, make_feed))

    def link(self):
        return absolute_url(reverse("press:index"))

    def feed_url(self):
        return absolute_url(reverse(self.url_name))

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def items(self):
        return with_feed_data(Article.objects.published())[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_extra_kwargs(self, item):
        """The full text (sanitised on save, `Article.save`) and the lead photo."""
        return {"content_html": item.body, "photo": lead_photo(item)}

    def item_enclosures(self, item):
        """The lead photo. Its length in bytes is unknown without reading the file: 0, as the
        RSS Advisory Board's profile asks for then."""
        photo = lead_photo(item)
        return [Enclosure(photo["url"], "0", photo["type"])] if photo else []

    def item_description(self, item):
        """The lead as plain text (the feed types write it as such), then every public
        correction note with its date, newest first: a reader of the feed learns what changed,
        as on the article page."""
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
    feed_type = ArticleAtomFeed
    url_name = "press:feed_atom"
    subtitle = LatestArticlesFeed.description


class TopicFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        # Only a topic a public article uses has a feed: its name is only as public as that.
        return public_or_404(public_topics(), slug)

    def title(self, topic):
        return _("KoBa Harz: %(topic)s") % {"topic": topic.name}

    def link(self, topic):
        return absolute_url(topic.get_absolute_url())

    def feed_url(self, topic):
        return absolute_url(reverse("press:topic_feed", args=[topic.slug]))

    def description(self, topic):
        return _("Pressemitteilungen der KoBa Harz zum Thema %(topic)s.") % {"topic": topic.name}

    def items(self, topic):
        return with_feed_data(Article.objects.published().filter(topics=topic.pk))[:FEED_LENGTH]
