"""Subscribing to the public distribution list, confirming, changing and withdrawing consent:
every state change of a `Subscriber` happens here, and each one is written to the consent
history (`ConsentRecord`).

Double opt-in: a request makes (or refreshes) a PENDING subscriber and mails a confirmation
link, valid for DISTRIBUTION_CONFIRMATION_HOURS (48); only the click on it (a POST from the
confirmation page) makes the address CONFIRMED, and only CONFIRMED addresses receive releases.
A request for an address that is already confirmed changes nothing and mails its owner a
notice with the preferences link, so that the form's answer is the same for every address (no
enumeration) and nobody can change another person's choices.

The consent wordings live in `CONSENT_WORDINGS`, one text per version; a new text is a new
version, and every `ConsentRecord` names the version that was shown.

Withdrawal (`unsubscribe()`) stops all mail at once and queues the erasure of the address's
personal data after DISTRIBUTION_RETENTION_DAYS (distribution/retention.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from distribution.models import ConsentRecord, Subscriber, address_hash
from distribution.retention import (
    confirmation_ends,
    confirmation_expired,
    retention_ends,
    schedule_erasure,
)
from mailing.outbox import send_later
from press.models import Topic

# The consent text shown next to the checkbox, by version (ConsentRecord.wording_version).
# Never change a text in place: add a version and point CURRENT_WORDING at it. "%(privacy)s"
# is where the link to the privacy page goes.
CONSENT_WORDINGS = {
    "2026-11": _(
        "Ich willige ein, dass die KoBa Harz meine E-Mail-Adresse und, falls angegeben, meinen "
        "Namen und mein Medium speichert, um mir die gewählten Pressemitteilungen, "
        "Kreisblatt-Beiträge und Meldungen per E-Mail zu senden. Ich kann die Einwilligung "
        "jederzeit über den Abmeldelink in jeder E-Mail widerrufen. Einzelheiten stehen in der "
        "%(privacy)s."
    ),
}
CURRENT_WORDING = "2026-11"

# How consent was given or withdrawn (ConsentRecord.method).
VIA_FORM = "Formular /verteiler/"
VIA_CONFIRMATION = "Link in der Bestätigungsmail"
VIA_PREFERENCES = "Einstellungsseite (persönlicher Link)"
VIA_UNSUBSCRIBE_PAGE = "Abmeldeseite (persönlicher Link)"
VIA_ONE_CLICK = "List-Unsubscribe-Post (RFC 8058)"


@dataclass
class Choices:
    """What a subscriber wants to receive: every topic (`all_topics`) or the `topics` chosen,
    and the `kinds` (press.kinds.Kind values; at least one)."""

    all_topics: bool = True
    topics: list[Topic] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)


def absolute(viewname: str, token: str) -> str:
    """The absolute address (on SITE_URL) of one of the personal pages for `token`."""
    return settings.SITE_URL + reverse(viewname, args=[token])


def _record(subscriber: Subscriber, action: str, method: str, wording: str = "") -> None:
    ConsentRecord.objects.create(
        subscriber=subscriber,
        email_hash=address_hash(subscriber.email),
        action=action,
        wording_version=wording,
        method=method,
    )


def _apply(subscriber: Subscriber, choices: Choices) -> None:
    subscriber.all_topics = choices.all_topics
    subscriber.kinds = list(choices.kinds)
    subscriber.save()
    subscriber.topics.set([] if choices.all_topics else choices.topics)


def _mail(subscriber: Subscriber, template: str, subject: str, kind: str) -> None:
    context = {
        "subscriber": subscriber,
        "confirm_url": absolute("distribution:confirm", subscriber.token),
        "preferences_url": absolute("distribution:preferences", subscriber.token),
        "unsubscribe_url": absolute("distribution:unsubscribe", subscriber.token),
        "subscribe_url": settings.SITE_URL + reverse("distribution:subscribe"),
        "hours": settings.DISTRIBUTION_CONFIRMATION_HOURS,
        "site_name": settings.SITE_NAME,
    }
    body = render_to_string(template, context)
    send_later(subscriber.email, str(subject), body, kind=kind)


def request_subscription(
    email: str, *, name: str = "", medium: str = "", choices: Choices, method: str = VIA_FORM
) -> None:
    """Handle a subscription request for `email` (as the form cleaned it) with `choices`.

    A new address, an unconfirmed one or one that has left the list becomes PENDING with the
    given name, medium and choices and is mailed a confirmation link (a new link for an
    address that had left); the request is recorded (REQUESTED, current wording). A CONFIRMED
    or DEACTIVATED address is left as it is and its owner is mailed a notice with the
    preferences link. Returns nothing, so that a caller cannot tell the cases apart; the mails
    go through the outbox (`mailing.outbox.send_later`)."""
    arguments = {"name": name, "medium": medium, "choices": choices, "method": method}
    try:
        _request(email, **arguments)
    except IntegrityError:
        # Two requests for the same new address at once: the other one inserted the row
        # first, so this one is a request for a known address.
        _request(email, **arguments)


@transaction.atomic
def _request(email: str, *, name: str, medium: str, choices: Choices, method: str) -> None:
    email = email.strip().lower()
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    if subscriber is not None and subscriber.state in {
        Subscriber.State.CONFIRMED,
        Subscriber.State.DEACTIVATED,
    }:
        _mail(
            subscriber,
            "distribution/already_subscribed_mail.txt",
            _("Sie stehen bereits im Presseverteiler der KoBa Harz"),
            "distribution_already_subscribed",
        )
        return
    if subscriber is None:
        subscriber = Subscriber(email=email)
    elif subscriber.state == Subscriber.State.UNSUBSCRIBED:
        # Coming back: a fresh personal link, so that an old one stays what it was.
        subscriber.token = Subscriber._meta.get_field("token").get_default()
        subscriber.unsubscribed_at = None
    subscriber.state = Subscriber.State.PENDING
    subscriber.name, subscriber.medium = name.strip(), medium.strip()
    subscriber.confirmation_sent_at = timezone.now()
    _apply(subscriber, choices)
    _record(subscriber, ConsentRecord.Action.REQUESTED, method, CURRENT_WORDING)
    _mail(
        subscriber,
        "distribution/confirmation_mail.txt",
        _("Bitte bestätigen Sie Ihre Anmeldung zum Presseverteiler der KoBa Harz"),
        "distribution_confirmation",
    )
    schedule_erasure(subscriber, at=confirmation_ends(subscriber))


@transaction.atomic
def confirm(subscriber: Subscriber, *, method: str = VIA_CONFIRMATION) -> bool:
    """Confirm a PENDING subscriber whose link has not expired: CONFIRMED from now on, recorded
    (CONFIRMED, the wording version of the request). Returns True if the address is confirmed
    afterwards (also when it already was), False for an expired link or an address that has
    left the list."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.state == Subscriber.State.CONFIRMED:
        return True
    if subscriber.state != Subscriber.State.PENDING or confirmation_expired(subscriber):
        return False
    requested = subscriber.consents.filter(action=ConsentRecord.Action.REQUESTED).first()
    subscriber.state = Subscriber.State.CONFIRMED
    subscriber.confirmed_at = timezone.now()
    subscriber.hard_bounces = 0
    subscriber.save(update_fields=["state", "confirmed_at", "hard_bounces"])
    wording = requested.wording_version if requested else CURRENT_WORDING
    _record(subscriber, ConsentRecord.Action.CONFIRMED, method, wording)
    return True


