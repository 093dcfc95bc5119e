"""What the distribution list's mails say: one `Message` per delivery, written by the composer
of the delivery's occasion.

`COMPOSERS` maps an occasion's prefix (the part before ":") to a function that writes the mail
of one `Delivery`, or returns None when the mail must not go (the article is no longer public,
the subscriber has left): the sender then records the delivery as cancelled. This module
registers "release" (the article as it became public), "correction" and "withdrawal" (the
notices to those who received it); the embargo module registers its own.

Every mail is German, multipart/alternative (plain text and HTML, RFC 2046 §5.1.4), the HTML
in the site's colours with inline CSS (mail clients drop style sheets) and readable without
images (photos are links with their credit, never embedded). A subscriber's mail carries the
list headers of RFC 2369 and RFC 8058 (one-click unsubscribe) and a Message-ID derived from
the delivery (RFC 5322 §3.6.4), so that a resent mail is recognisable as the same message.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from press.diff import body_text
from press.links import link
from press.models import Article, ArticleEvent

from .models import Delivery, Subscriber

RELEASE = "release"
CORRECTION = "correction"
WITHDRAWAL = "withdrawal"


@dataclass
class Message:
    """One mail as written for one delivery: `subject` (one line), `text` (plain text), `html`
    (a complete HTML document) and extra `headers` (name → value)."""

    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)

    def email(self, to: str, connection=None) -> EmailMultiAlternatives:
        """The message as Django sends it, from DEFAULT_FROM_EMAIL to `to`. Raises
        django.core.mail.BadHeaderError (a ValueError) for a line break in a header when it
        is serialised."""
        message = EmailMultiAlternatives(
            " ".join(self.subject.split()),
            self.text,
            settings.DEFAULT_FROM_EMAIL,
            [to],
            headers=self.headers,
            connection=connection,
        )
        message.attach_alternative(self.html, "text/html")
        return message


Composer = Callable[[Delivery], "Message | None"]
COMPOSERS: dict[str, Composer] = {}


def composer_for(occasion: str) -> Composer | None:
    """The composer registered for `occasion`'s prefix ("correction:812" → "correction")."""
    return COMPOSERS.get(occasion.split(":", 1)[0])


def absolute(url: str) -> str:
    """`url` (a path from reverse() or a storage) as an absolute address on settings.SITE_URL:
    a mail is read outside any request."""
    return url if "://" in url else f"{settings.SITE_URL}{url}"


