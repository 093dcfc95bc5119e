"""The password reset (issue 12, item 3): the answer does not tell whether an address is
registered, because both paths do the same work (one task queued, no user looked up in the
request), the mail leaves through the task queue and a real SMTP server, and requests are
limited per address and per client."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.conftest import PASSWORD

RESET = "/admin/password_reset/"
UNKNOWN = "niemand@example.org"


def request_reset(client, address: str, **headers):
    return client.post(RESET, {"email": address}, **headers)


def test_the_reset_page_is_the_admin_reset_route():
    assert reverse("admin_password_reset") == RESET


def test_a_reset_mail_arrives_over_smtp_once_the_worker_has_run(
    client, editor, smtp_server, run_worker
):
    response = request_reset(client, editor.email)
    assert response.status_code == 302
    assert smtp_server == []

    run_worker()

    assert len(smtp_server) == 1
    received = smtp_server[0]
    assert received["To"] == editor.email
    assert settings.SITE_NAME in received["Subject"]
    assert f"{settings.SITE_URL}/konto/reset/" in received.get_body(("plain",)).get_content()


def test_nothing_is_sent_during_the_request(client, editor):
    request_reset(client, editor.email)
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 1


@pytest.mark.parametrize("registered", [True, False], ids=["registered", "unknown"])
def test_the_request_never_looks_up_the_person(client, editor, registered):
    with CaptureQueriesContext(connection) as queries:
        response = request_reset(client, editor.email if registered else UNKNOWN)
    assert response.status_code == 302
    assert not [query["sql"] for query in queries if "auth_user" in query["sql"]]


def test_registered_and_unknown_addresses_do_the_same_work(client, editor):
    """Constant time by construction: both paths queue exactly one task with the same number
    of queries and get the same answer; who is behind the address is found out by the worker."""
    answers = {}
    for address in [editor.email, UNKNOWN]:
        before = DBTaskResult.objects.count()
        with CaptureQueriesContext(connection) as queries:
            response = request_reset(client, address)
        answers[address] = (
            response.status_code,
            response["Location"],
            DBTaskResult.objects.count() - before,
            len(queries),
        )
    assert answers[editor.email] == answers[UNKNOWN]
    assert answers[UNKNOWN][2] == 1


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, db, smtp_server, run_worker):
    response = request_reset(client, UNKNOWN)
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    run_worker()
    assert smtp_server == []


def test_the_link_in_the_mail_sets_a_new_password(client, editor, smtp_server, run_worker):
    request_reset(client, editor.email)
    run_worker()
    body = smtp_server[0].get_body(("plain",)).get_content()
    link = re.search(r"https?://\S+/konto/reset/\S+/", body).group(0)
    form = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Neues-Passwort-Harz-7", "new_password2": "Neues-Passwort-Harz-7"},
    )
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password("Neues-Passwort-Harz-7")
    assert not editor.check_password(PASSWORD)


def test_an_invalid_address_is_answered_with_the_form(client, db):
    response = request_reset(client, "kein-at-zeichen")
    assert response.status_code == 200
    assert DBTaskResult.objects.count() == 0


def test_the_fourth_request_for_one_address_within_the_hour_is_refused(client, editor):
    for _ in range(3):
        assert request_reset(client, editor.email).status_code == 302
    refused = request_reset(client, editor.email.upper())
    assert refused.status_code == 429
    assert "Zu viele Anfragen" in refused.content.decode()
    assert DBTaskResult.objects.count() == 3


def test_the_address_limit_holds_whichever_client_asks(client, editor):
    for number in range(3):
        request_reset(client, editor.email, REMOTE_ADDR=f"198.51.100.{number}")
    assert request_reset(client, editor.email, REMOTE_ADDR="198.51.100.99").status_code == 429


def test_the_limits_come_from_the_settings(client, editor, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 1
    assert request_reset(client, editor.email).status_code == 302
    assert request_reset(client, editor.email).status_code == 429


def test_a_client_is_refused_after_ten_requests_for_different_addresses(client, db):
    for number in range(10):
        assert request_reset(client, f"person{number}@example.org").status_code == 302
    assert request_reset(client, "person10@example.org").status_code == 429
    assert DBTaskResult.objects.count() == 10
    # Another client is not affected.
    other = request_reset(client, "person10@example.org", REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 302


def test_behind_the_proxy_the_client_limit_counts_the_address_the_proxy_saw(client, db, settings):
    """nginx's $proxy_add_x_forwarded_for: what the client wrote, then the address it came
    from. A client that writes a new address each time is still one client."""
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(10):
        forwarded = f"10.0.0.{number}, 203.0.113.5"
        response = request_reset(
            client, f"person{number}@example.org", HTTP_X_FORWARDED_FOR=forwarded
        )
        assert response.status_code == 302
    spoofed = request_reset(
        client, "person10@example.org", HTTP_X_FORWARDED_FOR="10.0.0.99, 203.0.113.5"
    )
    assert spoofed.status_code == 429
    elsewhere = request_reset(
        client, "person10@example.org", HTTP_X_FORWARDED_FOR="10.0.0.99, 203.0.113.6"
    )
    assert elsewhere.status_code == 302


def test_contrib_auths_reset_address_is_limited_and_queued_as_well(client, editor):
    for _ in range(3):
        assert client.post("/konto/password_reset/", {"email": editor.email}).status_code == 302
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 3
    assert client.post("/konto/password_reset/", {"email": editor.email}).status_code == 429


def test_a_cache_that_cannot_be_written_does_not_stop_the_reset(client, editor, settings, tmp_path):
    """Degraded, not broken (issue 12, item 7): without counters the request is let through and
    the failure logged."""
    not_a_directory = tmp_path / "cache"
    not_a_directory.write_text("")
    backend = "django.core.cache.backends.filebased.FileBasedCache"
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": not_a_directory}}
    response = request_reset(client, editor.email)
    assert response.status_code == 302
    assert DBTaskResult.objects.count() == 1
