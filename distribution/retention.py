"""How long the distribution list keeps an address, and its erasure (DSGVO Art. 5(1)(e), 17).

- An unconfirmed request is kept for DISTRIBUTION_CONFIRMATION_HOURS (48): as long as its
  confirmation link is valid.
- An address that has left the list (UNSUBSCRIBED, or DEACTIVATED after repeated hard
  bounces) is kept for DISTRIBUTION_RETENTION_DAYS (30) after leaving, so that a complaint
  ("I unsubscribed and still got mail") can be checked against the address.

Then its personal data is erased: the `Subscriber` row goes (address, name, medium, choices,
personal link). What stays:

- the consent history (`ConsentRecord`): action, time, wording version and way, under a keyed
  hash of the address only (DSGVO Art. 7(1): the controller must be able to demonstrate
  consent), with one more entry ERASED;
- the delivery log (`Delivery`) keeps its rows, so that an article's counts (sent, failed)
  stay right, but the address is replaced by "geloescht-<id>@invalid" (the `.invalid` top
  level domain never resolves, RFC 2606 §2), the personal link and the last error (an SMTP
  error may quote the address) are emptied;
- the mail log (`mailing.SentMail`) of the distribution list's mails to that address
  (kinds starting with "distribution") likewise: the row stays, the address goes.

The erasure runs as a task (`erase_if_due`) queued with `run_after` at the moment it is due
(django-tasks' database backend, worked by `manage.py db_worker`); `manage.py
purge_distribution_list` erases whatever is overdue, for a queue that was lost or a backend
that cannot defer tasks.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django_tasks import task

from distribution.models import (
    AccreditedRecipient,
    ConsentRecord,
    Delivery,
    Subscriber,
    address_hash,
)
from mailing.models import SentMail

VIA_RETENTION = "Löschfrist abgelaufen (automatisch)"
ERASED_DOMAIN = "invalid"


def confirmation_ends(subscriber: Subscriber) -> datetime:
    """When the confirmation link of a pending `subscriber` expires."""
    sent = subscriber.confirmation_sent_at or subscriber.created_at
    return sent + timedelta(hours=settings.DISTRIBUTION_CONFIRMATION_HOURS)


def confirmation_expired(subscriber: Subscriber, now: datetime | None = None) -> bool:
    """True when `subscriber` is PENDING and its confirmation link has expired."""
    return subscriber.state == Subscriber.State.PENDING and confirmation_ends(subscriber) <= (
        now or timezone.now()
    )


# The states of an address that has left the list, since `unsubscribed_at`.
LEFT = (Subscriber.State.UNSUBSCRIBED, Subscriber.State.DEACTIVATED)


def retention_ends(subscriber: Subscriber) -> datetime:
    """When the personal data of a `subscriber` that has left the list is to be erased."""
    return subscriber.unsubscribed_at + timedelta(days=settings.DISTRIBUTION_RETENTION_DAYS)


def is_due(subscriber: Subscriber, now: datetime | None = None) -> bool:
    """True when `subscriber`'s personal data is to be erased now: an expired unconfirmed
    request, or an address that left the list DISTRIBUTION_RETENTION_DAYS ago or more."""
    now = now or timezone.now()
    if subscriber.state in LEFT and subscriber.unsubscribed_at:
        return retention_ends(subscriber) <= now
    return confirmation_expired(subscriber, now)


def overdue(now: datetime | None = None) -> models.QuerySet[Subscriber]:
    """The subscribers whose erasure is due at `now` (`is_due()` as a query)."""
    now = now or timezone.now()
    expired = now - timedelta(hours=settings.DISTRIBUTION_CONFIRMATION_HOURS)
    left = now - timedelta(days=settings.DISTRIBUTION_RETENTION_DAYS)
    pending = models.Q(state=Subscriber.State.PENDING) & (
        models.Q(confirmation_sent_at__lte=expired)
        | models.Q(confirmation_sent_at__isnull=True, created_at__lte=expired)
    )
    unsubscribed = models.Q(state__in=LEFT, unsubscribed_at__lte=left)
    return Subscriber.objects.filter(pending | unsubscribed)


def erased_address() -> Concat:
    """The address a row keeps once the person's is erased: "geloescht-<the row's pk>@invalid"
    (an expression for `QuerySet.update()`; `.invalid` never resolves, RFC 2606 §2)."""
    return Concat(
        models.Value("geloescht-"),
        Cast("pk", models.CharField()),
        models.Value(f"@{ERASED_DOMAIN}"),
        output_field=models.CharField(),
    )


def forget_accredited(sender, instance: AccreditedRecipient, **kwargs) -> None:
    """pre_delete of an `AccreditedRecipient` (connected in DistributionConfig.ready(), so
    that every way of deleting, the admin's action included, does it): the deliveries to that
    person keep their rows for the counts, but not the address, the personal link or the last
    error, as `erase()` does for a subscriber. Without it the address would stay in the
    delivery log for ever after the person left the Vorab-Verteiler (DSGVO Art. 17)."""
    Delivery.objects.filter(accredited=instance).update(
        email=erased_address(), token="", last_error="", accredited=None
    )


@transaction.atomic
def erase(subscriber: Subscriber) -> None:
    """Erase `subscriber`'s personal data as the module docstring says, and record ERASED."""
    email = subscriber.email
    ConsentRecord.objects.create(
        subscriber=None,
        email_hash=address_hash(email),
        action=ConsentRecord.Action.ERASED,
        wording_version="",
        method=VIA_RETENTION,
    )
    # The topics chosen go with the row (the many-to-many rows are deleted with it), the
    # consent history keeps its entries (subscriber set to NULL), and the logs lose the
    # address (`forget_subscriber`, on pre_delete).
    subscriber.delete()


def forget_subscriber(sender, instance: Subscriber, **kwargs) -> None:
    """pre_delete of a `Subscriber` (connected in DistributionConfig.ready()): the delivery
    log and the mail log keep their rows but lose the address, the personal link, the text and
    the last error, as the module docstring says. On pre_delete, so that a subscriber deleted
    in the admin (Administration, on a request under DSGVO Art. 17) leaves no address behind
    either, not only one erased when its period ends."""
    email = instance.email
    Delivery.objects.filter(subscriber=instance).update(
        email=erased_address(), token="", last_error="", subscriber=None
    )
    to_address = models.Q(recipients__iexact=email) | models.Q(recipients__iendswith=f"<{email}>")
    SentMail.objects.filter(to_address, kind__startswith="distribution").update(
        recipients=erased_address(), last_error="", body="", html="", headers={}
    )


def schedule_erasure(subscriber: Subscriber, *, at: datetime) -> None:
    """Queue `erase_if_due` for `subscriber` to run at `at`. A task backend that cannot defer
    tasks is not asked (the erasure is then `purge_distribution_list`'s)."""
    if erase_if_due.get_backend().supports_defer:
        erase_if_due.using(run_after=at).enqueue(subscriber.pk)


@task()
def erase_if_due(subscriber_id: int) -> bool:
    """Erase the subscriber with primary key `subscriber_id` if that is due (`is_due()`):
    nothing happens for an address that came back or confirmed meanwhile, or one that is gone
    already. Returns whether it erased."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
        if subscriber is None or not is_due(subscriber):
            return False
        erase(subscriber)
    return True


def purge_overdue(now: datetime | None = None) -> int:
    """Erase every subscriber whose erasure is due (`overdue()`); returns how many."""
    erased = 0
    for subscriber_id in overdue(now).values_list("pk", flat=True).iterator():
        with transaction.atomic():
            subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
            if subscriber is not None and is_due(subscriber, now):
                erase(subscriber)
                erased += 1
    return erased
