"""Erasure (DSGVO Art. 17): an address that left the list is erased DISTRIBUTION_RETENTION_DAYS
later by a task the real worker runs, an unconfirmed request once its link has expired; what
stays is the consent history under a hash, and the delivery counts without the address.

Time passes in these tests by moving the stored times back (the moment of leaving or of the
request, and the queued task's run_after) by the same amount."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from demo.loader import load_demo
from distribution.models import ConsentRecord, Delivery, Subscriber, address_hash
from mailing.models import SentMail
from tests.conftest import ensure_roles

ERASE_TASK = "distribution.retention.erase_if_due"


def erasure_tasks():
    return DBTaskResult.objects.filter(task_path=ERASE_TASK)


def let_time_pass(delta: timedelta) -> None:
    """Move every stored moment the erasure depends on `delta` into the past."""
    for field in ["created_at", "confirmation_sent_at", "unsubscribed_at"]:
        for subscriber in Subscriber.objects.exclude(**{f"{field}__isnull": True}):
            Subscriber.objects.filter(pk=subscriber.pk).update(
                **{field: getattr(subscriber, field) - delta}
            )
    for task in DBTaskResult.objects.filter(status="READY"):
        DBTaskResult.objects.filter(pk=task.pk).update(run_after=task.run_after - delta)


def one_click(client, subscriber):
    return client.post(
        reverse("distribution:unsubscribe", args=[subscriber.token]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )


def everything_stored() -> str:
    """The distribution list's, the mail log's and the task queue's tables as JSON."""
    out = StringIO()
    call_command("dumpdata", "distribution", "mailing", "django_tasks_database", stdout=out)
    return out.getvalue()


def test_leaving_queues_the_erasure_for_30_days_later(client, confirmed_subscriber):
    one_click(client, confirmed_subscriber)

    confirmed_subscriber.refresh_from_db()
    due = erasure_tasks().latest("enqueued_at").run_after
    assert due == confirmed_subscriber.unsubscribed_at + timedelta(days=30)


def test_the_retention_period_comes_from_the_settings(client, confirmed_subscriber, settings):
    settings.DISTRIBUTION_RETENTION_DAYS = 7

    one_click(client, confirmed_subscriber)

    confirmed_subscriber.refresh_from_db()
    due = erasure_tasks().latest("enqueued_at").run_after
    assert due == confirmed_subscriber.unsubscribed_at + timedelta(days=7)


def test_the_worker_erases_the_personal_data_after_the_retention_period(
    client, make_subscriber, published_article, run_worker, smtp_server
):
    email = "petra.sommer@harzkurier.de"
    subscriber = make_subscriber(
        email, name="Petra Sommer", medium="Harzkurier", topics=published_article.topics.all()
    )
    Delivery.objects.create(
        article=published_article, occasion="release", email=email, subscriber=subscriber,
        status=Delivery.Status.SENT, last_error=f"450 <{email}> später",
    )  # fmt: skip
    run_worker()  # the confirmation mail leaves
    one_click(client, subscriber)

    let_time_pass(timedelta(days=29, hours=23))
    run_worker()
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()

    let_time_pass(timedelta(hours=1, minutes=1))
    run_worker()

    assert not Subscriber.objects.exists()
    assert email not in everything_stored().lower()
    assert "Petra Sommer" not in everything_stored()
    assert "Harzkurier" not in everything_stored()
    # The consent history stays, under the hash.
    history = ConsentRecord.objects.order_by("at", "id")
    assert [r.action for r in history] == ["requested", "confirmed", "withdrawn", "erased"]
    assert {r.email_hash for r in history} == {address_hash(email)}
    assert {r.subscriber_id for r in history} == {None}
    # The delivery log keeps its counts, without the address.
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.email == f"geloescht-{delivery.pk}@invalid"
    assert (delivery.subscriber, delivery.token, delivery.last_error) == (None, "", "")
    assert SentMail.objects.filter(kind="distribution_confirmation").count() == 1


