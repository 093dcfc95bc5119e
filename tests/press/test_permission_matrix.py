"""Every admin URL and action × every role × anonymous.

The expectations are written out here from the role descriptions (issue 2 and 5), not derived
from the permissions in the database: a view that forgets its check, or a role that gains a
permission by accident, makes this fail.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from press.models import Article, LegalPage, RolePolicy
from tests.conftest import make_user

ROLES = ["Redaktion", "Freigabe", "Administration", "ohne Rolle"]

# What each role may do with each model: v(iew) a(dd) c(hange) d(elete).
MAY = {
    # Redaktion deletes only its own drafts (the article here is someone else's).
    "press.article": {"Redaktion": "vac", "Freigabe": "vacd", "Administration": "vd"},
    "press.photo": {"Redaktion": "vac", "Freigabe": "vacd", "Administration": "v"},
    "press.topic": {"Redaktion": "v", "Freigabe": "vac", "Administration": "v"},
    "press.author": {"Redaktion": "va", "Freigabe": "vac", "Administration": "vac"},
    "press.spokesperson": {"Redaktion": "vac", "Freigabe": "vac", "Administration": "v"},
    "press.presscontact": {"Redaktion": "v", "Freigabe": "vac", "Administration": "v"},
    "press.legalpage": {"Administration": "vac"},
    "press.rolepolicy": {"Administration": "vc"},
    "auth.user": {"Administration": "vac"},
    "auth.group": {"Administration": "v"},
    "otp_totp.totpdevice": {"Administration": "vd"},
    "axes.accessattempt": {"Administration": "vd"},
}


@pytest.fixture
def objects(db, make_article, make_photo, spokesperson, press_contact, topic):
    """One object of every model, none of them belonging to the role under test."""
    owner = make_user("eigentuemerin", "Redaktion")
    article = make_article("draft", title="Entwurf von jemand anderem")
    superuser = User.objects.create_superuser("root", "root@example.org", "x" * 20)
    from press.models import Author

    return {
        "press.article": article,
        "press.photo": make_photo(),
        "press.topic": topic,
        "press.author": Author.objects.create(name="Autorin"),
        "press.spokesperson": spokesperson,
        "press.presscontact": press_contact,
        "press.legalpage": LegalPage.objects.create(kind="impressum", title="Impressum", body=""),
        "press.rolepolicy": RolePolicy.objects.first(),
        "auth.user": owner,
        "auth.group": Group.objects.get(name="Redaktion"),
        "otp_totp.totpdevice": TOTPDevice.objects.create(user=owner, name="App"),
        "axes.accessattempt": _access_attempt(),
        "superuser": superuser,
    }


def _access_attempt():
    from axes.models import AccessAttempt

    return AccessAttempt.objects.create(
        username="jemand", ip_address="198.51.100.7", user_agent="x", failures_since_start=5
    )


def user_for(role: str) -> User:
    username = f"pruefer-{role.replace(' ', '-').lower()}"
    existing = User.objects.filter(username=username).first()
    return existing or make_user(
        f"pruefer-{role.replace(' ', '-').lower()}", *([] if role == "ohne Rolle" else [role])
    )


def model_cases():
    for label in MAY:
        for view in ["changelist", "add", "change", "delete", "history"]:
            yield label, view


def expected_status(label: str, view: str, role: str) -> int:
    may = MAY[label].get(role, "")
    needed = {
        "changelist": "v" in may or "c" in may,
        "add": "a" in may,
        "change": "v" in may or "c" in may,  # view-only shows the read-only page
        "delete": "d" in may,
        "history": "v" in may or "c" in may,
    }[view]
    return 200 if needed else 403


def admin_url(label: str, view: str, obj) -> str:
    app_label, model = label.split(".")
    name = f"admin:{app_label}_{model}_{view}"
    if view in ("changelist", "add"):
        return reverse(name)
    return reverse(name, args=[obj.pk])


@pytest.mark.parametrize(("label", "view"), list(model_cases()))
def test_model_admin_pages_answer_each_role_as_described(client, objects, label, view):
    url = admin_url(label, view, objects[label])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"], url
    for role in ROLES:
        client.force_login(user_for(role))
        status = client.get(url).status_code
        assert status == expected_status(label, view, role), f"{role} {url}: {status}"
        client.logout()


@pytest.mark.parametrize("role", ROLES)
def test_saving_is_refused_where_the_role_may_only_look(client, objects, role):
    """A POST to a change page the role may only view (or not at all) changes nothing."""
    client.force_login(user_for(role))
    for label, obj in objects.items():
        if label == "superuser" or "c" in MAY[label].get(role, ""):
            continue
        response = client.post(admin_url(label, "change", obj), {"name": "Geändert"})
        assert response.status_code == 403, f"{role} may save {label}"


@pytest.mark.parametrize("role", ROLES)
def test_deleting_is_refused_where_the_role_may_not(client, objects, role):
    client.force_login(user_for(role))
    for label, obj in objects.items():
        if label == "superuser" or "d" in MAY[label].get(role, ""):
            continue
        response = client.post(admin_url(label, "delete", obj), {"post": "yes"})
        assert response.status_code == 403, f"{role} may delete {label}"
        assert type(obj).objects.filter(pk=obj.pk).exists()


def test_nobody_but_a_superuser_touches_a_superuser(client, objects):
    superuser = objects["superuser"]
    for role in ROLES:
        client.force_login(user_for(role))
        change = reverse("admin:auth_user_change", args=[superuser.pk])
        response = client.post(change, {"username": "gekapert", "is_superuser": "on"})
        assert response.status_code == 403
        delete = reverse("admin:auth_user_delete", args=[superuser.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
    superuser.refresh_from_db()
    assert superuser.username == "root"


@pytest.fixture
def article_states(make_article):
    now = timezone.now()
    return {
        "draft": make_article("draft", title="Entwurf"),
        "published": make_article("published", title="Öffentlich", publish_at=now - timedelta(1)),
    }


ARTICLE_VIEWS = {
    # name: (url maker, roles that get 200 for a draft, for a published article)
    "preview": ({"Redaktion", "Freigabe", "Administration"},) * 2,
    "revisions": ({"Redaktion", "Freigabe", "Administration"},) * 2,
    "export_txt": ({"Redaktion", "Freigabe", "Administration"},) * 2,
    "export_pdf": ({"Redaktion", "Freigabe", "Administration"},) * 2,
    # A draft: its creator (not the Redaktion account here) or Freigabe; Administration all.
    "delete": ({"Freigabe", "Administration"}, {"Administration"}),
    # The change page offers saving only to those who may change the article in that state.
    "change_save": ({"Redaktion", "Freigabe"}, {"Freigabe"}),
}


@pytest.mark.parametrize("view", sorted(ARTICLE_VIEWS))
@pytest.mark.parametrize("state", ["draft", "published"])
def test_article_pages_per_role_and_state(client, article_states, view, state):
    article = article_states[state]
    allowed = ARTICLE_VIEWS[view][0 if state == "draft" else 1]
    name = {"change_save": "change"}.get(view, view)
    url = reverse(f"admin:press_article_{name}", args=[article.pk])
    assert client.get(url).status_code == 302  # anonymous: to the log-in
    for role in ROLES:
        client.force_login(user_for(role))
        if view == "change_save":
            response = client.get(url)
            offers_save = (
                response.status_code == 200 and 'name="_save"' in response.content.decode()
            )
            assert offers_save == (role in allowed), role
        else:
            status = client.get(url).status_code
            assert status == (200 if role in allowed else 403), f"{role} {view} {state}: {status}"
        client.logout()


def test_import_is_for_those_who_write(client, db):
    url = reverse("admin:press_article_import")
    assert client.get(url).status_code == 302
    for role in ROLES:
        client.force_login(user_for(role))
        expected = 200 if role in {"Redaktion", "Freigabe"} else 403
        assert client.get(url).status_code == expected, role


WORKFLOW_ACTIONS = {
    # action: (state it starts from, roles for which the step succeeds)
    "submit": ("draft", {"Redaktion", "Freigabe"}),
    "publish": ("in_review", {"Freigabe"}),
    "return_to_draft": ("in_review", {"Freigabe"}),
    "withdraw": ("published", {"Freigabe"}),
}


@pytest.mark.parametrize("action", sorted(WORKFLOW_ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_workflow_urls_per_role(client, make_article, action, role):
    start, allowed = WORKFLOW_ACTIONS[action]
    article = make_article(start, title=f"{action} {role}")
    url = reverse("admin:press_article_workflow", args=[article.pk, action])
    assert client.post(url, {"comment": "Begründung"}).status_code == 302  # anonymous
    assert Article.objects.get(pk=article.pk).state == start
    client.force_login(user_for(role))
    response = client.post(url, {"comment": "Begründung", "version": article.version})
    moved = Article.objects.get(pk=article.pk).state != start
    assert moved == (role in allowed), f"{role} {action}: {response.status_code}"
    if role == "ohne Rolle":
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("action", "allowed"),
    [("submit_selected", {"Redaktion", "Freigabe"}), ("publish_selected", set())],
)
@pytest.mark.parametrize("role", ROLES)
def test_bulk_actions_per_role(client, make_article, action, allowed, role):
    start = "draft" if action == "submit_selected" else "in_review"
    article = make_article(start, title=f"Sammelaktion {role}")
    client.force_login(user_for(role))
    client.post(
        reverse("admin:press_article_changelist"),
        {"action": action, "_selected_action": [article.pk]},
    )
    moved = Article.objects.get(pk=article.pk).state != start
    assert moved == (role in allowed), f"{role} {action}"
