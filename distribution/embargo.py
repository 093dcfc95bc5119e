"""Sperrfrist: advance copies to the accredited journalists ("Vorab-Verteiler"), the embargo
preview page behind their personal link, and the notices when the embargo changes.

- When Freigabe schedules an article and ticks "vorab unter Sperrfrist versenden"
  (`ArticleEvent.notify_distribution_list` on the SCHEDULED entry), every active
  `AccreditedRecipient` gets the release at once: occasion "advance:<entry id>", each delivery
  with a fresh personal token (`Delivery.token`) for the preview page
  /verteiler/sperrfrist/<token>/.
- The deliveries of this embargo that still hold a token are its *round*. The link works only
  for its token and only while the article waits for its Sperrfrist; from the minute on it
  redirects (302) to the public article. Any other token is 404.
- After the minute, a correction or withdrawal that the approver chose to send to the list
  ("Korrektur an den Verteiler senden", "Rücknahme an den Verteiler melden") reaches the holders
  of advance copies too ("advance-correction:<entry id>", "advance-withdrawal:<entry id>"):
  they received the article as much as the subscribers did.
- Sent back, taken back to review by a change, or withdrawn before the minute: the round ends
  (its tokens are emptied, so the links stop at once and for good) and everyone who was sent
  a copy gets "Meldung zurückgezogen – bitte nicht verwenden" (occasion
  "embargo-withdrawn:<entry id>"). Rescheduled, or published before the minute: "Sperrfrist
  geändert" with the new time ("embargo-changed:<entry id>"); the links follow the new time.

Nothing here decides what is public: `Article.is_scheduled()` and `is_public()` do
(press.workflow). `on_step()` is called by distribution/events.py for every recorded step,
after its transaction has committed.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePosixPath

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from press.models import Article, ArticleEvent, Photo
from press.renditions import MIME_TYPES
from press.workflow import State

from . import mails, sending
from .models import AccreditedRecipient, Delivery, is_token, new_token

ADVANCE = "advance"
CHANGED = "embargo-changed"
WITHDRAWN = "embargo-withdrawn"
# After the minute, a correction or withdrawal the approver chose to send goes to the holders of
# advance copies as well (the public list's notices are `mails.CORRECTION`/`WITHDRAWAL`).
CORRECTED_LATER = "advance-correction"
WITHDRAWN_LATER = "advance-withdrawal"
LATER_NOTICES = {
    ArticleEvent.Action.CORRECTED: CORRECTED_LATER,
    ArticleEvent.Action.WITHDRAWN: WITHDRAWN_LATER,
}
# What a journalist's copy may be in to count as received for a notice: sent, or being sent
# right now (a worker may be between SMTP and its status update).
RECEIVED = (Delivery.Status.SENT, Delivery.Status.SENDING)
# Steps that take a scheduled article out of its approval before the minute.
ENDS_APPROVAL = (ArticleEvent.Action.RETURNED, ArticleEvent.Action.REOPENED)
# The personal headers of every page and file behind a token: never stored by a browser, a
# proxy or our page cache, never indexed, and the token never handed on as a Referer.
PRIVATE_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
}


# --- the round of an embargo --------------------------------------------------------------


def round_of(article: Article) -> QuerySet[Delivery]:
    """The advance copies of `article`'s current embargo: deliveries of an "advance:…"
    occasion whose token still works."""
    return Delivery.objects.filter(article=article, occasion__startswith=f"{ADVANCE}:").exclude(
        token=""
    )


def sperrfrist_text(moment: datetime) -> tuple[str, str]:
    """("06.10.2017", "10:00"): the date and time of a Sperrfrist in Europe/Berlin
    (settings.TIME_ZONE), as the subject line of an advance copy writes them."""
    local = timezone.localtime(moment)
    return f"{local:%d.%m.%Y}", f"{local:%H:%M}"


def send_advance_copies(event: ArticleEvent) -> int:
    """Queue the advance copy of `event`'s article (a SCHEDULED entry) for every active
    accredited recipient who holds no copy of the current round yet, each with a fresh token;
    sent at once (`run_after=None`). Returns how many were queued."""
    article = event.article
    holding = set(round_of(article).values_list("email", flat=True))
    recipients = [
        sending.Recipient(person.email, accredited=person, token=new_token())
        for person in AccreditedRecipient.objects.filter(active=True).order_by("pk")
        if person.email not in holding
    ]
    if not recipients:
        return 0
    return sending.distribute(article, f"{ADVANCE}:{event.pk}", recipients, run_after=None)


def notify_round(event: ArticleEvent, notice: str) -> int:
    """Queue `notice` (CHANGED, WITHDRAWN or one of LATER_NOTICES: an occasion prefix of
    mails.COMPOSERS) about `event` for everyone who received a copy of the article's current
    round; sent at once. Returns how many were queued."""
    copies = round_of(event.article).filter(status__in=RECEIVED).select_related("accredited")
    recipients = [
        sending.Recipient(copy.email, accredited=copy.accredited) for copy in copies.order_by("pk")
    ]
    if not recipients:
        return 0
    return sending.distribute(event.article, f"{notice}:{event.pk}", recipients, run_after=None)


def end_round(article: Article) -> int:
    """Empty the tokens of `article`'s current round: its preview links stop working now and
    stay dead, whatever happens to the article later. Returns how many copies were ended."""
    return round_of(article).update(token="")


def sperrfrist_moved(event: ArticleEvent) -> bool:
    """Whether `event`'s step (an approval) changed the article's publication time: the
    revision it saved against the one before (django-simple-history); True when either is
    unknown."""
    times = list(
        event.article.history.filter(history_date__lte=event.at)
        .order_by("-history_date", "-history_id")
        .values_list("publish_at", flat=True)[:2]
    )
    return len(times) < 2 or times[0] != times[1]


def on_step(event: ArticleEvent) -> None:
    """React to one step of an article's history (called after its transaction committed):

    - SCHEDULED with `notify_distribution_list`: the advance copies (`send_advance_copies`);
    - a new approval (scheduled again, or published now) of an article that was scheduled,
      at another minute than before: "Sperrfrist geändert" to the round;
    - sent back or taken back to review while scheduled, or withdrawn before its minute: the
      round ends and gets "Meldung zurückgezogen – bitte nicht verwenden";
    - corrected or withdrawn after the minute with `notify_distribution_list`: the round gets
      the correction or the withdrawal.
    """
    article = event.article
    was_scheduled = event.from_state == State.PUBLISHED
    withdrawn_early = (
        event.action == ArticleEvent.Action.WITHDRAWN
        and article.publish_at is not None
        and article.publish_at > event.at
    )
    if (event.action in ENDS_APPROVAL and was_scheduled) or withdrawn_early:
        notify_round(event, WITHDRAWN)
        end_round(article)
        return
    if event.action in LATER_NOTICES and event.notify_distribution_list:
        notify_round(event, LATER_NOTICES[event.action])
        return
    if event.action not in ArticleEvent.APPROVAL_ACTIONS:
        return
    if was_scheduled and sperrfrist_moved(event):
        notify_round(event, CHANGED)
    if event.action == ArticleEvent.Action.SCHEDULED and event.notify_distribution_list:
        send_advance_copies(event)


# --- the mails ----------------------------------------------------------------------------


def preview_url(token: str) -> str:
    """The absolute address (on SITE_URL) of the preview page of the copy holding `token`."""
    return mails.absolute(reverse("distribution:embargo_preview", args=[token]))


def photo_links(article: Article, token: str, *, absolute: bool = True) -> list[dict]:
    """The article's photos as the holder of `token` reaches them before the minute: `url`
    (the full-size download) and `display` (the 800-px JPEG) through the token-checked
    address (on SITE_URL for a mail, or a path with `absolute=False` for the page), with
    `caption`, `credit`, `alt`, `width`, `height`, `format`, `usage_rights`."""
    links = []
    for photo in article.all_photos:
        download, display = photo.download, photo.display
        links.append(
            {
                "url": photo_url(token, photo, download.get("name", ""), absolute),
                "display": photo_url(token, photo, display["url"], absolute),
                "caption": photo.caption,
                "credit": photo.credit,
                "alt": photo.alt_text,
                "width": download["width"],
                "height": download["height"],
                "format": download.get("format", ""),
                "usage_rights": photo.usage_rights,
            }
        )
    return links


def photo_url(token: str, photo: Photo, name_or_url: str, absolute: bool = True) -> str:
    """The token-checked address of one rendition of `photo` ("" without one)."""
    filename = PurePosixPath(name_or_url).name
    if not filename:
        return ""
    url = reverse("distribution:embargo_photo", args=[token, photo.pk, filename])
    return mails.absolute(url) if absolute else url


def embargo_context(article: Article, token: str, *, absolute: bool = True) -> dict:
    """What the advance copy and the preview page show: the release (`mails.article_parts`)
    with its photos behind the token (`photo_links`), the Sperrfrist, and the personal
    link."""
    date, time = sperrfrist_text(article.publish_at)
    # The article's own address answers 404 until the minute: the personal link stands in
    # for it (and leads there from the minute on).
    parts = {
        **mails.article_parts(article),
        "photos": photo_links(article, token, absolute=absolute),
        "url": preview_url(token),
    }
    return {
        "a": parts,
        "sperrfrist_date": date,
        "sperrfrist_time": time,
        "preview_url": preview_url(token),
    }


def _accredited(delivery: Delivery) -> AccreditedRecipient | None:
    """The delivery's person, while they are on the list (active)."""
    person = delivery.accredited
    return person if person is not None and person.active else None


