"""Review of issue 14 (Presseverteiler) as an administrator and a data-protection officer would
read it: odd input to the public pages answers with a message or a 404, never a 500; no
address reaches the log; an entry taken off the Vorab-Verteiler leaves no address in the
delivery log; Redaktion meets no address anywhere in the admin; an embargoed article's topic
is not offered before its minute."""

import logging
import smtplib
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from demo.loader import load_demo
from distribution import sending
from distribution.models import AccreditedRecipient, Delivery, Subscriber
from mailing.models import SentMail
from mailing.tasks import error_summary
from press.models import Topic
from tests.conftest import ensure_roles, make_user

from . import sperrfrist
from .sperrfrist import JOURNALISTS

accredited = sperrfrist.accredited
committed = sperrfrist.committed

ADDRESS = "petra.sommer@harzkurier.de"
# More digits than a 64-bit primary key holds: SQLite raised OverflowError on it (a 500).
HUGE = "9" * 23


def schedule_with_advance_copies(article, approver, committed):
    with committed():
        article.publish(by=approver, at=timezone.now() + timedelta(minutes=5), advance_copies=True)


# --- odd input -----------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["%00", "x%00y", "%C3%A4", "a" * 65])
def test_a_token_no_link_can_hold_is_not_found_without_asking_the_database(
    client, db, token, django_assert_num_queries
):
    # PostgreSQL refuses a NUL in a string: looking one up was a 500 there.
    for url in [
        f"/verteiler/sperrfrist/{token}/",
        f"/verteiler/sperrfrist/{token}/foto/1/bild.jpg",
        f"/verteiler/abmelden/{token}/",
    ]:
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 404


def test_a_topic_number_too_long_for_the_database_is_refused_with_a_message(client, db):
    response = client.post(
        reverse("distribution:subscribe"),
        {"email": ADDRESS, "consent": "on", "scope": "auswahl", "topics": [HUGE],
         "kinds": ["meldung"]},
    )  # fmt: skip

    assert response.status_code == 200
    assert f"„{HUGE}“ ist kein gültiger Wert" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_the_preferences_page_refuses_a_topic_number_too_long_for_the_database(
    client, confirmed_subscriber
):
    url = reverse("distribution:preferences", args=[confirmed_subscriber.token])
    response = client.post(url, {"scope": "auswahl", "topics": [HUGE, "-1"], "kinds": ["meldung"]})

    assert response.status_code == 200
    assert "ist kein gültiger Wert" in response.content.decode()
    confirmed_subscriber.refresh_from_db()
    assert confirmed_subscriber.all_topics


# --- the log -------------------------------------------------------------------------------


def test_an_smtp_refusal_is_logged_without_the_address_it_quotes():
    refused = smtplib.SMTPRecipientsRefused({ADDRESS: (550, f"5.1.1 <{ADDRESS}> unknown".encode())})
    quoted = smtplib.SMTPDataError(554, f"5.7.1 <{ADDRESS}> rejected".encode())

    assert error_summary(refused) == "SMTPRecipientsRefused 550"
    assert error_summary(quoted) == "SMTPDataError 554"
    assert error_summary(ConnectionRefusedError()) == "ConnectionRefusedError"


def test_no_subscriber_address_reaches_the_log(
    make_subscriber, make_article, approver, smtp_server, run_worker, caplog
):
    caplog.set_level(logging.INFO)
    reader = make_subscriber(ADDRESS)
    run_worker()  # the confirmation mail goes, and is logged
    article = make_article("in_review", title="Neue Zahlen")
    article.publish(by=approver)
    # A server that quotes the address in its refusal, as many do.
    smtp_server.refuse(1, f"550 5.1.1 <{ADDRESS}>: Postfach unbekannt")
    sending.distribute(article, "release", [sending.Recipient(reader.email, reader)])
    run_worker()

    assert Delivery.objects.get(email=ADDRESS).status == Delivery.Status.FAILED
    # Our own loggers only: the test's SMTP server (aiosmtpd, "mail.log") logs its dialogue.
    ours = "\n".join(
        record.getMessage() + (record.exc_text or "")
        for record in caplog.records
        if record.name.startswith(("newsroom", "distribution", "mailing", "django"))
    )
    assert "refused for good: SMTPDataError 550" in ours
    assert "(distribution_confirmation) sent" in ours
    assert ADDRESS not in ours


# --- erasure -------------------------------------------------------------------------------


