"""Log-in: lockout after repeated failures (django-axes), proxy-aware; idle sessions expire."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture(autouse=True)
def lockout_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def log_in(client: Client, username: str, password: str, **headers):
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


def test_repeated_failures_lock_the_account_from_that_address(editor):
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(2):
        assert log_in(client, editor.username, "falsch").status_code == 200
    locked = log_in(client, editor.username, "falsch")
    assert locked.status_code == 429
    assert "Anmeldung vorübergehend gesperrt" in locked.content.decode()
    assert "30 Minuten" in locked.content.decode()
    # Even the right password does not get in while locked.
    assert log_in(client, editor.username, PASSWORD).status_code == 429


def test_the_lock_is_per_address_so_colleagues_are_not_locked_out(editor):
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(3):
        log_in(attacker, editor.username, "falsch")
    colleague = Client(REMOTE_ADDR="192.0.2.10")
    assert log_in(colleague, editor.username, PASSWORD).status_code == 302


def test_behind_a_trusted_proxy_the_forwarded_client_address_counts(editor, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    proxy = "10.0.0.2"
    attacker = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.1")
    for _ in range(3):
        log_in(attacker, editor.username, "falsch")
    assert log_in(attacker, editor.username, PASSWORD).status_code == 429
    colleague = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="192.0.2.10, 10.0.0.1")
    assert log_in(colleague, editor.username, PASSWORD).status_code == 302


def test_a_successful_log_in_resets_the_failure_count(editor):
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(2):
        log_in(client, editor.username, "falsch")
    assert log_in(client, editor.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        assert log_in(client, editor.username, "falsch").status_code == 200


def test_an_idle_session_expires_and_activity_keeps_it_alive(editor, settings, monkeypatch):
    client = Client(REMOTE_ADDR="192.0.2.10")
    assert log_in(client, editor.username, PASSWORD).status_code == 302
    session = Session.objects.get()
    remaining = session.expire_date - timezone.now()
    assert timedelta(seconds=settings.SESSION_COOKIE_AGE - 60) < remaining
    # Requests renew the expiry (at most once a minute, so a minute later) ...
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=5))
    assert client.get("/admin/").status_code == 200
    assert Session.objects.get().expire_date < timezone.now() + timedelta(minutes=6)
    a_minute_later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: a_minute_later)
    assert client.get("/admin/").status_code == 200
    assert Session.objects.get().expire_date > timezone.now() + timedelta(minutes=50)
    # ... and a session idle for longer than SESSION_COOKIE_AGE is gone.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