def _received_copy(delivery: Delivery) -> Delivery | None:
    """The advance copy (of the current round) that `delivery`, a notice, is about."""
    return (
        round_of(delivery.article)
        .filter(email=delivery.email, status__in=RECEIVED)
        .order_by("-pk")
        .first()
    )


def compose_advance(delivery: Delivery) -> mails.Message | None:
    """ "SPERRFRIST 06.10.2017 10:00 Uhr – <Überschrift>": the release with the embargo notice
    at the top of both parts and the personal preview link. None (not sent) once the article
    no longer waits for its Sperrfrist, the round has ended, or the person left the list."""
    article = delivery.article
    if not (article.is_scheduled() and delivery.token and _accredited(delivery)):
        return None
    context = embargo_context(article, delivery.token)
    text, page = mails.render("advance", context, "advance")
    subject = f"SPERRFRIST {context['sperrfrist_date']} {context['sperrfrist_time']} Uhr – "
    subject += context["a"]["subject"]
    return mails.Message(subject, text, page, {"Message-ID": mails.message_id(delivery)})


def compose_changed(delivery: Delivery) -> mails.Message | None:
    """ "Sperrfrist geändert – <Überschrift>": the new time (or that the release is public
    now), to a holder of a copy of the current round. None when the article is neither
    scheduled nor public any more (a withdrawal notice says so)."""
    article = delivery.article
    copy = _received_copy(delivery)
    if copy is None or not _accredited(delivery):
        return None
    if not (article.is_scheduled() or article.is_public()):
        return None
    date, time = sperrfrist_text(article.publish_at)
    parts = mails.article_parts(article)
    context = {
        "a": parts,
        "sperrfrist_date": date,
        "sperrfrist_time": time,
        "lifted": article.is_public(),
        "preview_url": preview_url(copy.token),
    }
    text, page = mails.render("advance_changed", context, "advance")
    subject = gettext("Sperrfrist geändert – %(subject)s") % {"subject": parts["subject"]}
    return mails.Message(subject, text, page, {"Message-ID": mails.message_id(delivery)})