@transaction.atomic
def change(
    subscriber: Subscriber, *, choices: Choices, name: str, medium: str, method=VIA_PREFERENCES
) -> None:
    """Store new choices (and name and medium) of a CONFIRMED subscriber; recorded as CHANGED.
    Raises ValueError for a subscriber who is not confirmed."""
    if subscriber.state != Subscriber.State.CONFIRMED:
        raise ValueError("Only a confirmed subscriber's choices can be changed.")
    subscriber.name, subscriber.medium = name.strip(), medium.strip()
    _apply(subscriber, choices)
    _record(subscriber, ConsentRecord.Action.CHANGED, method, CURRENT_WORDING)


@transaction.atomic
def unsubscribe(subscriber: Subscriber, *, method: str) -> None:
    """Withdraw consent (DSGVO Art. 7(3)): the subscriber is UNSUBSCRIBED and receives no
    further mail; the withdrawal is recorded with `method` (e.g. VIA_ONE_CLICK); the erasure of
    the personal data is queued for DISTRIBUTION_RETENTION_DAYS later. Idempotent: a second call
    changes and records nothing."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.state == Subscriber.State.UNSUBSCRIBED:
        return
    subscriber.state = Subscriber.State.UNSUBSCRIBED
    subscriber.unsubscribed_at = timezone.now()
    subscriber.save(update_fields=["state", "unsubscribed_at"])
    given = subscriber.consents.exclude(wording_version="").first()
    _record(
        subscriber, ConsentRecord.Action.WITHDRAWN, method, given.wording_version if given else ""
    )
    schedule_erasure(subscriber, at=retention_ends(subscriber))


def public_topics() -> Iterable[Topic]:
    """The topics one may choose: those with at least one public article (press's rule)."""
    return Topic.objects.with_public_articles()
