"""Administration manages accounts and roles; passwords are strong; nothing of a leaver is lost."""

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from press.models import Article
from tests.conftest import PASSWORD
from tests.forms import form_data


def test_roles_exist_after_migration(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Redaktion",
        "Freigabe",
        "Administration",
    }


def test_administration_creates_an_account_and_assigns_a_role(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:auth_user_add"),
        {"username": "neue.kollegin", "email": "neue.kollegin@koba-jobcenter-harz.de"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="neue.kollegin")
    url = reverse("admin:auth_user_change", args=[user.pk])
    data = form_data(client.get(url).content.decode(), "user_form")
    data["groups"] = [str(Group.objects.get(name="Redaktion").pk)]
    data["is_staff"] = ["on"]
    data["is_superuser"] = ["on"]  # not offered to Administration; must be ignored
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == ["Redaktion"]
    assert user.is_staff and not user.is_superuser
    assert user.has_perm("press.add_article")


def test_administration_cannot_grant_raw_permissions_or_superuser(client, administrator, editor):
    client.force_login(administrator)
    page = client.get(reverse("admin:auth_user_change", args=[editor.pk])).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="user_permissions"' not in page


def test_administration_cannot_change_role_permissions(client, administrator):
    client.force_login(administrator)
    group = Group.objects.get(name="Redaktion")
    before = set(group.permissions.values_list("pk", flat=True))
    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": "Redaktion", "permissions": []},
    )
    assert response.status_code == 403
    assert set(group.permissions.values_list("pk", flat=True)) == before


def test_administration_cannot_edit_a_superuser(client, administrator):
    boss = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    client.force_login(administrator)
    page = client.get(reverse("admin:auth_user_change", args=[boss.pk])).content.decode()
    assert 'name="username"' not in page, "the superuser is shown read-only"


def test_deactivated_account_cannot_log_in_but_keeps_its_articles(
    client, administrator, editor, draft_article
):
    client.force_login(administrator)
    url = reverse("admin:auth_user_change", args=[editor.pk])
    data = form_data(client.get(url).content.decode(), "user_form")
    data.pop("is_active", None)
    assert client.post(url, data).status_code == 302
    editor.refresh_from_db()
    assert not editor.is_active
    client.logout()
    assert not client.login(username=editor.username, password=PASSWORD)
    article = Article.objects.get(pk=draft_article.pk)
    assert article.created_by == editor
    assert article.events.first().by == editor


def test_accounts_are_not_deleted_by_administration(client, administrator, editor):
    client.force_login(administrator)
    assert client.get(reverse("admin:auth_user_delete", args=[editor.pk])).status_code == 403


@pytest.mark.parametrize("weak", ["kurz", "elfzeichen1", "password1234", "123456789012"])
def test_weak_passwords_are_refused(db, weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_a_long_passphrase_is_accepted(db):
    validate_password("Wernigerode-Brocken-Bahn")


def test_password_reset_sends_an_email_with_a_link(client, editor, run_worker):
    response = client.post(reverse("admin_password_reset"), {"email": editor.email})
    assert response.status_code == 302
    run_worker()
    assert len(mail.outbox) == 1
    assert editor.email in mail.outbox[0].to
    assert "/konto/reset/" in mail.outbox[0].body


def test_admin_login_offers_password_reset(client, db):
    assert reverse("admin_password_reset") in client.get(reverse("admin:login")).content.decode()


def test_staff_can_change_their_own_password(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Neues-Passwort-Harz-7",
            "new_password2": "Neues-Passwort-Harz-7",
        },
    )
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password("Neues-Passwort-Harz-7")


def test_the_account_log_in_address_leads_to_the_admin_log_in(client, db):
    response = client.get("/konto/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"


def test_an_account_given_a_role_can_log_in_and_one_without_roles_cannot(client, administrator):
    client.force_login(administrator)
    client.post(
        reverse("admin:auth_user_add"),
        {"username": "neuer.kollege", "email": "neuer.kollege@koba-jobcenter-harz.de"},
    )
    user = User.objects.get(username="neuer.kollege")
    user.set_password("Herbst-im-Harz-2026")  # as through the invitation (test_invitations.py)
    user.save()
    url = reverse("admin:auth_user_change", args=[user.pk])
    page = client.get(url).content.decode()
    assert 'name="is_staff"' not in page  # follows the roles
    data = form_data(page, "user_form")
    data["groups"] = [str(Group.objects.get(name="Redaktion").pk)]
    assert client.post(url, data).status_code == 302
    client.logout()
    assert client.login(username="neuer.kollege", password="Herbst-im-Harz-2026")
    assert client.get("/admin/press/article/").status_code == 200
    client.logout()

    client.force_login(administrator)
    data = form_data(client.get(url).content.decode(), "user_form")
    data["groups"] = []
    assert client.post(url, data).status_code == 302
    user.refresh_from_db()
    assert not user.is_staff