def compose_withdrawn(delivery: Delivery) -> mails.Message | None:
    """ "Meldung zurückgezogen – bitte nicht verwenden: <Überschrift>", to a holder of an
    advance copy (whose round has ended, so the copy is found by address)."""
    article = delivery.article
    if not _accredited(delivery):
        return None
    received = Delivery.objects.filter(
        article=article,
        occasion__startswith=f"{ADVANCE}:",
        email=delivery.email,
        status__in=RECEIVED,
    )
    if not received.exists():
        return None
    headline = " ".join(article.title.split())
    context = {"headline": headline, "kicker": " ".join(article.kicker.split())}
    text, page = mails.render("advance_withdrawn", context, "advance")
    subject = gettext("Meldung zurückgezogen – bitte nicht verwenden: %(headline)s") % {
        "headline": headline
    }
    return mails.Message(subject, text, page, {"Message-ID": mails.message_id(delivery)})


def _named_event(delivery: Delivery) -> ArticleEvent | None:
    """The history entry named by the occasion ("advance-correction:812" → entry 812)."""
    key = delivery.occasion.partition(":")[2]
    if not key.isdigit():
        return None
    return ArticleEvent.objects.filter(pk=key, article_id=delivery.article_id).first()


def compose_correction(delivery: Delivery) -> mails.Message | None:
    """ "Korrektur: <Überschrift>" after the minute: the correction note, then the corrected
    release, to a holder of an advance copy; None when the article is no longer public."""
    article = delivery.article
    event = _named_event(delivery)
    if event is None or not _accredited(delivery) or not article.is_public():
        return None
    parts = mails.article_parts(article)
    context = {"a": parts, "note": event.comment.strip(), "when": mails.local_datetime(event.at)}
    text, page = mails.render("correction", context, "advance")
    subject = gettext("Korrektur: %(subject)s") % {"subject": parts["subject"]}
    return mails.Message(subject, text, page, {"Message-ID": mails.message_id(delivery)})


