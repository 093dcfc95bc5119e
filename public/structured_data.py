"""What an article page tells search engines and social networks: canonical address, Open
Graph and a schema.org NewsArticle, all with absolute URLs on SITE_URL."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

PUBLISHER = "KoBa Harz"


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


def article_metadata(article) -> dict:
    """{"canonical", "image", "json_ld"} for templates/press/article_detail.html."""
    canonical = absolute(article.get_absolute_url())
    image = None
    if article.lead_photo:
        image = absolute(article.lead_photo.download["url"])
    modified = article.corrected_at or article.publish_at
    json_ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.lead,
        "datePublished": timezone.localtime(article.publish_at).isoformat(),
        "dateModified": timezone.localtime(modified).isoformat(),
        "inLanguage": "de-DE",
        "mainEntityOfPage": canonical,
        "url": canonical,
        "author": {"@type": "Organization", "name": _("Pressestelle KoBa Harz")},
        "publisher": {"@type": "GovernmentOrganization", "name": PUBLISHER},
        "articleSection": article.get_kind_display(),
        "keywords": [topic.name for topic in article.topics.all()],
    }
    if image:
        json_ld["image"] = [image]
    return {"canonical": canonical, "image": image, "json_ld": json_ld}
