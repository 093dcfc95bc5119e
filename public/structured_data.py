"""What an article page tells search engines and social networks: canonical address, Open
Graph and a schema.org NewsArticle, all with absolute URLs on SITE_URL."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from press.text import xml_text

PUBLISHER = "KoBa Harz"


def absolute_url(url: str) -> str:
    """The absolute address of a path on this site, e.g. "/2017/06/09/x/" ->
    "https://presse.example.org/2017/06/09/x/"; an absolute URL (media on its own host) is
    returned as it is. The one place that makes absolute addresses of public pages: always
    from SITE_URL, never from the request's Host or X-Forwarded-Proto, which a client chooses
    and which would otherwise reach every visitor of a cached page."""
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


def article_metadata(article) -> dict:
    """{"canonical", "image", "json_ld"} for templates/press/article_detail.html. Its texts
    pass `xml_text`: JSON would escape control characters, but readers of the data take them
    as text, and the feeds say the same without them."""
    canonical = absolute_url(article.get_absolute_url())
    image = None
    if article.lead_photo:
        image = absolute_url(article.lead_photo.download["url"])
    modified = article.corrected_at or article.publish_at
    json_ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": xml_text(article.title)[:110],
        "description": xml_text(article.lead),
        "datePublished": timezone.localtime(article.publish_at).isoformat(),
        "dateModified": timezone.localtime(modified).isoformat(),
        "inLanguage": "de-DE",
        "mainEntityOfPage": canonical,
        "url": canonical,
        "author": {"@type": "Organization", "name": _("Pressestelle KoBa Harz")},
        "publisher": {"@type": "GovernmentOrganization", "name": PUBLISHER},
        "articleSection": article.get_kind_display(),
        "keywords": [xml_text(topic.name) for topic in article.topics.all()],
    }
    if article.corrections:
        # schema.org/correction: every public correction note, newest first.
        json_ld["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": xml_text(event.comment),
                "datePublished": timezone.localtime(event.at).isoformat(),
            }
            for event in article.corrections
        ]
    if image:
        json_ld["image"] = [image]
    return {"canonical": canonical, "image": image, "json_ld": json_ld}