def test_an_entry_taken_off_the_vorab_verteiler_leaves_no_address_in_the_delivery_log(
    client, approver, make_article, accredited, committed
):
    schedule_with_advance_copies(make_article("in_review"), approver, committed)
    copies = Delivery.objects.filter(email=JOURNALISTS[0])
    assert copies.count() == 1
    copy_pk = copies.get().pk
    person = AccreditedRecipient.objects.get(email=JOURNALISTS[0])

    client.force_login(approver)
    response = client.post(
        reverse("admin:distribution_accreditedrecipient_changelist"),
        {"action": "delete_selected", "_selected_action": [person.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not AccreditedRecipient.objects.filter(email=JOURNALISTS[0]).exists()
    copy = Delivery.objects.get(pk=copy_pk)
    assert copy.email == f"geloescht-{copy_pk}@invalid"
    assert copy.token == "" and copy.accredited is None
    # The other journalist's copy keeps its address.
    assert Delivery.objects.filter(email=JOURNALISTS[1]).count() == 1


def test_a_subscriber_deleted_in_the_admin_leaves_no_address_in_the_logs(
    client, administrator, make_subscriber, published_article, smtp_server, run_worker
):
    reader = make_subscriber(ADDRESS)
    sending.distribute(published_article, "release", [sending.Recipient(reader.email, reader)])
    run_worker()
    delivery = Delivery.objects.get(email=ADDRESS)
    assert delivery.status == Delivery.Status.SENT
    assert SentMail.objects.filter(recipients=ADDRESS).exists()  # the confirmation mail

    client.force_login(administrator)
    response = client.post(
        reverse("admin:distribution_subscriber_changelist"),
        {"action": "delete_selected", "_selected_action": [reader.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Subscriber.objects.exists()
    delivery.refresh_from_db()
    assert (delivery.email, delivery.status) == (f"geloescht-{delivery.pk}@invalid", "sent")
    assert not SentMail.objects.filter(recipients__icontains=ADDRESS).exists()
    assert not Delivery.objects.filter(email__icontains=ADDRESS).exists()


def test_the_demo_privacy_page_says_what_the_vorab_verteiler_keeps(client, db):
    ensure_roles()
    load_demo()

    page = client.get(reverse("press:legal", args=["datenschutz"])).content.decode()
    text = " ".join(page.split())
    assert "Vorab-Verteiler (Sperrfrist)" in text
    assert "entfernen wir Ihre Adresse und Ihre Links auch aus dem Versandprotokoll" in text


# --- Redaktion sees no address ---------------------------------------------------------------


@pytest.fixture
def log_with_addresses(make_subscriber, published_article, approver):
    subscriber = make_subscriber(ADDRESS)
    person = AccreditedRecipient.objects.create(
        name="Anna Berg", email=JOURNALISTS[0], medium="MZ", consent="schriftlich",
        consent_on=date(2026, 2, 3), added_by=approver,
    )  # fmt: skip
    sending.distribute(published_article, "release", [sending.Recipient(ADDRESS, subscriber)])
    sending.distribute(
        published_article, "advance:1", [sending.Recipient(JOURNALISTS[0], accredited=person)]
    )
    return published_article


def test_redaktion_meets_no_address_on_any_page_of_the_delivery_log(client, log_with_addresses):
    client.force_login(make_user("pruefer-redaktion", "Redaktion"))
    delivery = Delivery.objects.get(email=ADDRESS)
    pages = [
        reverse("admin:distribution_delivery_changelist") + f"?q={ADDRESS}",
        reverse("admin:distribution_delivery_changelist") + "?status=failed&o=3",
        reverse("admin:distribution_delivery_counts"),
        reverse("admin:app_list", args=["distribution"]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert ADDRESS not in page and JOURNALISTS[0] not in page, url
    for view in ["change", "history"]:
        url = reverse(f"admin:distribution_delivery_{view}", args=[delivery.pk])
        response = client.get(url)
        assert response.status_code in {302, 403}, url
        assert ADDRESS not in response.content.decode()
    for model in ["subscriber", "accreditedrecipient"]:
        response = client.get(reverse(f"admin:distribution_{model}_changelist"))
        assert response.status_code == 403, model


# --- embargo ---------------------------------------------------------------------------------


def test_the_preferences_page_offers_no_topic_of_an_embargoed_article(
    client, confirmed_subscriber, make_article, approver, accredited, committed
):
    topic = Topic.objects.create(name="Sperrfristthema")
    article = make_article("in_review", title="Geheime Zahlen")
    article.topics.set([topic])
    schedule_with_advance_copies(article, approver, committed)
    assert Delivery.objects.filter(email=JOURNALISTS[0]).exists()

    url = reverse("distribution:preferences", args=[confirmed_subscriber.token])
    for page in [client.get(url), client.get(reverse("distribution:subscribe"))]:
        text = page.content.decode()
        assert "Sperrfristthema" not in text and "Geheime Zahlen" not in text


# --- withdrawal of consent ---------------------------------------------------------------------


def test_a_mail_still_waiting_when_the_address_unsubscribes_is_not_sent(
    client, make_subscriber, published_article, smtp_server, run_worker
):
    reader = make_subscriber(ADDRESS)
    run_worker()  # the confirmation mail has gone
    before = len(smtp_server)
    sending.distribute(published_article, "release", [sending.Recipient(reader.email, reader)])
    client.post(
        reverse("distribution:unsubscribe", args=[reader.token]),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    run_worker()

    assert Delivery.objects.get(email=ADDRESS).status == Delivery.Status.CANCELLED
    assert len(smtp_server) == before