def test_an_unconfirmed_request_is_deleted_when_its_link_expires(
    client, make_subscriber, run_worker, smtp_server
):
    make_subscriber("wartend@harzkurier.de", confirmed=False)
    confirmed = make_subscriber("bestaetigt@harzkurier.de")

    let_time_pass(timedelta(hours=47, minutes=59))
    run_worker()
    assert Subscriber.objects.count() == 2

    let_time_pass(timedelta(minutes=2))
    run_worker()

    assert list(Subscriber.objects.all()) == [confirmed]
    assert "wartend@harzkurier.de" not in everything_stored()
    erased = ConsentRecord.objects.get(action=ConsentRecord.Action.ERASED)
    assert erased.email_hash == address_hash("wartend@harzkurier.de")


def test_an_address_that_came_back_is_not_erased_by_the_old_task(
    client, confirmed_subscriber, run_worker, smtp_server
):
    one_click(client, confirmed_subscriber)
    client.post(
        "/verteiler/",
        {
            "email": confirmed_subscriber.email,
            "scope": "alle",
            "kinds": ["notice"],
            "consent": "on",
        },
    )
    confirmed_subscriber.refresh_from_db()
    client.post(reverse("distribution:confirm", args=[confirmed_subscriber.token]))

    let_time_pass(timedelta(days=31))
    run_worker()

    confirmed_subscriber.refresh_from_db()
    assert confirmed_subscriber.state == Subscriber.State.CONFIRMED
    assert not ConsentRecord.objects.filter(action=ConsentRecord.Action.ERASED).exists()


def test_the_purge_command_erases_what_is_overdue_and_nothing_else(client, make_subscriber):
    """For operators, e.g. after the task queue was lost: here the queue is emptied first."""
    gone = make_subscriber("weg@harzkurier.de")
    staying = make_subscriber("bleibt@harzkurier.de")
    one_click(client, gone)
    pending = make_subscriber("wartend@harzkurier.de", confirmed=False)
    Subscriber.objects.filter(pk=gone.pk).update(
        unsubscribed_at=timezone.now() - timedelta(days=30, minutes=1)
    )
    Subscriber.objects.filter(pk=pending.pk).update(
        confirmation_sent_at=timezone.now() - timedelta(hours=48, minutes=1)
    )
    recent = make_subscriber("gerade@harzkurier.de")
    one_click(client, recent)
    DBTaskResult.objects.all().delete()

    out = StringIO()
    call_command("purge_distribution_list", stdout=out)

    assert "2 Abonnent(en) gelöscht." in out.getvalue()
    assert set(Subscriber.objects.values_list("email", flat=True)) == {
        staying.email,
        "gerade@harzkurier.de",
    }
    call_command("purge_distribution_list", stdout=out)
    assert "0 Abonnent(en) gelöscht." in out.getvalue()


def test_after_leaving_the_address_is_no_longer_confirmed(client, confirmed_subscriber):
    """No further mail: the sending only writes to CONFIRMED addresses."""
    one_click(client, confirmed_subscriber)

    assert not Subscriber.objects.filter(state=Subscriber.State.CONFIRMED).exists()
    confirmed_subscriber.refresh_from_db()
    assert confirmed_subscriber.state == Subscriber.State.UNSUBSCRIBED
    assert confirmed_subscriber.unsubscribed_at is not None


def test_the_demo_privacy_page_says_what_is_kept_and_for_how_long(client, db, settings):
    ensure_roles()
    load_demo()

    page = client.get(reverse("press:legal", args=["datenschutz"])).content.decode()
    text = " ".join(page.split())
    assert "Presseverteiler per E-Mail" in text
    assert f"innerhalb von {settings.DISTRIBUTION_CONFIRMATION_HOURS} Stunden" in text
    assert f"{settings.DISTRIBUTION_RETENTION_DAYS} Tage nach der Abmeldung" in text
    assert "Prüfsumme" in text and "Art. 7 Abs. 1" in text
    assert '<a href="/verteiler/">' in page
