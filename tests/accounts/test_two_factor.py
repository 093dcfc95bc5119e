"""Optional TOTP second factor for the admin, required per role by Administration."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from press.models import RolePolicy
from press.roles import FREIGABE


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
    assert done.status_code == 302 and done["Location"] == "/admin/press/article/"
    assert client.get("/admin/press/article/").status_code == 200


def test_the_next_log_in_asks_for_the_code(client, approver, approvers_need_two_factor):
    device = TOTPDevice.objects.create(user=approver, name="App", confirmed=True)
    client.force_login(approver)
    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert client.get("/admin/press/article/1/change/").status_code == 302
    verified = client.post(reverse("two_factor_verify"), {"token": current_code(device)})
    assert verified.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_roles_without_the_requirement_log_in_with_the_password_alone(
    client, editor, approvers_need_two_factor
):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


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
