"""Refusals, old addresses and the icon around the admin (issue 13, "An admin that ... fits its
screen"): a 403 inside the admin is a page of the admin, with its header and a way back;
`/konto/login/` leads to the admin's log-in, whatever is sent to it; the office's icon is
served from our own host."""

import pytest
from django.test import Client
from django.urls import reverse


def admin_page(response) -> str:
    content = response.content.decode()
    assert 'id="header"' in content and "/static/admin/css/base.css" in content
    assert "/static/css/site.css" not in content
    assert "Traceback" not in content
    return content


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("outsider", "/admin/press/article/"),
        ("editor", "/admin/auth/user/"),
        ("editor", "/admin/auth/group/"),
    ],
)
def test_a_refusal_in_the_admin_is_a_page_in_the_admins_design(client, request, role, path):
    client.force_login(request.getfixturevalue(role))
    response = client.get(path)
    assert response.status_code == 403
    content = admin_page(response)
    assert "<title>Zugriff verweigert | Newsroom</title>" in content
    assert "Für diese Seite fehlt Ihnen die Berechtigung." in content
    assert f'href="{reverse("admin:index")}"' in content
    assert '<meta name="robots" content="noindex">' in content


def test_a_refusal_in_the_admin_is_english_for_an_english_browser(client, editor):
    client.force_login(editor)
    response = client.get("/admin/auth/user/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    content = admin_page(response)
    assert "Access denied" in content and "Zugriff verweigert" not in content


@pytest.mark.parametrize(
    "query",
    ["", "?next=/admin/press/article/", "?next=https://evil.example/", "?%ff%fe=%00", "?next="],
)
@pytest.mark.parametrize("method", ["get", "post", "head"])
def test_the_old_log_in_address_leads_to_the_admins_log_in(client, db, method, query):
    response = getattr(client, method)("/konto/login/" + query)
    if method == "post":
        # A form posted from elsewhere: refused by the CSRF check, not an error of ours.
        assert response.status_code in (302, 403)
        return
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:login") + query


def test_the_old_log_in_address_ends_at_a_log_in_form(client, db):
    response = client.get("/konto/login/?next=/admin/", follow=True)
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


@pytest.mark.parametrize("path", ["/admin/login/", "/", "/themen/"])
def test_pages_name_the_offices_icon_and_it_is_served(client, db, path):
    content = client.get(path).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in content
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(icon.streaming_content)


def test_the_icon_is_also_where_browsers_look_without_a_link(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # ICO header


def test_a_form_from_before_the_last_log_in_is_refused_on_an_admin_page(editor, draft_article):
    """An old tab's form carries a CSRF token that no longer counts: the refusal says what to
    do, in the admin's design."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    url = reverse("admin:press_article_change", args=[draft_article.pk])
    client.get(url)
    response = client.post(url, {"title": "Neu", "csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    content = admin_page(response)
    assert "Das Formular war nicht mehr gültig" in content
    draft_article.refresh_from_db()
    assert draft_article.title != "Neu"


def test_a_refused_form_outside_the_admin_is_djangos_short_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("admin_password_reset").replace("/admin/", "/konto/"))
    assert response.status_code == 403
    assert 'id="header"' not in response.content.decode()