def compose_withdrawal(delivery: Delivery) -> mails.Message | None:
    """ "Zurückgezogen – bitte nicht verwenden: <Überschrift>" after the minute, with the
    public reason, to a holder of an advance copy."""
    article = delivery.article
    event = _named_event(delivery)
    if event is None or not _accredited(delivery):
        return None
    headline = " ".join(article.title.split())
    context = {
        "headline": headline,
        "kicker": " ".join(article.kicker.split()),
        "reason": event.comment.strip(),
        "when": mails.local_datetime(event.at),
        "url": mails.absolute(article.get_absolute_url()),
    }
    text, page = mails.render("withdrawal", context, "advance")
    subject = gettext("Zurückgezogen – bitte nicht verwenden: %(headline)s") % {
        "headline": headline
    }
    return mails.Message(subject, text, page, {"Message-ID": mails.message_id(delivery)})


mails.COMPOSERS.update(
    {
        ADVANCE: compose_advance,
        CHANGED: compose_changed,
        WITHDRAWN: compose_withdrawn,
        CORRECTED_LATER: compose_correction,
        WITHDRAWN_LATER: compose_withdrawal,
    }
)


# --- the preview page ---------------------------------------------------------------------


def holder_or_404(token: str) -> Delivery:
    """The advance copy whose personal token is `token`, while its round lasts and its
    recipient is on the list; Http404 for any other string."""
    if not is_token(token):
        raise Http404
    delivery = (
        Delivery.objects.filter(occasion__startswith=f"{ADVANCE}:", token=token)
        .select_related("article", "accredited")
        .first()
    )
    if delivery is None or not _accredited(delivery):
        raise Http404
    return delivery


def private(response: HttpResponse) -> HttpResponse:
    """`response` with `PRIVATE_HEADERS` set: kept by no cache, indexed by no robot."""
    for name, value in PRIVATE_HEADERS.items():
        response[name] = value
    return response


@require_safe
def preview(request: HttpRequest, token: str) -> HttpResponse:
    """/verteiler/sperrfrist/<token>/: the embargoed release for the holder of `token`,
    marked Sperrfrist, `noindex`, `Cache-Control: private, no-store`. From the minute on, a
    302 to the public article; 404 for a wrong token, or once the article is no longer
    scheduled (sent back, withdrawn)."""
    delivery = holder_or_404(token)
    article = delivery.article
    if article.is_public():
        return private(HttpResponseRedirect(article.get_absolute_url()))
    if not article.is_scheduled():
        raise Http404
    context = embargo_context(article, token, absolute=False)
    response = render(request, "distribution/embargo_preview.html", context)
    return private(response)


@require_safe
def photo(request: HttpRequest, token: str, pk: int, filename: str) -> HttpResponse:
    """A rendition of a photo of the embargoed article, for the holder of `token` only (the
    public photo address serves only photos of public articles); from the minute on a 302 to
    the public address. 404 for a photo the article does not show or a file name that is not
    one of its renditions (the original, with its camera data, never is)."""
    delivery = holder_or_404(token)
    article = delivery.article
    shown = {picture.pk: picture for picture in article.all_photos}
    entry = shown[pk].rendition_named(filename) if pk in shown else None
    if entry is None:
        raise Http404
    if article.is_public():
        return private(HttpResponseRedirect(shown[pk].file_url(entry)))
    if not article.is_scheduled():
        raise Http404
    try:
        handle = shown[pk].image.storage.open(entry["name"], "rb")
    except OSError as error:
        raise Http404 from error
    return private(FileResponse(handle, content_type=MIME_TYPES[entry["format"]]))
