"""/healthz tells the load balancer and monitoring whether this instance can answer, and what
is degraded (issue 12, item 7): 200 "ok"; 200 with JSON naming a failing cache (pages are then
made uncached); 503 without a database (tests/newsroom/test_production.py)."""

import pytest
from django.test import Client, override_settings

from public.caching import public_cache
from tests.public.test_cache_failing import redis_gone, unwritable_directory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache_state():
    yield
    public_cache.failing_until, public_cache.last_error = 0.0, ""
    public_cache.clear_owed, public_cache.errors = False, 0


def test_healthz_says_ok_when_database_and_cache_work(db):
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"


@pytest.mark.parametrize("broken", ["unwritable directory", "redis gone"])
def test_healthz_names_a_failing_cache_and_still_answers_200(tmp_path, broken):
    backend = unwritable_directory(tmp_path) if broken == "unwritable directory" else redis_gone()
    with override_settings(CACHES={"default": backend}):
        response = Client().get("/healthz")
    assert response.status_code == 200
    detail = response.json()
    assert detail["status"] == "degraded" and detail["database"] == "ok"
    assert detail["cache"]["status"] == "unavailable"
    assert detail["cache"]["error"] and detail["cache"]["errors"] >= 1


def test_healthz_says_ok_again_once_the_cache_is_back(tmp_path):
    with override_settings(CACHES={"default": unwritable_directory(tmp_path)}):
        assert Client().get("/healthz").json()["status"] == "degraded"
    assert Client().get("/healthz").content == b"ok\n"
