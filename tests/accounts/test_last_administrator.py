"""The last administrator (issue 13, Accounts): nobody demotes or deactivates the last active
account with the Administration role, nor the last active superuser; the form says why."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from press.roles import ADMINISTRATION, REDAKTION
from tests.conftest import PASSWORD, make_user
from tests.forms import form_data

LAST = "letzte aktive Konto mit der Rolle „Administration“"


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.org", PASSWORD)


def post_change(client, user, **changes):
    url = reverse("admin:auth_user_change", args=[user.pk])
    data = form_data(client.get(url).content.decode(), "user_form")
    data.update(changes)
    return client.post(url, data)


def role_pks(*names: str) -> list[str]:
    return [str(pk) for pk in Group.objects.filter(name__in=names).values_list("pk", flat=True)]


def test_the_last_administrator_cannot_be_demoted(client, root, administrator):
    client.force_login(root)
    response = post_change(client, administrator, groups=role_pks(REDAKTION))
    assert response.status_code == 200
    assert LAST in response.content.decode()
    assert administrator.groups.filter(name=ADMINISTRATION).exists()


def test_the_last_administrator_cannot_be_deactivated(client, root, administrator):
    client.force_login(root)
    data_without_active = post_change(client, administrator, is_active=[])
    assert data_without_active.status_code == 200
    assert LAST in data_without_active.content.decode()
    administrator.refresh_from_db()
    assert administrator.is_active


def test_administration_cannot_deactivate_itself_as_the_last_one(client, administrator):
    client.force_login(administrator)
    response = post_change(client, administrator, is_active=[])
    assert response.status_code == 200
    assert LAST in response.content.decode()
    administrator.refresh_from_db()
    assert administrator.is_active


def test_with_another_active_administrator_one_can_be_demoted(client, administrator):
    other = make_user("verwaltung2", ADMINISTRATION)
    client.force_login(other)
    response = post_change(client, administrator, groups=role_pks(REDAKTION))
    assert response.status_code == 302
    assert not administrator.groups.filter(name=ADMINISTRATION).exists()


def test_an_inactive_administrator_does_not_count(client, root, administrator):
    make_user("verwaltung2", ADMINISTRATION, is_active=False)
    client.force_login(root)
    assert LAST in post_change(client, administrator, is_active=[]).content.decode()


def test_other_accounts_are_deactivated_as_before(client, administrator, editor):
    client.force_login(administrator)
    assert post_change(client, editor, is_active=[]).status_code == 302
    editor.refresh_from_db()
    assert not editor.is_active


def test_the_last_superuser_cannot_give_up_the_power(client, root):
    client.force_login(root)
    response = post_change(client, root, is_superuser=[])
    assert response.status_code == 200
    assert "letzte aktive Superuser-Konto" in response.content.decode()
    root.refresh_from_db()
    assert root.is_superuser
    second = User.objects.create_superuser("root2", "root2@example.org", PASSWORD)
    assert post_change(client, second, is_active=[]).status_code == 302
