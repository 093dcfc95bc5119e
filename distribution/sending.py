"""Sending the distribution list's mails: exactly once per delivery, at a bounded rate,
resumable after a crash.

`distribute()` writes one `Delivery` row per recipient of an occasion up front (the unique
constraint on article, occasion and address makes a second call add nobody) and queues the
batch task (`tasks.send_deliveries`). `run_batch()` is that task's work:

1. It first queues its own continuation (`CONTINUE_AFTER` later, at most the lease): the
   rest after the rate's share, and the safety net should this worker die mid-batch (a
   killed worker leaves its task "running" for ever; the continuation finds the batch).
2. Each delivery is claimed before it is sent, by one conditional UPDATE (status pending, or
   retrying and due, or "sending" with a claim older than DISTRIBUTION_LEASE_SECONDS → status
   sending, claimed_at = now). The database lets only one of several workers match the row
   (PostgreSQL re-checks the WHERE clause on the locked row; SQLite serialises writers), so
   two workers never send the same delivery while its claim is alive.
3. The SMTP transaction; then the delivery is marked sent, in one UPDATE that checks the
   claim is still ours, committed together with the claim of the next delivery (one commit a
   mail; nothing else happens between the server's answer and that commit).

What remains is one window per delivery: the server has answered 250 to the message, and the
worker dies before its "sent" is committed. The lease then expires and the mail goes again.
No order of the steps closes it: the server's acceptance and our commit are two systems
without a shared transaction (SMTP has no two-phase commit), so either a crash after the 250
resends (this order) or a crash before the SMTP transaction loses the mail (marking first).
Resending is the lesser harm, and the mail keeps its Message-ID (`mails.message_id`), by which
the recipient's software can recognise it. A claim that expires while its SMTP transaction is
still running would open a second window; the lease is therefore required to be longer than
EMAIL_TIMEOUT (newsroom/settings.py).

Errors: an SMTP 5xx reply is permanent (`mailing.tasks.is_permanent`, RFC 5321 §4.2.1): the
delivery is failed, and a subscriber's hard bounce is counted; at
DISTRIBUTION_HARD_BOUNCE_LIMIT the subscriber is deactivated. A transient error (4xx, a
dropped connection, a timeout) is retried after `mailing.tasks.RETRY_DELAYS` (1, 5, 15
minutes), then failed.

Rate: DISTRIBUTION_RATE_PER_MINUTE mails (claims) per minute over all batches, counted from
the claims of the last 60 seconds; what is over the share waits for the continuation. Two
batches that start in the same instant may together exceed it once.

Memory: recipients are read and rows written in chunks of `CHUNK`, deliveries claimed from
chunks of at most `CHUNK`; nothing holds all recipients of a list.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from functools import partial
from itertools import islice
from typing import NamedTuple

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Exists, F, Min, OuterRef, Q
from django.utils import timezone
from django_tasks_db import DatabaseBackend

from mailing.tasks import RETRY_DELAYS, error_summary, is_permanent
from press.models import Article

from . import mails
from .models import AccreditedRecipient, Delivery, Subscriber
from .retention import retention_ends, schedule_erasure

logger = logging.getLogger("newsroom.mail")

CHUNK = 200
WINDOW = timedelta(minutes=1)
Status = Delivery.Status


class Recipient(NamedTuple):
    """One address an occasion goes to: the `Subscriber` or `AccreditedRecipient` it belongs
    to, if any, and a personal `token` stored on the delivery (e.g. an embargo preview's)."""

    email: str
    subscriber: Subscriber | None = None
    accredited: AccreditedRecipient | None = None
    token: str = ""


def release_recipients(article: Article) -> Iterator[Recipient]:
    """The confirmed subscribers whose choices match `article`: its kind is in their `kinds`,
    and they take all topics or share one of its topics. Read in chunks of `CHUNK` (a
    server-side cursor on PostgreSQL), ordered by id."""
    topic_ids = list(article.topics.values_list("pk", flat=True))
    shared = Subscriber.topics.through.objects.filter(
        subscriber=OuterRef("pk"), topic_id__in=topic_ids
    )
    subscribers = (
        Subscriber.objects.filter(state=Subscriber.State.CONFIRMED)
        .filter(Q(all_topics=True) | Exists(shared))
        .only("pk", "email", "kinds")
        .order_by("pk")
    )
    for subscriber in subscribers.iterator(chunk_size=CHUNK):
        # The kinds are a JSON list; SQLite has no JSON containment lookup, so they are
        # compared here, one row at a time.
        if article.kind in (subscriber.kinds or []):
            yield Recipient(subscriber.email, subscriber=subscriber)


def receivers(article: Article, occasion: str = mails.RELEASE) -> Iterator[Recipient]:
    """Everyone to whom `occasion` of `article` was sent (status sent), in chunks."""
    sent = (
        Delivery.objects.filter(article=article, occasion=occasion, status=Status.SENT)
        .select_related("subscriber", "accredited")
        .order_by("pk")
    )
    for delivery in sent.iterator(chunk_size=CHUNK):
        yield Recipient(delivery.email, delivery.subscriber, delivery.accredited, delivery.token)


def distribute(
    article: Article,
    occasion: str,
    recipients: Iterable[Recipient],
    *,
    run_after: datetime | None = None,
) -> int:
    """Create a pending `Delivery` of `occasion` ("release", "correction:812", …; at most 40
    characters) about `article` for each recipient that has none yet, and queue the batch task
    that sends them, at `run_after` (None: at once). Returns how many deliveries are new; with
    none, nothing is queued. Recipients are written in chunks of `CHUNK` (bulk INSERT, existing
    rows ignored), so a list of any length is never held at once.

    With the database task backend the rows and the task are written in the caller's
    transaction: a step that is rolled back sends nothing."""
    from .tasks import send_deliveries

    rows = Delivery.objects.filter(article=article, occasion=occasion)
    before = rows.count()
    iterator = iter(recipients)
    while chunk := list(islice(iterator, CHUNK)):
        Delivery.objects.bulk_create(
            [
                Delivery(
                    article=article,
                    occasion=occasion,
                    email=recipient.email.strip().lower(),
                    subscriber=recipient.subscriber,
                    accredited=recipient.accredited,
                    token=recipient.token,
                )
                for recipient in chunk
            ],
            ignore_conflicts=True,
        )
    new = rows.count() - before
    if new:
        task = send_deliveries
        if run_after is not None and task.get_backend().supports_defer:
            task = task.using(run_after=run_after)
        if isinstance(task.get_backend(), DatabaseBackend):
            task.enqueue(article.pk, occasion)
        else:
            transaction.on_commit(partial(task.enqueue, article.pk, occasion))
    return new


def lease() -> timedelta:
    return timedelta(seconds=settings.DISTRIBUTION_LEASE_SECONDS)


def claimable_q(now: datetime) -> Q:
    """Deliveries a worker may claim at `now`: pending, retrying and due, or claimed by a
    worker whose lease has run out (it died mid-send)."""
    return (
        Q(status=Status.PENDING)
        | Q(status=Status.RETRYING, next_attempt_at__lte=now)
        | Q(status=Status.SENDING, claimed_at__lt=now - lease())
    )


OPEN = [Status.PENDING, Status.RETRYING, Status.SENDING]


def next_due(rows, now: datetime) -> datetime | None:
    """When the next open delivery of `rows` may be claimed: now for a claimable one, else
    the earliest retry or lease end; None when every delivery has ended."""
    if rows.filter(claimable_q(now)).exists():
        return now
    times = rows.filter(status__in=OPEN).aggregate(
        retry=Min("next_attempt_at", filter=Q(status=Status.RETRYING)),
        claim=Min("claimed_at", filter=Q(status=Status.SENDING)),
    )
    candidates = [times["retry"], times["claim"] and times["claim"] + lease()]
    candidates = [moment for moment in candidates if moment is not None]
    return min(candidates) if candidates else None


def _continue(article_id: int, occasion: str, at: datetime) -> None:
    from .tasks import send_deliveries

    if send_deliveries.get_backend().supports_defer:
        send_deliveries.using(run_after=at).enqueue(article_id, occasion)


def budget(now: datetime) -> int:
    """How many mails may still be claimed in the minute before `now` under
    DISTRIBUTION_RATE_PER_MINUTE, over all batches."""
    recent = Delivery.objects.filter(claimed_at__gt=now - WINDOW).count()
    return max(0, settings.DISTRIBUTION_RATE_PER_MINUTE - recent)


def run_batch(article_id: int, occasion: str) -> int:
    """Send the claimable deliveries of (`article_id`, `occasion`), up to the rate's share,
    and queue the continuation for the rest; returns how many were sent. Safe to run in any
    number of workers at once, and after a crash (see the module docstring)."""
    now = timezone.now()
    rows = Delivery.objects.filter(article_id=article_id, occasion=occasion)
    article = Article.objects.select_related("press_contact").filter(pk=article_id).first()
    due = next_due(rows, now)
    if article is None or due is None:
        return 0
    if due > now:
        _continue(article_id, occasion, due)
        return 0
    _continue(article_id, occasion, now + min(WINDOW, lease()))
    allowed = budget(now)
    sent = 0
    connection = get_connection(fail_silently=False)
    try:
        while allowed > 0:
            chunk = list(
                rows.filter(claimable_q(now))
                .select_related("subscriber", "accredited")
                .order_by("pk")[: min(CHUNK, allowed)]
            )
            if not chunk:
                break
            # The last mail sent, recorded as such together with the next claim: one commit a
            # mail, and nothing but that commit between the server's 250 and the record.
            done = None
            for delivery in chunk:
                with transaction.atomic():
                    if done is not None:
                        finish(*done, Status.SENT)
                        done = None
                    stamp = claim(delivery, now)
                if stamp is None:
                    continue  # another worker was quicker
                allowed -= 1
                delivery.article = article
                if send_one(delivery, stamp, connection) == Status.SENT:
                    done = (delivery, stamp)
                    sent += 1
                if allowed <= 0:
                    break
            if done is not None:
                finish(*done, Status.SENT)
    finally:
        connection.close()
    return sent


def claim(delivery: Delivery, now: datetime) -> datetime | None:
    """Claim `delivery` for this worker: one conditional UPDATE that only one worker wins.
    Returns the claim's time stamp (the proof of ownership for `finish()`), or None."""
    stamp = timezone.now()
    won = Delivery.objects.filter(claimable_q(now), pk=delivery.pk).update(
        status=Status.SENDING, claimed_at=stamp, attempts=F("attempts") + 1
    )
    if not won:
        return None
    delivery.status, delivery.claimed_at = Status.SENDING, stamp
    delivery.attempts += 1
    return stamp


def finish(delivery: Delivery, stamp: datetime, status: str, error: str = "", **fields) -> bool:
    """Record the end of an attempt, if the claim made at `stamp` is still ours; False when
    its lease ran out and another worker has taken the delivery over."""
    if status == Status.SENT:
        fields["sent_at"] = timezone.now()
    done = Delivery.objects.filter(pk=delivery.pk, status=Status.SENDING, claimed_at=stamp).update(
        status=status, last_error=error[:2000], **{"next_attempt_at": None, **fields}
    )
    if not done:
        logger.warning("delivery %s: claim lost before it was recorded as %s", delivery.pk, status)
    return bool(done)


def send_one(delivery: Delivery, stamp: datetime, connection) -> str:
    """Write and send the claimed `delivery` over `connection`; returns its new status. Every
    outcome but "sent" is recorded here; "sent" is the caller's to record (`finish()`), at
    once."""
    composer = mails.composer_for(delivery.occasion)
    try:
        message = composer(delivery) if composer else None
        if message is None:
            finish(delivery, stamp, Status.CANCELLED)
            return Status.CANCELLED
        email = message.email(delivery.email, connection=connection)
        connection.open()
        email.send()
    except (smtplib.SMTPException, OSError) as error:
        if not isinstance(error, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused):
            connection.close()  # a broken connection is not reused; the next send reopens
        return failed(delivery, stamp, error)
    except Exception as error:
        # A fault of ours (a template, a header with a line break): not worth retrying, and
        # the rest of the batch still goes.
        logger.exception("delivery %s could not be written or sent", delivery.pk)
        finish(delivery, stamp, Status.FAILED, f"{type(error).__name__}: {error}")
        return Status.FAILED
    return Status.SENT


def failed(delivery: Delivery, stamp: datetime, error: Exception) -> str:
    """Record a failed SMTP attempt: retry later, or give up (and count a hard bounce)."""
    description = f"{type(error).__name__}: {error}"
    if is_permanent(error):
        finish(delivery, stamp, Status.FAILED, description)
        if delivery.subscriber_id is not None:
            bounce(delivery.subscriber_id)
        logger.warning("delivery %s refused for good: %s", delivery.pk, error_summary(error))
        return Status.FAILED
    if delivery.attempts > len(RETRY_DELAYS):
        finish(delivery, stamp, Status.FAILED, description)
        logger.error("delivery %s given up after %d attempts", delivery.pk, delivery.attempts)
        return Status.FAILED
    next_at = timezone.now() + RETRY_DELAYS[delivery.attempts - 1]
    finish(delivery, stamp, Status.RETRYING, description, next_attempt_at=next_at)
    return Status.RETRYING


def bounce(subscriber_id: int) -> None:
    """Count a hard bounce (an SMTP 5xx refusal) of the subscriber; at
    DISTRIBUTION_HARD_BOUNCE_LIMIT of them the address is deactivated: it receives nothing
    more, has left the list then (`unsubscribed_at`), and its personal data is erased after the
    retention period like an unsubscribed address's (`distribution.retention`)."""
    Subscriber.objects.filter(pk=subscriber_id).update(hard_bounces=F("hard_bounces") + 1)
    deactivated = Subscriber.objects.filter(
        pk=subscriber_id,
        hard_bounces__gte=settings.DISTRIBUTION_HARD_BOUNCE_LIMIT,
        state=Subscriber.State.CONFIRMED,
    ).update(state=Subscriber.State.DEACTIVATED, unsubscribed_at=timezone.now())
    if deactivated:
        logger.warning("subscriber %s deactivated after repeated hard bounces", subscriber_id)
        subscriber = Subscriber.objects.get(pk=subscriber_id)
        schedule_erasure(subscriber, at=retention_ends(subscriber))
