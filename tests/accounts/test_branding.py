"""The pages people see when something went wrong with their log-in (issue 13, Accounts): the
lockout page, the password-reset pages and the reset mail speak German, carry the press office's
name and not Django's, and the lockout page leads to the reset, which lifts the lockout."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.conftest import PASSWORD

# Django's own words on these pages and in its reset mail, in English and in its German
# translation, none of which may show.
FOREIGN = [
    "Django",
    "In case you",
    "you are:",
    "Password reset",
    "Forgotten your password",
    "Thanks for using our site",
    "team",
    "Falls Sie ihn vergessen haben",
    "Vielen Dank, dass Sie unsere Website",
]
NEW_PASSWORD = "Neues-Passwort-Harz-7"
LOGIN = "/admin/login/?next=/admin/"


def assert_branded(html: str) -> None:
    assert settings.SITE_NAME in html
    assert 'lang="de"' in html
    for words in FOREIGN:
        assert words not in html, words


def confirm_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/konto/reset/{uid}/{default_token_generator.make_token(user)}/"


@pytest.mark.parametrize("start", ["/admin/password_reset/", "/konto/password_reset/"])
def test_the_reset_pages_are_german_and_branded(client, editor, start):
    form = client.get(start)
    assert_branded(form.content.decode())
    assert "Passwort vergessen?" in form.content.decode()
    done = client.post(start, {"email": editor.email}, follow=True)
    assert_branded(done.content.decode())
    assert "E-Mail" in done.content.decode()

    confirm = client.get(confirm_url(editor), follow=True)
    assert_branded(confirm.content.decode())
    assert "Neues Passwort" in confirm.content.decode()
    complete = client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert_branded(complete.content.decode())
    assert "/admin/login/" in complete.content.decode()


def test_a_used_reset_link_is_a_german_page(client, editor):
    uid = urlsafe_base64_encode(force_bytes(editor.pk))
    page = client.get(f"/konto/reset/{uid}/1-abc/", follow=True).content.decode()
    assert_branded(page)
    assert "nicht mehr gültig" in page
    assert 'href="/admin/password_reset/"' in page


def test_the_reset_mail_is_german_and_named_after_the_site(client, editor, smtp_server, run_worker):
    client.post("/admin/password_reset/", {"email": editor.email})
    run_worker()
    [received] = smtp_server
    subject = received["Subject"]
    body = received.get_body(("plain",)).get_content()
    assert subject == f"[{settings.SITE_NAME}] Passwort zurücksetzen"
    assert "127.0.0.1" not in subject and "localhost" not in subject
    assert "Passwort" in body and editor.username in body and settings.SITE_NAME in body
    assert re.search(rf"{re.escape(settings.SITE_URL)}/konto/reset/\S+/", body)
    for words in FOREIGN:
        assert words not in body, words


@pytest.fixture
def locked_out(editor, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    browser = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(3):
        browser.post(LOGIN, {"username": editor.username, "password": "falsch"})
    assert (
        browser.post(LOGIN, {"username": editor.username, "password": PASSWORD}).status_code == 429
    )
    return browser


def test_the_lockout_page_is_branded_and_links_to_the_reset(editor, locked_out):
    page = locked_out.post(LOGIN, {"username": editor.username, "password": PASSWORD})
    html = page.content.decode()
    assert_branded(html)
    assert 'href="/admin/password_reset/"' in html
    assert "hebt die Sperre auf" in html


def test_a_reset_through_the_link_lifts_the_lockout(editor, locked_out):
    confirm = locked_out.get(confirm_url(editor), follow=True)
    locked_out.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    answer = locked_out.post(LOGIN, {"username": editor.username, "password": NEW_PASSWORD})
    assert answer.status_code == 302


def test_a_reset_lifts_only_that_persons_lockout(editor, approver, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    browser = Client(REMOTE_ADDR="198.51.100.7")
    for user in (editor, approver):
        for _ in range(3):
            browser.post(LOGIN, {"username": user.username, "password": "falsch"})
    confirm = browser.get(confirm_url(editor), follow=True)
    browser.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert (
        browser.post(LOGIN, {"username": approver.username, "password": PASSWORD}).status_code
        == 429
    )
