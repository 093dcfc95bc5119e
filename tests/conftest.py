"""Shared fixtures: one user per role and articles in every state, made through the workflow."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from press.models import Article, PressContact, Quote, Spokesperson, Topic
from press.roles import ADMINISTRATION, FREIGABE, REDAKTION

PASSWORD = "korrekt-Pferd-Batterie-42"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.NEWSROOM_FOUR_EYES = True


def make_user(username: str, *roles: str, **extra) -> User:
    user = User.objects.create_user(
        username, f"{username}@koba-jobcenter-harz.de", PASSWORD, is_staff=True, **extra
    )
    user.groups.set(Group.objects.filter(name__in=roles))
    return user


@pytest.fixture
def editor(db):
    return make_user("redakteurin", REDAKTION)


@pytest.fixture
def second_editor(db):
    return make_user("redakteur", REDAKTION)


@pytest.fixture
def approver(db):
    return make_user("pressesprecher", FREIGABE)


@pytest.fixture
def second_approver(db):
    return make_user("leitung", FREIGABE)


@pytest.fixture
def administrator(db):
    return make_user("verwaltung", ADMINISTRATION)


@pytest.fixture
def outsider(db):
    """Staff account without any role."""
    return make_user("praktikant")


@pytest.fixture
def users_by_role(editor, approver, administrator, outsider):
    return {
        "Redaktion": editor,
        "Freigabe": approver,
        "Administration": administrator,
        "ohne Rolle": outsider,
    }


@pytest.fixture
def press_contact(db):
    return PressContact.objects.create(
        label="Pressestelle KoBa Harz",
        phone="03943 58-3234",
        fax="03943 58-3040",
        email="presse@koba-jobcenter-harz.de",
        is_default=True,
    )


@pytest.fixture
def topic(db):
    return Topic.objects.create(name="SGB II")


@pytest.fixture
def spokesperson(db):
    return Spokesperson.objects.create(
        name="Claudia Langer", function="Eigenbetriebsleiterin", organisation="KoBa Harz"
    )


@pytest.fixture
def make_article(editor, approver, press_contact, topic):
    """make_article(state="published", publish_at=..., title=...) through the real workflow."""

    def make(
        state: str = "draft",
        *,
        title: str = "Neue Förderprogramme im Landkreis Harz",
        publish_at=None,
        **fields,
    ):
        article = Article(
            title=title, lead="Kurzer Vorspann.", body="<p>Text des Artikels.</p>", **fields
        )
        article.edit(by=editor)
        article.topics.add(topic)
        if state == "draft":
            return article
        article.submit(by=editor)
        if state == "in_review":
            return article
        article.publish(by=approver, at=publish_at)
        if state == "published" and publish_at and publish_at > timezone.now():
            return article
        if state == "published":
            return article
        if state == "scheduled":
            raise ValueError("use state='published' with a future publish_at")
        article.withdraw(by=approver, reason="Falsche Zahlen im zweiten Absatz.")
        return article

    return make


@pytest.fixture
def draft_article(make_article):
    return make_article("draft")


@pytest.fixture
def in_review_article(make_article):
    return make_article("in_review", title="Bewerbungstraining für junge Menschen")


@pytest.fixture
def published_article(make_article):
    return make_article(
        "published",
        title="KoBa Harz präsentiert sich im Kooperationsausschuss SGB II beim BMAS",
        publish_at=timezone.now() - timedelta(days=1),
    )


@pytest.fixture
def scheduled_article(make_article):
    return make_article(
        "published", title="Sperrfrist: Neue Zahlen", publish_at=timezone.now() + timedelta(days=2)
    )


@pytest.fixture
def withdrawn_article(make_article):
    return make_article(
        "withdrawn", title="Zurückgezogene Meldung", publish_at=timezone.now() - timedelta(days=3)
    )


@pytest.fixture
def quote(published_article, spokesperson):
    return Quote.objects.create(
        article=published_article,
        spokesperson=spokesperson,
        text="Das BMAS ist weit von der Basis entfernt.",
    )
