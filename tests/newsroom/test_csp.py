"""The admin's Content-Security-Policy (issue 12, item 12): no inline <script> anywhere; inline
event handlers only on the pages that show CKEditor 4, which wires its toolbar with them."""

import pytest
from django.urls import reverse


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


@pytest.fixture
def editor_pages(draft_article):
    return [
        reverse("admin:press_article_add"),
        reverse("admin:press_article_change", args=[draft_article.pk]),
    ]


def test_pages_with_the_editor_allow_inline_handlers_but_no_inline_script(
    client, editor, editor_pages
):
    client.force_login(editor)
    for path in editor_pages:
        response = client.get(path)
        assert b"ckeditor/ckeditor/ckeditor.js" in response.content
        policy = directives(response)
        assert policy["script-src"].split()[0] == "'self'", path
        assert "'unsafe-inline'" not in policy["script-src"], path
        assert policy["script-src-attr"] == "'unsafe-inline'", path
        assert policy["style-src"] == "'self' 'unsafe-inline'", path
        assert policy["object-src"] == "'none'" and "http" not in str(policy)


def test_the_legal_pages_editor_gets_the_editors_policy(client, administrator):
    client.force_login(administrator)
    policy = directives(client.get(reverse("admin:press_legalpage_add")))
    assert policy["script-src-attr"] == "'unsafe-inline'"


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:index",
        "admin:press_article_changelist",
        "admin:press_topic_changelist",
        "admin:auth_user_changelist",
        "admin:password_change",
    ],
)
def test_admin_pages_without_the_editor_allow_no_inline_script_at_all(
    client, administrator, url_name
):
    client.force_login(administrator)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == "'self'"
    assert "script-src-attr" not in policy
    assert "unsafe-inline" not in policy["script-src"]


def test_the_login_page_allows_no_inline_script(client, db):
    policy = directives(client.get(reverse("admin:login")))
    assert policy["script-src"] == "'self'" and "script-src-attr" not in policy


def test_the_preview_has_the_public_pages_policy_for_scripts(client, editor, draft_article):
    client.force_login(editor)
    policy = directives(client.get(reverse("admin:press_article_preview", args=[draft_article.pk])))
    assert policy["script-src"] == "'self'" and "script-src-attr" not in policy


def test_a_public_page_gets_the_policy_django_csp_builds_from_the_settings(client, db):
    from csp.utils import build_policy

    response = client.get(reverse("press:index"))
    assert response["Content-Security-Policy"] == build_policy()
    assert directives(response)["frame-ancestors"] == "'none'"
    assert "Content-Security-Policy-Report-Only" not in response


def test_a_changed_policy_setting_is_sent_at_once(client, db, settings):
    settings.PUBLIC_CACHE_SECONDS = 0  # the second page rendered, not taken from the cache
    directives_now = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    client.get(reverse("press:topics"))  # the policy of the old setting, built
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**directives_now, "img-src": ["'self'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    response = client.get(reverse("press:topics"))
    assert directives(response)["img-src"] == "'self'"
    assert response["Content-Security-Policy-Report-Only"] == "default-src 'none'"


def test_a_view_that_updates_its_policy_gets_the_update(rf, db):
    from csp.decorators import csp_update
    from django.http import HttpResponse

    from newsroom.middleware import ContentSecurityPolicyMiddleware

    view = csp_update({"img-src": ["https://maps.example"]})(lambda request: HttpResponse())
    response = ContentSecurityPolicyMiddleware(view)(rf.get("/karte/"))
    assert directives(response)["img-src"].endswith("https://maps.example")
    plain = ContentSecurityPolicyMiddleware(lambda request: HttpResponse())(rf.get("/karte/"))
    assert "https://maps.example" not in plain["Content-Security-Policy"]
