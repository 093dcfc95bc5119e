"""Log-in: lockout after repeated failures (django-axes), proxy-aware; idle sessions expire."""

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from newsroom.clients import client_ip
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


# Behind the documented nginx (`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`),
# the app sees the proxy's address as REMOTE_ADDR and X-Forwarded-For as the client sent it
# with the address nginx received the request from appended.
PROXY = "127.0.0.1"


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 5


def test_behind_nginx_a_spoofed_forwarded_for_does_not_escape_the_lockout(editor, behind_nginx):
    client = Client(REMOTE_ADDR=PROXY)
    for guess in range(12):
        log_in(
            client,
            editor.username,
            "falsch",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{guess}, 198.51.100.7",
        )
    right = log_in(
        client, editor.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99, 198.51.100.7"
    )
    assert right.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_behind_nginx_an_honest_single_entry_header_is_the_client(editor, behind_nginx):
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    for _ in range(5):
        log_in(client, editor.username, "falsch")
    assert log_in(client, editor.username, PASSWORD).status_code == 429
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"


def test_behind_nginx_five_failures_of_one_client_do_not_lock_out_another(editor, behind_nginx):
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    for _ in range(5):
        log_in(attacker, editor.username, "falsch")
    colleague = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert log_in(colleague, editor.username, PASSWORD).status_code == 302


def test_without_a_trusted_proxy_forwarded_for_is_ignored(editor, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    client = Client(REMOTE_ADDR="198.51.100.7")
    for guess in range(3):
        log_in(client, editor.username, "falsch", HTTP_X_FORWARDED_FOR=f"203.0.113.{guess}")
    assert log_in(client, editor.username, PASSWORD).status_code == 429


@pytest.mark.parametrize(
    ("trusted", "forwarded", "remote", "client"),
    [
        (1, "203.0.113.9, 198.51.100.7", "127.0.0.1", "198.51.100.7"),
        (1, "198.51.100.7", "127.0.0.1", "198.51.100.7"),
        (2, "203.0.113.9, 198.51.100.7, 10.0.0.1", "127.0.0.1", "198.51.100.7"),
        (1, " 2001:DB8::1 ", "127.0.0.1", "2001:db8::1"),
        # A header shorter than the proxies we trust, or garbage where our proxy writes:
        # the proxy's own address, never an empty one.
        (2, "198.51.100.7", "127.0.0.1", "127.0.0.1"),
        (1, "203.0.113.9, nonsense", "127.0.0.1", "127.0.0.1"),
        (1, None, "127.0.0.1", "127.0.0.1"),
        (0, "203.0.113.9", "198.51.100.7", "198.51.100.7"),
        (0, None, "", "0.0.0.0"),
    ],
)
def test_the_client_address_is_the_entry_our_outermost_proxy_appended(
    settings, rf, trusted, forwarded, remote, client
):
    settings.TRUSTED_PROXY_COUNT = trusted
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(rf.get("/", **headers)) == client


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
    assert client.get("/admin/press/article/").status_code == 200
    assert Session.objects.get().expire_date < timezone.now() + timedelta(minutes=6)
    a_minute_later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: a_minute_later)
    assert client.get("/admin/press/article/").status_code == 200
    assert Session.objects.get().expire_date > timezone.now() + timedelta(minutes=50)
    # ... and a session idle for longer than SESSION_COOKIE_AGE is gone.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
