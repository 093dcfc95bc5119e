"""Optional TOTP second factor for the admin, required per role by Administration."""

import logging
from urllib.parse import quote

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from press.models import RolePolicy
from press.roles import FREIGABE
from tests.conftest import PASSWORD


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


@pytest.fixture
def approvers_need_two_factor(db):
    RolePolicy.objects.filter(role__name=FREIGABE).update(requires_two_factor=True)


def test_a_role_that_requires_it_must_set_up_a_second_factor_first(
    client, approver, approvers_need_two_factor
):
    client.force_login(approver)
    response = client.get("/admin/press/article/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
    setup = client.get(response["Location"])
    assert setup.status_code == 200
    assert "<svg" in setup.content.decode() and "otpauth" not in setup.content.decode()
    device = TOTPDevice.objects.get(user=approver, confirmed=False)
    wrong = client.post(reverse("two_factor_setup"), {"token": "000000"})
    assert "Der Code stimmt nicht" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code above throttles the next attempt
    device.throttling_failure_timestamp = None
    device.save()
    done = client.post(
        reverse("two_factor_setup"),
        {"token": current_code(device), "next": "/admin/press/article/"},
    )
    # First the backup codes, shown once, then on to where the person was going.
    assert done.status_code == 302
    assert done["Location"] == "/admin/zwei-faktor/notfallcodes/?next=%2Fadmin%2Fpress%2Farticle%2F"
    assert 'href="/admin/press/article/"' in client.get(done["Location"]).content.decode()
    assert client.get("/admin/press/article/").status_code == 200


def test_the_next_log_in_asks_for_the_code(client, approver, approvers_need_two_factor):
    device = TOTPDevice.objects.create(user=approver, name="App", confirmed=True)
    client.force_login(approver)
    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert client.get("/admin/press/article/1/change/").status_code == 302
    verified = client.post(reverse("two_factor_verify"), {"token": current_code(device)})
    assert verified.status_code == 302
    assert client.get("/admin/press/article/").status_code == 200


def test_roles_without_the_requirement_log_in_with_the_password_alone(
    client, editor, approvers_need_two_factor
):
    client.force_login(editor)
    assert client.get("/admin/press/article/").status_code == 200


def test_whoever_set_up_a_second_factor_voluntarily_must_use_it(client, editor):
    TOTPDevice.objects.create(user=editor, name="App", confirmed=True)
    client.force_login(editor)
    assert client.get("/admin/")["Location"].startswith(reverse("two_factor_verify"))


def test_public_pages_and_logout_stay_reachable_before_verification(
    client, approver, approvers_need_two_factor
):
    client.force_login(approver)
    assert client.get("/").status_code == 200
    assert client.post("/admin/logout/").status_code == 200


def test_the_verify_page_does_not_redirect_to_another_host(client, approver):
    device = TOTPDevice.objects.create(user=approver, name="App", confirmed=True)
    client.force_login(approver)
    response = client.post(
        reverse("two_factor_verify"),
        {"token": current_code(device), "next": "https://boese.example/"},
    )
    assert response["Location"] == "/admin/"


def test_administration_sets_the_requirement_per_role_and_can_reset_a_device(
    client, administrator, approver
):
    client.force_login(administrator)
    policy = RolePolicy.objects.get(role__name=FREIGABE)
    change_url = reverse("admin:press_rolepolicy_change", args=[policy.pk])
    assert client.get(change_url).status_code == 200
    client.post(change_url, {"requires_two_factor": "on"})
    policy.refresh_from_db()
    assert policy.requires_two_factor
    device = TOTPDevice.objects.create(user=approver, name="App", confirmed=True)
    delete_url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_other_roles_cannot_change_the_requirement(client, approver, editor):
    for user in (approver, editor):
        client.force_login(user)
        policy = RolePolicy.objects.get(role__name=FREIGABE)
        url = reverse("admin:press_rolepolicy_change", args=[policy.pk])
        assert client.get(url).status_code == 403


def test_the_password_alone_cannot_enrol_another_device(
    client, approver, approvers_need_two_factor
):
    """With a confirmed device, the set-up page first asks for a code of that device; a new
    secret is not handed out, and no device can be confirmed with the password alone."""
    device = TOTPDevice.objects.create(user=approver, name="App", confirmed=True)
    client.force_login(approver)
    response = client.get(reverse("two_factor_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))
    posted = client.post(reverse("two_factor_setup"), {"token": "123456"})
    assert posted.status_code == 302 and posted["Location"].startswith(reverse("two_factor_verify"))
    assert list(TOTPDevice.objects.filter(user=approver)) == [device]
    assert client.get("/admin/press/article/").status_code == 302

    client.post(reverse("two_factor_verify"), {"token": current_code(device)})
    assert client.get(reverse("two_factor_setup")).status_code == 200  # verified: may add one


def log_in_with_password(client, user) -> None:
    """The first step of the log-in, as a browser does it: the admin's log-in form."""
    response = client.post(
        "/admin/login/?next=/admin/", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_the_reported_bypass_sequence_enrols_nothing(client, approver, approvers_need_two_factor):
    """Issue 12, item 1, as reported: password log-in, GET the set-up page for a new secret,
    POST a code of it. A pending device left from an earlier attempt must not help either."""
    device = TOTPDevice.objects.create(user=approver, name="App", confirmed=True)
    pending = TOTPDevice.objects.create(user=approver, name="Angreifer", confirmed=False)
    log_in_with_password(client, approver)
    page = client.get("/admin/zwei-faktor/einrichten/")
    assert page.status_code == 302 and page["Location"].startswith(reverse("two_factor_verify"))
    posted = client.post("/admin/zwei-faktor/einrichten/", {"token": current_code(pending)})
    assert posted.status_code == 302
    assert posted["Location"].startswith(reverse("two_factor_verify"))
    assert list(TOTPDevice.objects.filter(user=approver, confirmed=True)) == [device]
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        "/konto/password_change/",
        "/konto/password_change/done/",
        "/admin/",
        "/admin/password_change/",
        "/admin/auth/user/",
        "/admin/press/article/add/",
    ],
)
def test_the_password_alone_reaches_no_page_behind_the_log_in(
    client, approver, approvers_need_two_factor, path
):
    TOTPDevice.objects.create(user=approver, name="App", confirmed=True)
    log_in_with_password(client, approver)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('two_factor_verify')}?next={quote(path, safe='')}"


def test_the_password_alone_cannot_change_the_password(client, approver, approvers_need_two_factor):
    device = TOTPDevice.objects.create(user=approver, name="App", confirmed=True)
    log_in_with_password(client, approver)
    change = {
        "old_password": PASSWORD,
        "new_password1": "Neues-Passwort-Harz-7",
        "new_password2": "Neues-Passwort-Harz-7",
    }
    response = client.post("/konto/password_change/", change)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))
    approver.refresh_from_db()
    assert approver.check_password(PASSWORD)

    client.post(reverse("two_factor_verify"), {"token": current_code(device)})
    assert client.post("/konto/password_change/", change).status_code == 302
    approver.refresh_from_db()
    assert approver.check_password("Neues-Passwort-Harz-7")


