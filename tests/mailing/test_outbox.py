"""The mail pipeline (issue 13, "Notifications"): `send_later()` queues, the worker sends over
a real SMTP server, failures are retried after 1, 5 and 15 minutes and then given up, and every
mail is logged where Administration can read it."""

import logging
from datetime import timedelta

import pytest
from django.core.mail import BadHeaderError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.notices import notify_account
from mailing.models import SentMail
from mailing.outbox import send_later

ADDRESS = "redaktion@example.org"


def time_passes(until=None):
    """The clock reaches the queued tasks' time: every waiting task becomes due now."""
    DBTaskResult.objects.filter(status="READY").update(run_after=until or timezone.now())


def waiting_until() -> list:
    return list(DBTaskResult.objects.filter(status="READY").values_list("run_after", flat=True))


def body_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_a_mail_is_queued_and_leaves_only_when_the_worker_runs(smtp_server, run_worker):
    mail = send_later(ADDRESS, "Neue Pressemitteilung", "Bitte prüfen.", kind="test")
    assert smtp_server == []
    assert mail.status == SentMail.Status.QUEUED

    run_worker()

    assert [message["To"] for message in smtp_server] == [ADDRESS]
    assert smtp_server[0]["Subject"] == "Neue Pressemitteilung"
    assert body_of(smtp_server[0]).strip() == "Bitte prüfen."
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.last_error) == (SentMail.Status.SENT, 1, "")
    assert mail.sent_at is not None


def test_the_text_is_not_kept_once_the_mail_has_left(smtp_server, run_worker):
    mail = send_later(ADDRESS, "Link", "https://example.org/konto/reset/geheim/", kind="test")
    run_worker()
    mail.refresh_from_db()
    assert (mail.body, mail.html, mail.headers) == ("", "", {})


def test_html_alternative_and_extra_headers_arrive(smtp_server, run_worker):
    send_later(
        [ADDRESS, "Zweite Person <zweite@example.org>"],
        "Verteiler",
        "Text",
        html="<p>Text</p>",
        headers={"List-Unsubscribe": "<https://example.org/abmelden/abc>"},
    )
    run_worker()
    (message,) = smtp_server
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("html",)).get_content().strip() == "<p>Text</p>"
    assert message["List-Unsubscribe"] == "<https://example.org/abmelden/abc>"
    assert "zweite@example.org" in message["To"]


def test_a_refused_attempt_is_retried_a_minute_later_and_then_arrives(
    smtp_server, run_worker, caplog
):
    smtp_server.refuse(1)
    mail = send_later(ADDRESS, "Erneut", "Zweiter Versuch.")

    with caplog.at_level(logging.WARNING, logger="newsroom.mail"):
        run_worker()

    assert smtp_server == []
    mail.refresh_from_db()
    assert mail.status == SentMail.Status.RETRYING
    assert mail.attempts == 1
    assert "451" in mail.last_error
    assert mail.next_attempt_at - mail.last_attempt_at == timedelta(minutes=1)
    assert waiting_until() == [mail.next_attempt_at]
    assert "451" in caplog.text

    run_worker()  # not due yet
    assert smtp_server == []

    time_passes()
    run_worker()

    assert len(smtp_server) == 1
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (SentMail.Status.SENT, 2)


def test_back_off_is_1_5_15_minutes_then_the_mail_is_given_up_and_logged(
    smtp_server, run_worker, caplog
):
    smtp_server.refuse(4)
    mail = send_later(ADDRESS, "Aussichtslos", "Text")
    delays = []
    with caplog.at_level(logging.WARNING, logger="newsroom.mail"):
        for _ in range(4):
            run_worker()
            mail.refresh_from_db()
            if mail.next_attempt_at:
                delays.append(mail.next_attempt_at - mail.last_attempt_at)
            time_passes()

    assert delays == [timedelta(minutes=minutes) for minutes in (1, 5, 15)]
    assert (mail.status, mail.attempts) == (SentMail.Status.FAILED, 4)
    assert "451" in mail.last_error
    assert waiting_until() == []
    assert smtp_server == []
    given_up = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert len(given_up) == 1 and ADDRESS in given_up[0].getMessage()


def test_a_permanent_refusal_is_not_retried(smtp_server, run_worker):
    smtp_server.refuse(1, "550 5.1.1 Postfach unbekannt")
    mail = send_later(ADDRESS, "Unzustellbar", "Text")
    run_worker()
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (SentMail.Status.FAILED, 1)
    assert "550" in mail.last_error
    assert waiting_until() == []


def test_an_unreachable_server_is_a_failed_attempt_retried_later(smtp_server, run_worker, settings):
    settings.EMAIL_PORT = settings.EMAIL_PORT + 1 if settings.EMAIL_PORT < 65535 else 1
    mail = send_later(ADDRESS, "Niemand da", "Text")
    run_worker()
    mail.refresh_from_db()
    assert mail.status == SentMail.Status.RETRYING
    assert "Connection" in mail.last_error or "Errno" in mail.last_error


def test_a_line_break_in_a_header_is_refused_when_queued(db):
    with pytest.raises(BadHeaderError):
        send_later(ADDRESS, "Betreff\nBcc: alle@example.org", "Text")
    with pytest.raises(BadHeaderError):
        send_later(ADDRESS, "Betreff", "Text", headers={"X-Test": "a\r\nBcc: alle@example.org"})
    assert not SentMail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_mail_queued_in_a_rolled_back_transaction_is_never_sent(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_later(ADDRESS, "Zurückgerollt", "Text")
        raise RuntimeError("the request failed")
    assert not SentMail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_account_notices_leave_through_the_queue(editor, smtp_server, run_worker, settings):
    notify_account(editor, "Passwort geändert", "Ihr Passwort wurde geändert.")
    assert smtp_server == []
    run_worker()
    assert [message["To"] for message in smtp_server] == [editor.email]
    assert smtp_server[0]["Subject"] == f"[{settings.SITE_NAME}] Passwort geändert"
    assert SentMail.objects.get().kind == "account_notice"


def test_administration_reads_the_mail_log_but_cannot_change_it(client, administrator):
    mail = send_later(ADDRESS, "Protokolliert", "Geheimer Link https://example.org/x/")
    client.force_login(administrator)
    listing = client.get(reverse("admin:mailing_sentmail_changelist"))
    assert listing.status_code == 200
    assert "Protokolliert" in listing.content.decode()
    detail = client.get(reverse("admin:mailing_sentmail_change", args=[mail.pk]))
    assert detail.status_code == 200
    assert "Geheimer Link" not in detail.content.decode()
    assert client.get(reverse("admin:mailing_sentmail_add")).status_code == 403
    delete = reverse("admin:mailing_sentmail_delete", args=[mail.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_the_editorial_roles_do_not_see_the_mail_log(client, editor, approver):
    for person in (editor, approver):
        client.force_login(person)
        assert client.get(reverse("admin:mailing_sentmail_changelist")).status_code == 403
