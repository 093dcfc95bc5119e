"""Who receives a release and how the sending behaves under load and failure (issue 14):
matching choices, a bounded rate, retries with back-off, hard bounces, and memory that does
not grow with the list (proved by counting what is held at once, never by timing)."""

import weakref
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from distribution import sending
from distribution.models import Delivery, Subscriber
from press.kinds import Kind
from press.models import Topic


def matching(article) -> set[str]:
    return {recipient.email for recipient in sending.release_recipients(article)}


def time_passes(minutes: int = 1) -> None:
    """The clock moves on by `minutes`: waiting tasks and retries become due, and the claims
    of the rate's window grow old."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    Delivery.objects.filter(status=Delivery.Status.RETRYING).update(next_attempt_at=timezone.now())
    Delivery.objects.exclude(claimed_at=None).update(
        claimed_at=F("claimed_at") - timedelta(minutes=minutes, seconds=1)
    )


def list_mails(inbox) -> list:
    """The distribution-list mails among what the server received (not the confirmations)."""
    return [m for m in inbox if str(m["Message-ID"]).strip().startswith("<verteiler.")]


def release_to(article, subscribers) -> int:
    return sending.distribute(
        article, "release", [sending.Recipient(s.email, s) for s in subscribers]
    )


@pytest.fixture
def public(published_article):
    return published_article


def test_a_release_matches_confirmed_subscribers_by_kind_and_topic(public, topic, make_subscriber):
    other_topic = Topic.objects.create(name="Ausbildung")
    make_subscriber("alles@example.org")
    make_subscriber("thema@example.org", topics=[topic])
    make_subscriber("anderes-thema@example.org", topics=[other_topic])
    make_subscriber("nur-kreisblatt@example.org", kinds=[Kind.KREISBLATT])
    make_subscriber("unbestaetigt@example.org", confirmed=False)
    gone = make_subscriber("abgemeldet@example.org")
    gone.state = Subscriber.State.UNSUBSCRIBED
    gone.save()
    blocked = make_subscriber("gesperrt@example.org")
    blocked.state = Subscriber.State.DEACTIVATED
    blocked.save()

    assert matching(public) == {"alles@example.org", "thema@example.org"}

    public.kind = Kind.KREISBLATT
    assert matching(public) == {
        "alles@example.org",
        "thema@example.org",
        "nur-kreisblatt@example.org",
    }


def test_the_worker_sends_no_more_than_the_rate_a_minute(
    public, make_subscriber, smtp_server, run_worker, settings
):
    settings.DISTRIBUTION_RATE_PER_MINUTE = 3
    subscribers = [make_subscriber(f"leser{number}@example.org") for number in range(7)]
    release_to(public, subscribers)

    sent = []
    for _ in range(3):
        run_worker()
        sent.append(len(list_mails(smtp_server)))
        time_passes()

    assert sent == [3, 6, 7]
    assert Delivery.objects.filter(status="sent").count() == 7


def test_a_transient_refusal_is_retried_after_a_minute(
    public, make_subscriber, smtp_server, run_worker
):
    reader = make_subscriber()
    run_worker()  # the confirmation mail has gone
    release_to(public, [reader])
    smtp_server.refuse(1)  # 451

    run_worker()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("retrying", 1)
    assert "451" in delivery.last_error
    assert delivery.next_attempt_at - delivery.claimed_at == pytest.approx(
        timedelta(minutes=1), abs=timedelta(seconds=1)
    )

    time_passes()
    run_worker()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert len(list_mails(smtp_server)) == 1


def test_a_permanent_refusal_is_recorded_and_three_deactivate_the_address(
    make_article, approver, make_subscriber, smtp_server, run_worker, settings
):
    reader = make_subscriber()
    run_worker()  # the confirmation mail has gone
    for number in range(settings.DISTRIBUTION_HARD_BOUNCE_LIMIT):
        article = make_article("in_review", title=f"Meldung {number}")
        article.publish(by=approver)
        smtp_server.refuse(1, "550 5.1.1 Postfach unbekannt")
        release_to(article, [reader])
        run_worker()
        reader.refresh_from_db()
        assert reader.hard_bounces == number + 1

    assert reader.state == Subscriber.State.DEACTIVATED
    failed = Delivery.objects.filter(status="failed")
    assert failed.count() == 3
    assert all("550" in delivery.last_error for delivery in failed)
    assert list_mails(smtp_server) == []
    later = make_article("in_review", title="Danach")
    later.publish(by=approver)
    assert reader.email not in matching(later)


class Held:
    """How many instances of a model are alive at once, at most (weak references: an
    instance counts while anything still holds it)."""

    def __init__(self, monkeypatch, model):
        self.alive = weakref.WeakSet()
        self.peak = 0
        original = model.from_db.__func__

        def from_db(cls, *args, **kwargs):
            instance = original(cls, *args, **kwargs)
            self.alive.add(instance)
            self.peak = max(self.peak, len(self.alive))
            return instance

        monkeypatch.setattr(model, "from_db", classmethod(from_db))


def test_sending_holds_at_most_one_chunk_of_subscribers_whatever_the_list(
    public, make_subscriber, smtp_server, run_worker, settings, monkeypatch
):
    settings.DISTRIBUTION_RATE_PER_MINUTE = 10_000
    monkeypatch.setattr(sending, "CHUNK", 4)
    Subscriber.objects.bulk_create(
        Subscriber(email=f"leser{number}@example.org", state="confirmed", token=f"t{number}")
        for number in range(30)
    )
    subscribers = Held(monkeypatch, Subscriber)
    deliveries = Held(monkeypatch, Delivery)

    assert sending.distribute(public, "release", sending.release_recipients(public)) == 30
    run_worker()

    assert len(list_mails(smtp_server)) == 30
    # At a chunk's boundary the next is read while the last is still held: two chunks at most.
    assert 4 <= subscribers.peak <= 2 * 4
    assert 4 <= deliveries.peak <= 2 * 4


def test_sending_costs_the_same_few_queries_a_mail_however_long_the_list(
    make_article, approver, smtp_server, settings
):
    settings.DISTRIBUTION_RATE_PER_MINUTE = 10_000
    Subscriber.objects.bulk_create(
        Subscriber(email=f"leser{number}@example.org", state="confirmed", token=f"t{number}")
        for number in range(30)
    )
    counts = {}
    for size in (10, 30):
        article = make_article("in_review", title=f"Meldung an {size}")
        article.publish(by=approver)
        recipients = list(sending.release_recipients(article))[:size]
        sending.distribute(article, "release", recipients)
        with CaptureQueriesContext(connection) as queries:
            assert sending.run_batch(article.pk, "release") == size
        counts[size] = len(queries)

    # A claim and the record of the mail before it, in one transaction (a savepoint and its
    # release inside the test's transaction); nothing else that grows with the list.
    per_mail = (counts[30] - counts[10]) / 20
    assert per_mail <= 4
    assert counts[10] <= 10 * 4 + 10