def test_without_a_device_yet_the_account_pages_lead_to_the_set_up(
    client, approver, approvers_need_two_factor
):
    log_in_with_password(client, approver)
    response = client.get("/konto/password_change/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/", 200),
        ("get", "/themen/", 200),
        ("get", "/feed/rss/", 200),
        ("get", "/sitemap.xml", 200),
        ("get", "/healthz", 200),
        ("get", "/admin/zwei-faktor/", 200),
        ("post", "/konto/logout/", 200),
        ("post", "/admin/logout/", 200),
    ],
)
def test_before_the_code_the_public_site_the_code_page_and_log_out_stay_reachable(
    client, approver, approvers_need_two_factor, method, path, status
):
    TOTPDevice.objects.create(user=approver, name="App", confirmed=True)
    log_in_with_password(client, approver)
    assert getattr(client, method)(path).status_code == status


def test_the_gate_lets_roles_without_the_requirement_reach_their_account_pages(client, editor):
    log_in_with_password(client, editor)
    assert client.get("/konto/password_change/").status_code == 200


def test_confirming_a_device_tells_the_person_by_mail_and_logs_it(
    client, editor, account_mail, caplog
):
    client.force_login(editor)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert account_mail() == []  # a secret shown is not yet a device
    with caplog.at_level(logging.INFO, logger="newsroom.security"):
        client.post(reverse("two_factor_setup"), {"token": current_code(device)})
    [notice] = account_mail()
    assert notice.to == editor.email
    assert "Zwei-Faktor" in notice.subject
    assert "eingerichtet" in notice.body
    assert any(str(editor.pk) in record.getMessage() for record in caplog.records)


def test_removing_a_device_in_the_admin_tells_the_person_by_mail(
    client, administrator, approver, account_mail
):
    device = TOTPDevice.objects.create(user=approver, name="App", confirmed=True)
    added = account_mail()
    client.force_login(administrator)
    delete_url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    [notice] = account_mail()[len(added) :]
    assert notice.to == approver.email
    assert "entfernt" in notice.body


def test_removing_devices_with_the_admin_list_action_tells_each_person(
    client, administrator, approver, editor, account_mail
):
    for user in (approver, editor):
        TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    added = account_mail()
    client.force_login(administrator)
    response = client.post(
        reverse("admin:otp_totp_totpdevice_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [str(pk) for pk in TOTPDevice.objects.values_list("pk", flat=True)],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    removed = account_mail()[len(added) :]
    assert sorted(notice.to for notice in removed) == sorted([approver.email, editor.email])


def test_an_unconfirmed_set_up_that_is_abandoned_tells_nobody(editor, account_mail):
    TOTPDevice.objects.create(user=editor, name="App", confirmed=False).delete()
    assert account_mail() == []
