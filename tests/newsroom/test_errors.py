"""Errors reach users as pages in the site's design, each with the status that tells the truth:
400 for a request we cannot read, 403 for a refusal, 503 only when the database is out of reach
(issue 12, item 10)."""

from unittest import mock

import pytest
from django.db import DataError, IntegrityError, InterfaceError, InternalError, OperationalError
from django.test import Client


def our_page(response) -> str:
    content = response.content.decode()
    assert 'class="skip-link"' in content and "/static/css/site.css" in content
    assert "Traceback" not in content
    return content


@pytest.mark.parametrize(
    "error",
    [
        InternalError("tsquery stack too small"),
        DataError("value too long for type character varying(200)"),
        IntegrityError("duplicate key value violates unique constraint"),
    ],
)
def test_a_query_the_database_refuses_is_an_error_not_a_false_unavailable(db, error):
    with mock.patch("public.views.IndexView.get", side_effect=error):
        response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Ein Fehler ist aufgetreten" in our_page(response)


@pytest.mark.parametrize(
    "error",
    [OperationalError("server closed the connection unexpectedly"), InterfaceError("closed")],
)
def test_a_database_out_of_reach_is_unavailable(db, error):
    with mock.patch("public.views.IndexView.get", side_effect=error):
        response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "Vorübergehend nicht erreichbar" in our_page(response)


def test_a_request_for_an_unknown_host_is_a_bad_request_in_the_sites_design(client, db):
    response = client.get("/", HTTP_HOST="127.0.0.1:6666.evil.example")
    assert response.status_code == 400
    assert "Ungültige Anfrage" in our_page(response)
