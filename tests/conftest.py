"""Shared fixtures: one user per role and articles in every state, made through the workflow."""

import importlib
import os
import weakref
from datetime import timedelta
from io import BytesIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db.backends.signals import connection_created
from django.test import override_settings
from django.utils import timezone, translation
from PIL import Image

from press.models import Article, Photo, PressContact, Quote, Spokesperson, Topic
from press.roles import ADMINISTRATION, FREIGABE, REDAKTION

PASSWORD = "korrekt-Pferd-Batterie-42"


def pytest_collection_modifyitems(config, items):
    """Tests of one database's own features run on that database (CI runs the suite on both),
    and are deselected, not skipped, on the other."""
    engine = settings.DATABASES["default"]["ENGINE"]
    foreign = "sqlite_only" if "postgresql" in engine else "postgres_only"
    deselected = [item for item in items if item.get_closest_marker(foreign)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker(foreign)]


# Every database connection this test process opens, whichever context opened it (below).
_connections_opened = weakref.WeakSet()
connection_created.connect(
    lambda sender, connection, **kwargs: _connections_opened.add(connection), weak=False
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's test databases, and before they are dropped, every connection to them
    closed. Once Playwright's sync API (`chromium`) has started, Django's connection handler (an
    asgiref Local, which is context-local) gives the tests a new DatabaseWrapper with a
    connection of its own (seen: the wrapper's id changes at the first browser test);
    pytest-django closes only the wrapper of its set-up, so PostgreSQL refused to drop a
    database "being accessed by other users" and left it behind."""
    yield
    for wrapper in list(_connections_opened):
        if wrapper.connection is not None:
            wrapper.connection.close()  # the driver's own close: any thread, twice is harmless


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium (scripts/install-system-packages), driven by Playwright; one per run.
    Playwright runs an event loop in the test thread, so Django's ORM must be told that this
    is fine."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield browser
        browser.close()


def jpeg_bytes(width: int = 1200, height: int = 800, color: str = "steelblue", **save) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG", **save)
    return buffer.getvalue()


@pytest.fixture
def make_photo(db):
    def make(width: int = 1200, height: int = 800, **fields) -> Photo:
        data = fields.pop("data", None) or jpeg_bytes(width, height)
        defaults = {
            "caption": "Claudia Langer, Eigenbetriebsleiterin KoBa Harz",
            "credit": "KoBa Harz",
            "alt_text": "Porträt von Claudia Langer",
        }
        return Photo.objects.create(image=ContentFile(data, name="foto.jpg"), **defaults | fields)

    return make


@pytest.fixture(scope="session", autouse=True)
def _cache_of_this_run(tmp_path_factory):
    """The cache of this test run (the production default, diskcache), not the one of the
    developer's server."""
    location = tmp_path_factory.mktemp("cache")
    backend = "public.caching.DiskCache"
    with override_settings(CACHES={"default": {"BACKEND": backend, "LOCATION": location}}):
        yield


@pytest.fixture(autouse=True)
def _german_by_default():
    """Every test starts in the site's language: a request in English activates English for
    the thread, and messages made outside a request (the importer's) would follow it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: a page cached by one test is not another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PHOTO_ROOT = tmp_path / "photos"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.NEWSROOM_FOUR_EYES = True
    # The public page cache is on, as in production: every test of what the public sees
    # also proves that no cached page outlives a change.
    settings.PUBLIC_CACHE_SECONDS = 600
    # client.login() authenticates without a request, which django-axes refuses; the lockout
    # has its own tests (tests/accounts/test_login_security.py), which switch it on.
    settings.AXES_ENABLED = False


def ensure_roles() -> None:
    """The roles come from data migrations. A transactional test (browser, processes) empties
    the database afterwards, and pytest-django's serialized rollback does not always bring them
    back; make them again from the migrations themselves when they are gone."""
    if Group.objects.filter(name=REDAKTION).exists():
        return
    from django.apps import apps

    for name in [
        "press.migrations.0002_roles",
        "press.migrations.0007_role_policies_and_permissions",
        "distribution.migrations.0002_role_permissions",
    ]:
        migration = importlib.import_module(name)
        (migration.create_roles if hasattr(migration, "create_roles") else migration.forwards)(
            apps, None
        )


def make_user(username: str, *roles: str, **extra) -> User:
    ensure_roles()
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
        fields.setdefault("lead", "Kurzer Vorspann.")
        fields.setdefault("body", "<p>Text des Artikels.</p>")
        article = Article(title=title, **fields)
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


class SMTPInbox(list):
    """The messages the test SMTP server accepted, in order, as email.message.EmailMessage
    (`message["To"]`, `message.get_body(("plain",)).get_content()`). `refuse(times, reply)`
    makes it answer the next `times` messages with `reply` instead of accepting them."""

    def __init__(self):
        super().__init__()
        self.refusals: list[str] = []

    def refuse(self, times: int = 1, reply: str = "451 4.3.0 Bitte später erneut versuchen"):
        self.refusals.extend([reply] * times)


def aiosmtpd_controller():
    """aiosmtpd's Controller class. aiosmtpd imports `public` from the atpublic package, a name
    our public site's app holds in this process: its modules are imported with atpublic's
    module standing in for a moment, then ours is put back."""
    import importlib.machinery
    import importlib.util
    import sys
    from pathlib import Path

    if "aiosmtpd.controller" in sys.modules:
        return sys.modules["aiosmtpd.controller"].Controller
    ours = sys.modules["public"]
    root = str(Path(__file__).resolve().parents[1])
    search = [entry for entry in sys.path if str(Path(entry or ".").resolve()) != root]
    spec = importlib.machinery.PathFinder.find_spec("public", search)
    atpublic = importlib.util.module_from_spec(spec)
    sys.modules["public"] = atpublic
    try:
        spec.loader.exec_module(atpublic)
        from aiosmtpd.controller import Controller
    finally:
        sys.modules["public"] = ours
        for name in [name for name in sys.modules if name.startswith("public._")]:
            del sys.modules[name]
    return Controller


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on 127.0.0.1 at a free port, with Django's SMTP backend
    pointed at it; yields its `SMTPInbox`."""
    import email
    import email.policy
    import socket

    Controller = aiosmtpd_controller()
    inbox = SMTPInbox()

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            if inbox.refusals:
                return inbox.refusals.pop(0)
            inbox.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
            return "250 2.0.0 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def run_worker(db, monkeypatch):
    """run_worker() works off every task that is due, as the task worker would
    (`manage.py db_worker --batch`: until the queue holds nothing ready, then it returns)."""
    import signal

    from django.core.management import call_command

    # The worker closes "old" connections between tasks, which on PostgreSQL would close the
    # test's own transaction; Django's test client leaves them alone around requests the same way.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run() -> None:
        # The worker installs its own handlers for a graceful stop; the test run keeps pytest's.
        saved = {
            number: signal.getsignal(number)
            for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
        }
        try:
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        finally:
            for number, handler in saved.items():
                signal.signal(number, handler)

    return run
