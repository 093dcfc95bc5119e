"""Invitations (issue 13, Accounts): Administration adds a colleague by name and e-mail address;
the colleague sets the password through a one-time link valid for three days. Nobody but the
person ever sees or chooses the password."""

import re
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.invitations import invitation_tokens
from press.roles import ADMINISTRATION, REDAKTION
from tests.conftest import PASSWORD

ADD = "/admin/auth/user/add/"
NEW_PASSWORD = "Neues-Passwort-Harz-7"
ADDRESS = "nora.neu@koba-jobcenter-harz.de"


def invite(client, administrator, username: str = "nora", **extra):
    client.force_login(administrator)
    data = {
        "username": username,
        "email": ADDRESS,
        "first_name": "Nora",
        "last_name": "Neu",
        "groups": [str(Group.objects.get(name=REDAKTION).pk)],
        **extra,
    }
    return client.post(ADD, data)


def link_in(body: str) -> str:
    """The path of the set-password link in an invitation's body."""
    return re.search(rf"{re.escape(settings.SITE_URL)}(/konto/einladung/\S+/)", body).group(1)


def set_password(link: str, password: str = NEW_PASSWORD):
    """Follow `link` in a fresh browser and submit the set-password form; returns the form page
    and the answer to the POST (None when the page offers no form)."""
    browser = Client()
    form = browser.get(link, follow=True)
    if 'name="new_password1"' not in form.content.decode():
        return form, None
    answer = browser.post(
        form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    return form, answer


def test_adding_an_account_asks_for_no_password(client, administrator):
    client.force_login(administrator)
    page = client.get(ADD).content.decode()
    assert 'name="email"' in page
    assert 'name="password1"' not in page and 'name="usable_password"' not in page


def test_an_invited_account_starts_without_a_password_and_gets_the_link_by_mail(
    client, administrator, account_mail
):
    response = invite(client, administrator)
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="nora")
    assert not user.has_usable_password()
    assert user.is_staff and list(user.groups.values_list("name", flat=True)) == [REDAKTION]
    [mail] = account_mail()
    assert mail.to == ADDRESS
    assert settings.SITE_NAME in mail.subject and "Passwort festlegen" in mail.subject
    assert "3 Tage" in mail.body and "nora" in mail.body
    assert link_in(mail.body)


def test_administration_never_chooses_the_password(client, administrator, account_mail):
    invite(client, administrator, password1=PASSWORD, password2=PASSWORD, usable_password="true")
    user = User.objects.get(username="nora")
    assert not user.has_usable_password()
    assert not user.check_password(PASSWORD)
    [mail] = account_mail()
    assert PASSWORD not in mail.body


def test_the_link_sets_the_password_once(client, administrator, account_mail):
    invite(client, administrator)
    link = link_in(account_mail()[0].body)
    form, answer = set_password(link)
    assert "Passwort festlegen" in form.content.decode()
    assert answer.status_code == 302
    user = User.objects.get(username="nora")
    assert user.check_password(NEW_PASSWORD)
    assert (
        Client()
        .post("/admin/login/?next=/admin/", {"username": "nora", "password": NEW_PASSWORD})
        .status_code
        == 302
    )

    again, answer = set_password(link, "Noch-ein-Passwort-Harz-8")
    assert answer is None
    assert "nicht mehr gültig" in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    ("age", "works"),
    [(timedelta(days=3) - timedelta(minutes=5), True), (timedelta(days=3, minutes=5), False)],
    ids=["just-under-three-days", "three-days-and-five-minutes"],
)
def test_the_link_expires_after_three_days(
    client, administrator, account_mail, monkeypatch, age, works
):
    # The invitation made `age` ago: the token carries the time it was made.
    with monkeypatch.context() as back_then:
        back_then.setattr(invitation_tokens, "_now", lambda: datetime.now() - age)
        invite(client, administrator)
    form, answer = set_password(link_in(account_mail()[0].body))
    assert (answer is not None) is works
    assert User.objects.get(username="nora").has_usable_password() is works
    if not works:
        assert "nicht mehr gültig" in form.content.decode()


def test_a_password_reset_token_does_not_open_the_invitation_page(db, administrator):
    user = User.objects.create_user("nora", ADDRESS)
    user.set_unusable_password()
    user.save()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    form, answer = set_password(
        f"/konto/einladung/{uid}/{default_token_generator.make_token(user)}/"
    )
    assert answer is None
    assert form.status_code == 200


def test_an_invitation_link_does_not_change_a_password_already_set(
    client, administrator, account_mail
):
    """The link is for a first password only: once the account has one, it changes only through
    the person's own reset or password change."""
    invite(client, administrator)
    link = link_in(account_mail()[0].body)
    user = User.objects.get(username="nora")
    user.set_password(PASSWORD)
    user.save()
    _, answer = set_password(link)
    assert answer is None
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    "garbage", ["x/y", "MQ/abc-def", "%C3%BC/1-2", "MTIzNDU2Nzg5MDEyMzQ1Njc4OTA/a-b"]
)
def test_a_made_up_link_is_a_page_not_an_error(client, db, garbage):
    response = client.get(f"/konto/einladung/{garbage}/", follow=True)
    assert response.status_code in (200, 404)


def test_the_invitation_is_sent_again_from_the_account_list(client, administrator, account_mail):
    invite(client, administrator)
    first = account_mail()
    nora = User.objects.get(username="nora")
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "resend_invitation", "_selected_action": [str(nora.pk)]},
        follow=True,
    )
    assert "Einladung" in response.content.decode()
    mails = account_mail()[len(first) :]
    assert [mail.to for mail in mails] == [ADDRESS]
    _, answer = set_password(link_in(mails[0].body))
    assert answer.status_code == 302


def test_the_invitation_is_sent_again_from_the_accounts_page(client, administrator, account_mail):
    invite(client, administrator)
    first = account_mail()
    nora = User.objects.get(username="nora")
    change = client.get(reverse("admin:auth_user_change", args=[nora.pk])).content.decode()
    assert "Einladung erneut senden" in change
    resend = reverse("admin:auth_user_invite", args=[nora.pk])
    assert resend in change
    assert client.get(resend).status_code == 200
    assert account_mail()[len(first) :] == []  # a GET only asks
    assert client.post(resend).status_code == 302
    assert [mail.to for mail in account_mail()[len(first) :]] == [ADDRESS]


def test_no_invitation_goes_to_an_account_that_has_a_password(
    client, administrator, editor, account_mail
):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "resend_invitation", "_selected_action": [str(editor.pk)]},
        follow=True,
    )
    assert "bereits ein Passwort" in response.content.decode()
    assert client.post(reverse("admin:auth_user_invite", args=[editor.pk])).status_code == 302
    assert account_mail() == []
    change = client.get(reverse("admin:auth_user_change", args=[editor.pk])).content.decode()
    assert "Einladung erneut senden" not in change


@pytest.mark.parametrize("role", ["editor", "approver"])
def test_the_editorial_roles_cannot_invite(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(ADD).status_code == 403
    assert client.post(reverse("admin:auth_user_invite", args=[1])).status_code in (403, 404)


def test_an_administrator_can_be_invited(client, administrator, account_mail):
    invite(client, administrator, groups=[str(Group.objects.get(name=ADMINISTRATION).pk)])
    assert User.objects.get(username="nora").groups.get().name == ADMINISTRATION
    assert len(account_mail()) == 1
