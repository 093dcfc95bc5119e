"""Separation of duties (issue 12, item 4): Administration manages other people's accounts but
not its own roles and powers, and never acts as another person; whoever's roles or password
change is told; the editorial roles do not see the list of accounts."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from press.models import Author
from press.roles import ADMINISTRATION, FREIGABE, REDAKTION
from tests.conftest import PASSWORD
from tests.forms import form_data

NEW_PASSWORD = "Neues-Passwort-Harz-7"


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """A stronger hasher than the tests' MD5 that is quick enough for a test."""

    algorithm = "pbkdf2_quick"
    iterations = 10


def change_form(client, user) -> tuple[str, dict]:
    url = reverse("admin:auth_user_change", args=[user.pk])
    return url, form_data(client.get(url).content.decode(), "user_form")


def role_pks(*names: str) -> list[str]:
    return [str(pk) for pk in Group.objects.filter(name__in=names).values_list("pk", flat=True)]


def test_administration_cannot_change_its_own_roles_or_powers(client, administrator):
    client.force_login(administrator)
    url, data = change_form(client, administrator)
    page = client.get(url).content.decode()
    assert 'name="groups"' not in page
    data["groups"] = role_pks(REDAKTION, FREIGABE, ADMINISTRATION)
    data["is_superuser"] = ["on"]
    data["user_permissions"] = ["1", "2"]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    administrator.refresh_from_db()
    assert list(administrator.groups.values_list("name", flat=True)) == [ADMINISTRATION]
    assert not administrator.is_superuser
    assert not administrator.user_permissions.exists()


def test_administration_still_assigns_roles_to_others(client, administrator, editor):
    client.force_login(administrator)
    url, data = change_form(client, editor)
    data["groups"] = role_pks(REDAKTION, FREIGABE)
    assert client.post(url, data).status_code == 302
    assert set(editor.groups.values_list("name", flat=True)) == {REDAKTION, FREIGABE}


def test_a_role_change_is_told_to_the_person(client, administrator, editor, account_mail):
    client.force_login(administrator)
    url, data = change_form(client, editor)
    data["groups"] = role_pks(FREIGABE)
    assert client.post(url, data).status_code == 302
    [notice] = account_mail()
    assert notice.to == editor.email
    body = notice.body
    assert "Rollen" in notice.subject
    assert FREIGABE in body and REDAKTION in body


def test_saving_a_person_without_changing_the_roles_tells_nobody(
    client, administrator, editor, account_mail
):
    client.force_login(administrator)
    url, data = change_form(client, editor)
    data["first_name"] = ["Erika"]
    assert client.post(url, data).status_code == 302
    assert account_mail() == []


def test_administration_cannot_set_another_persons_password(client, administrator, editor):
    client.force_login(administrator)
    url = reverse("admin:auth_user_password_change", args=[editor.pk])
    assert client.get(url).status_code == 403
    posted = client.post(
        url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    )
    assert posted.status_code == 403
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)
    page = client.get(reverse("admin:auth_user_change", args=[editor.pk])).content.decode()
    assert 'href="../password/"' not in page


def test_administration_changes_its_own_password_only_with_the_old_one(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("admin:auth_user_password_change", args=[administrator.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:password_change")


def test_a_password_change_on_the_account_page_is_told_to_the_person(client, editor, account_mail):
    client.force_login(editor)
    response = client.post(
        "/konto/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    [notice] = account_mail()
    assert notice.to == editor.email
    assert "Passwort" in notice.subject


def test_a_password_set_through_the_reset_link_is_told_to_the_person(client, editor, account_mail):
    uid = urlsafe_base64_encode(force_bytes(editor.pk))
    token = default_token_generator.make_token(editor)
    form = client.get(f"/konto/reset/{uid}/{token}/", follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password(NEW_PASSWORD)
    assert [notice.to for notice in account_mail()] == [editor.email]


def test_a_superuser_setting_a_password_in_the_admin_is_told_to_the_person(
    client, editor, account_mail
):
    boss = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    client.force_login(boss)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[editor.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    assert [notice.to for notice in account_mail()] == [editor.email]


def test_a_new_account_and_a_rehashed_password_tell_nobody(db, settings, account_mail):
    user = User.objects.create_user("neu", "neu@example.org", PASSWORD)
    # A log-in under a stronger hasher stores a new hash of the same password.
    settings.PASSWORD_HASHERS = [
        f"{__name__}.QuickPBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert user.check_password(PASSWORD)
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_quick$")
    assert account_mail() == []


AUTOCOMPLETE = "/admin/autocomplete/?app_label=press&model_name=author&field_name=user&term="


@pytest.mark.parametrize("role", ["editor", "approver"])
def test_the_editorial_roles_cannot_list_accounts_through_the_author_form(
    client, request, administrator, role
):
    linked = Author.objects.create(name="Amtsleitung", user=administrator)
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.get(AUTOCOMPLETE + "a")
    assert response.status_code == 403
    assert administrator.username not in response.content.decode()
    assert 'name="user"' not in client.get(reverse("admin:press_author_add")).content.decode()
    for url in (
        reverse("admin:press_author_changelist"),
        reverse("admin:press_author_change", args=[linked.pk]),
    ):
        assert administrator.username not in client.get(url).content.decode(), url
    # Nor does a search by user name tell which accounts exist.
    search = reverse("admin:press_author_changelist") + f"?q={administrator.username}"
    assert linked.name not in client.get(search).content.decode()


def test_the_editorial_roles_cannot_link_an_author_to_an_account(client, approver, editor):
    author = Author.objects.create(name="Erika Muster")
    client.force_login(approver)
    url = reverse("admin:press_author_change", args=[author.pk])
    assert client.post(url, {"name": "Erika Muster", "user": str(editor.pk)}).status_code == 302
    author.refresh_from_db()
    assert author.user is None
    assert (
        editor.username not in client.get(reverse("admin:press_author_changelist")).content.decode()
    )


def test_administration_links_an_author_to_an_account(client, administrator, editor):
    client.force_login(administrator)
    found = client.get(AUTOCOMPLETE + editor.username[:5]).json()
    assert [result["id"] for result in found["results"]] == [str(editor.pk)]
    author = Author.objects.create(name="Erika Muster")
    url = reverse("admin:press_author_change", args=[author.pk])
    assert client.post(url, {"name": "Erika Muster", "user": str(editor.pk)}).status_code == 302
    author.refresh_from_db()
    assert author.user == editor


def test_a_changed_email_address_is_told_to_the_old_one(
    client, administrator, editor, account_mail
):
    """Otherwise Administration could put its own address on a person's account, ask for a
    reset link and act as that person, with every notice going to the new address."""
    old = editor.email
    client.force_login(administrator)
    url, data = change_form(client, editor)
    data["email"] = ["verwaltung-privat@example.org"]
    assert client.post(url, data).status_code == 302
    [notice] = account_mail()
    assert notice.to == old
    assert "verwaltung-privat@example.org" in notice.body


def test_loading_accounts_costs_no_extra_queries(editor, administrator, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(list(User.objects.only("pk"))) == 2
