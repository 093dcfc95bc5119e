"""Production serving: deploy checks, health check, a designed 503 when the database is gone,
security headers."""

import os
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def production_environment(**extra) -> dict:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DEBUG", "SECRET_KEY", "PYTEST"))
    }
    environment.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="presse.koba-jobcenter-harz.de",
        CSRF_TRUSTED_ORIGINS="https://presse.koba-jobcenter-harz.de",
        SITE_URL="https://presse.koba-jobcenter-harz.de",
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        **extra,
    )
    return environment


def test_deploy_check_reports_no_issues_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    environment = production_environment()
    del environment["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("variable", ["DEBUG", "NEWSROOM_FOUR_EYES", "SECURE_COOKIES"])
def test_a_boolean_setting_with_an_unknown_value_refuses_to_start(variable):
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**production_environment(), variable: "ture"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and f"{variable}='ture'" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("Yes", True), ("on", True), ("1", True), (" FALSE ", False),
     ("no", False), ("off", False), ("0", False), ("", True)],
)  # fmt: skip
def test_boolean_settings_read_the_usual_words(monkeypatch, value, expected):
    from newsroom.settings import env_bool

    monkeypatch.setenv("NEWSROOM_TEST_FLAG", value)
    assert env_bool("NEWSROOM_TEST_FLAG", True) is expected


@pytest.fixture
def database_down():
    error = OperationalError('connection to server at "127.0.0.1", port 5432 failed')
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=error):
        yield


def test_health_check_answers_200_with_a_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"


def test_health_check_answers_503_without_a_database(db, database_down):
    response = Client().get("/healthz")
    assert response.status_code == 503


@pytest.mark.parametrize("path", ["/", "/suche/?q=Jobcenter", "/themen/sgb-ii/", "/2017/"])
def test_public_pages_answer_a_designed_503_when_the_database_is_down(db, database_down, path):
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    content = response.content.decode()
    assert "Vorübergehend nicht erreichbar" in content
    assert 'class="skip-link"' in content and "/static/css/site.css" in content
    assert "Traceback" not in content and "OperationalError" not in content


def test_other_errors_answer_the_500_page(db, settings):
    with mock.patch("public.views.IndexView.get", side_effect=RuntimeError("kaputt")):
        response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "Ein Fehler ist aufgetreten" in response.content.decode()
    assert "kaputt" not in response.content.decode()


def test_public_pages_have_a_strict_content_security_policy(client, published_article):
    for path in ["/", published_article.get_absolute_url(), "/suche/?q=Vorspann"]:
        policy = client.get(path)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe" not in policy and "http" not in policy


def test_admin_policy_allows_what_ckeditor_needs_and_no_other_host(client, editor, draft_article):
    client.force_login(editor)
    policy = client.get(f"/admin/press/article/{draft_article.pk}/change/")[
        "Content-Security-Policy"
    ]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    # Inline event handlers, and one hashed script; no inline <script> (tests/newsroom/test_csp.py).
    assert directives["script-src-attr"] == "'unsafe-inline'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["object-src"] == "'none'" and "http" not in policy


def test_behind_the_proxy_plain_http_is_redirected_to_https(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/").status_code == 301
    assert client.get("/", headers={"x-forwarded-proto": "https"}).status_code == 200
    assert client.get("/healthz").status_code == 200  # the load balancer speaks plain HTTP


def test_security_headers_on_every_page(client, db):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_media_can_live_on_s3_compatible_storage_by_setting():
    script = (
        "import django; django.setup();"
        "from django.core.files.storage import storages;"
        "s = storages['default'];"
        "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.url('photos/a.jpg'));"
        "p = storages['photos'];"
        "print('Fotos', p.bucket_name, p.default_acl, p.querystring_auth)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=production_environment(
            MEDIA_STORAGE="s3",
            S3_BUCKET="presse-medien",
            S3_PHOTO_BUCKET="presse-fotos-intern",
            S3_ENDPOINT_URL="https://s3.example.org",
            S3_CUSTOM_DOMAIN="medien.koba-jobcenter-harz.de",
            S3_ACCESS_KEY_ID="schluessel",
            S3_SECRET_ACCESS_KEY="geheim",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "S3Storage presse-medien https://s3.example.org" in result.stdout
    assert "https://medien.koba-jobcenter-harz.de/photos/a.jpg" in result.stdout
    # Photo originals keep their GPS positions: a private bucket of their own (issue 15).
    assert "Fotos presse-fotos-intern private True" in result.stdout


def test_a_shared_redis_cache_is_chosen_by_cache_url():
    """Several app servers share one cache (the CI machine runs Redis on 127.0.0.1:6379)."""
    script = (
        "import django; django.setup();"
        "from django.core.cache import caches; cache = caches['default'];"
        "cache.set('newsroom-test', 'geteilt', 30);"
        "print(type(cache).__name__, cache.get('newsroom-test'));"
        "cache.delete('newsroom-test')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=production_environment(CACHE_URL="redis://127.0.0.1:6379/15"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "RedisCache geteilt"
