"""Subscribing, confirming, changing and withdrawing consent (first version)."""

from __future__ import annotations

from django.utils import timezone

from distribution.models import ConsentRecord, Subscriber, address_hash


def unsubscribe(subscriber: Subscriber, *, method: str) -> None:
    """Withdraw consent: no further mail; the personal data is erased after the retention
    period. Idempotent."""
    if subscriber.state == Subscriber.State.UNSUBSCRIBED:
        return
    subscriber.state = Subscriber.State.UNSUBSCRIBED
    subscriber.unsubscribed_at = timezone.now()
    subscriber.save(update_fields=["state", "unsubscribed_at"])
    ConsentRecord.objects.create(
        subscriber=subscriber,
        email_hash=address_hash(subscriber.email),
        action=ConsentRecord.Action.WITHDRAWN,
        wording_version="",
        method=method,
    )