def message_id(delivery: Delivery) -> str:
    """`<verteiler.<delivery id>@<domain of DEFAULT_FROM_EMAIL>>` (RFC 5322 §3.6.4): the same
    for every attempt and every resend of one delivery, unique across deliveries."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("<> ") or "localhost"
    return f"<verteiler.{delivery.pk}@{domain}>"


def list_headers(delivery: Delivery, token: str) -> dict[str, str]:
    """The headers of a list mail to the holder of `token` (a `Subscriber.token`):
    `List-Unsubscribe` with the personal unsubscribe address (RFC 2369 §3.2),
    `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058 §3.1: a POST to that address
    unsubscribes, without log-in), and the delivery's `Message-ID`."""
    url = absolute(reverse("distribution:unsubscribe", args=[token]))
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Message-ID": message_id(delivery),
    }


def local_datetime(value) -> str:
    """'30.11.2026, 14:00 Uhr' style, in the site's time zone and language."""
    local = timezone.localtime(value)
    return gettext("%(date)s, %(time)s Uhr") % {
        "date": formats.date_format(local, "DATE_FORMAT"),
        "time": formats.time_format(local, "TIME_FORMAT"),
    }


def article_parts(article: Article) -> dict:
    """What a release mail shows of `article`, for the text and the HTML part alike:

    `kicker`, `headline`, `subject` ("Dachzeile: Überschrift", or the headline alone), `kind`
    (its label), `date` (publication, local), `lead`, `body_text` (one block a paragraph,
    separated by blank lines), `body_html` (the stored, sanitised body: press.sanitize),
    `quotes` (list of dicts: `text`, `name`, `function`, `attribution`), `contact` (dict of
    `label`, `person`, `phone`, `fax`, `email`, `address`; None without a contact), `url`
    (the article's absolute address), `photos` (list of dicts: `url` of the download
    rendition, `caption`, `credit`, `alt`).

    Computed once per article instance (the batch shares one): three queries the first time,
    none after."""
    cached = getattr(article, "_mail_parts", None)
    if cached is not None:
        return cached
    kicker = " ".join(article.kicker.split())
    headline = " ".join(article.title.split())
    contact = article.press_contact
    quotes = article.quotes.select_related("spokesperson")
    day = article.publication_date or timezone.localdate()
    date = (day.year, day.month, day.day)
    parts = {
        "kicker": kicker,
        "headline": headline,
        "subject": f"{kicker}: {headline}" if kicker else headline,
        "kind": article.get_kind_display(),
        "date": local_datetime(article.publish_at) if article.publish_at else "",
        "lead": article.lead.strip(),
        "body_text": "\n\n".join(html.unescape(body_text(article.body)).splitlines()),
        # Sanitised when the article was saved (Article.save → press.sanitize.sanitize_html).
        "body_html": mark_safe(article.body),  # noqa: S308
        "quotes": [
            {
                "text": quote.text.strip(),
                "name": quote.spokesperson.name,
                "function": quote.function,
                "attribution": quote.attribution,
            }
            for quote in quotes
        ],
        "contact": None
        if contact is None
        else {
            "label": contact.label,
            "person": contact.person,
            "phone": contact.phone,
            "fax": contact.fax,
            "email": contact.email,
            "address": contact.address.strip(),
        },
        "url": absolute(article.get_absolute_url()),
        "photos": [
            {
                # The article's download address, as on its page: the file with caption and
                # credit in its metadata (public.photos).
                "url": absolute(link("press:photo_download", *date, article.slug, photo.pk)),
                "caption": photo.caption,
                "credit": photo.credit,
                "alt": photo.alt_text,
            }
            for photo in article.all_photos
        ],
    }
    article._mail_parts = parts
    return parts


# The frame of a mail, by the list it goes to: the HTML part's base template and the plain
# text's footer. Subscribers get their personal links to change or end the subscription; the
# accredited advance list (distribution.embargo) is kept by the press office.
FRAMES = {
    "subscribers": ("distribution/mail/base.html", "distribution/mail/_footer.txt"),
    "advance": ("distribution/mail/advance_base.html", "distribution/mail/advance_footer.txt"),
}


def render(template: str, context: dict, frame: str) -> tuple[str, str]:
    """The plain-text and HTML parts of `template` (templates/distribution/mail/<template>.txt
    and .html) in the site's language, in the FRAMES `frame` ("subscribers", "advance"):
    the templates extend `mail_base` and include `mail_footer`. Raises KeyError for another
    frame."""
    base, footer = FRAMES[frame]
    context = {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "mail_base": base,
        "mail_footer": footer,
        **context,
    }
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"distribution/mail/{template}.txt", context)
        page = render_to_string(f"distribution/mail/{template}.html", context)
    return text.strip() + "\n", page


def subscriber_links(token: str) -> dict:
    """The personal addresses in the footer of a subscriber's mail (`Subscriber.token`)."""
    return {
        "preferences_url": absolute(reverse("distribution:preferences", args=[token])),
        "unsubscribe_url": absolute(reverse("distribution:unsubscribe", args=[token])),
    }


# Stands for the subscriber's token while a mail is rendered once for a whole batch: the
# article's part is the same for everyone, only the personal links differ. Tokens are URL-safe
# base64 (models.new_token), the same in text and HTML, so a plain replacement is exact.
TOKEN_SLOT = "TOKEN-SLOT-0c6f1e"


def personal(delivery: Delivery, template: str, context: dict, token: str) -> tuple[str, str]:
    """`render(template, context, "subscribers")` with the personal links of `token`;
    rendered once per article instance and occasion (a batch shares one), then filled in per
    subscriber."""
    cache = delivery.article.__dict__.setdefault("_mail_renderings", {})
    if delivery.occasion not in cache:
        links = subscriber_links(TOKEN_SLOT)
        cache[delivery.occasion] = render(template, {**context, **links}, "subscribers")
    text, page = cache[delivery.occasion]
    return text.replace(TOKEN_SLOT, token), page.replace(TOKEN_SLOT, token)


def _confirmed(delivery: Delivery) -> Subscriber | None:
    subscriber = delivery.subscriber
    if subscriber is None or subscriber.state != Subscriber.State.CONFIRMED:
        return None
    return subscriber


def compose_release(delivery: Delivery) -> Message | None:
    """The release as it became public, to a confirmed subscriber; None when the article is
    no longer public (withdrawn, sent back, rescheduled) or the subscriber has left."""
    article = delivery.article
    subscriber = _confirmed(delivery)
    if subscriber is None or not article.is_public():
        return None
    parts = article_parts(article)
    text, page = personal(delivery, "release", {"a": parts}, subscriber.token)
    return Message(parts["subject"], text, page, list_headers(delivery, subscriber.token))


def _event(delivery: Delivery) -> ArticleEvent | None:
    """The history entry named by the occasion ("correction:812" → entry 812), shared by the
    batch through the article instance."""
    article = delivery.article
    events = article.__dict__.setdefault("_mail_events", {})
    key = delivery.occasion.partition(":")[2]
    if key not in events:
        events[key] = (
            ArticleEvent.objects.filter(pk=key, article_id=article.pk).first()
            if key.isdigit()
            else None
        )
    return events[key]


def compose_correction(delivery: Delivery) -> Message | None:
    """ "Korrektur: <Überschrift>": the correction note, then the corrected release, to a
    subscriber who received the release and has not left; None otherwise or when the article
    is no longer public."""
    article = delivery.article
    subscriber = _confirmed(delivery)
    event = _event(delivery)
    if subscriber is None or event is None or not article.is_public():
        return None
    parts = article_parts(article)
    context = {"a": parts, "note": event.comment.strip(), "when": local_datetime(event.at)}
    text, page = personal(delivery, "correction", context, subscriber.token)
    subject = gettext("Korrektur: %(subject)s") % {"subject": parts["subject"]}
    return Message(subject, text, page, list_headers(delivery, subscriber.token))


def compose_withdrawal(delivery: Delivery) -> Message | None:
    """ "Zurückgezogen: <Überschrift>": the release must no longer be used, with the reason, to
    a subscriber who received it and has not left."""
    article = delivery.article
    subscriber = _confirmed(delivery)
    event = _event(delivery)
    if subscriber is None or event is None:
        return None
    headline = " ".join(article.title.split())
    context = {
        "headline": headline,
        "kicker": " ".join(article.kicker.split()),
        "reason": event.comment.strip(),
        "when": local_datetime(event.at),
        "url": absolute(article.get_absolute_url()),
    }
    text, page = personal(delivery, "withdrawal", context, subscriber.token)
    subject = gettext("Zurückgezogen – bitte nicht verwenden: %(headline)s") % {
        "headline": headline
    }
    return Message(subject, text, page, list_headers(delivery, subscriber.token))


COMPOSERS.update(
    {RELEASE: compose_release, CORRECTION: compose_correction, WITHDRAWAL: compose_withdrawal}
)
