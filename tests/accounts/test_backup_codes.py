"""Backup codes (issue 13, Accounts): ten one-time codes when TOTP is set up, shown once, each
usable once instead of the app's code; new ones only from a verified session."""

import re

from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.test_two_factor import current_code, log_in_with_password

CODES = "/admin/zwei-faktor/notfallcodes/"
CODE = re.compile(r'<li class="backup-code"><code>([a-z2-7]{8})</code></li>')


def set_up_totp(client, user) -> list[str]:
    """Set up an authenticator app as `user` (already logged in); returns the codes shown."""
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(
        reverse("two_factor_setup"), {"token": current_code(device), "next": "/admin/"}
    )
    assert done.status_code == 302 and done["Location"].startswith(CODES)
    page = client.get(done["Location"])
    assert page.status_code == 200
    return CODE.findall(page.content.decode())


def test_setting_up_totp_shows_ten_backup_codes_once(client, editor):
    client.force_login(editor)
    codes = set_up_totp(client, editor)
    assert len(set(codes)) == 10
    assert sorted(codes) == sorted(StaticToken.objects.values_list("token", flat=True))
    again = client.get(CODES).content.decode()
    assert CODE.findall(again) == []
    assert "10 Notfallcodes" in again


def test_a_backup_code_passes_the_verify_page_once(client, editor):
    client.force_login(editor)
    code = set_up_totp(client, editor)[0]
    client.logout()

    log_in_with_password(client, editor)
    assert client.get("/admin/").status_code == 302
    assert client.post(reverse("two_factor_verify"), {"token": code.upper()}).status_code == 302
    assert client.get("/admin/press/article/").status_code == 200
    client.logout()

    log_in_with_password(client, editor)
    refused = client.post(reverse("two_factor_verify"), {"token": code})
    assert refused.status_code == 200
    assert "Der Code stimmt nicht" in refused.content.decode()
    assert client.get("/admin/").status_code == 302
    assert StaticToken.objects.count() == 9


def test_new_codes_need_a_verified_session_and_replace_the_old_ones(client, editor):
    client.force_login(editor)
    old = set_up_totp(client, editor)
    client.logout()

    log_in_with_password(client, editor)
    denied = client.post(CODES)
    assert denied.status_code == 302 and denied["Location"].startswith(reverse("two_factor_verify"))
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(old)

    client.post(reverse("two_factor_verify"), {"token": old[0]})
    made = client.post(CODES)
    assert made.status_code == 302
    new = CODE.findall(client.get(made["Location"]).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(new)


def test_without_a_second_factor_there_are_no_codes_to_make(client, editor):
    client.force_login(editor)
    response = client.post(CODES)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
    assert not StaticToken.objects.exists()


def test_the_codes_page_links_from_the_verify_page_hint(client, editor):
    client.force_login(editor)
    set_up_totp(client, editor)
    client.logout()
    log_in_with_password(client, editor)
    page = client.get(reverse("two_factor_verify")).content.decode()
    assert "Notfallcode" in page


def test_administration_cannot_read_anyones_backup_codes(client, administrator, editor):
    client.force_login(editor)
    codes = set_up_totp(client, editor)
    client.force_login(administrator)
    for url in ("/admin/", "/admin/otp_static/staticdevice/", "/admin/otp_static/statictoken/"):
        page = client.get(url, follow=True).content.decode()
        assert not set(codes) & set(re.findall(r"[a-z2-7]{8}", page)), url
