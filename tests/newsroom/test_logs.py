"""Tokens of mailed links never reach a log (newsroom/logs.py): Django's request log and
gunicorn's access log show `[redacted]` in their place."""

from __future__ import annotations

import io
import logging
import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from gunicorn.config import Config
from gunicorn.util import load_class

from newsroom.logs import REDACTED, GunicornLogger, redact

TOKEN = "Secret-Token_42.xyz"
SAMPLES = {"token": TOKEN, "uidb64": "MQ", "pk": 7, "filename": "foto.jpg"}


def named_patterns(patterns, namespace: str = ""):
    """(name for reverse(), URLPattern) of every named pattern, includes resolved."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def addresses_with_a_token() -> list[str]:
    addresses = []
    for name, pattern in named_patterns(get_resolver().url_patterns):
        keywords = pattern.pattern.converters
        if "token" in keywords:
            addresses.append(reverse(name, kwargs={key: SAMPLES[key] for key in keywords}))
    return addresses


def test_every_address_that_carries_a_token_is_redacted():
    addresses = addresses_with_a_token()
    # confirm, preferences, unsubscribe, the embargo preview and its photo, the invitation
    assert len(addresses) >= 6
    for address in addresses:
        redacted = redact(f"GET {address}?x=1 HTTP/1.1")
        assert TOKEN not in redacted, address
        assert REDACTED in redacted
    assert redact("/konto/reset/MQ/set-password/") == f"/konto/reset/MQ/{REDACTED}/"


def test_addresses_without_a_token_are_left_as_they_are():
    for line in ("GET /2026/12/01/bench-0/ HTTP/1.1", "GET /verteiler/ HTTP/1.1", "/konto/login/"):
        assert redact(line) == line


@pytest.mark.django_db
def test_a_404_for_an_unsubscribe_link_is_logged_without_its_token(client):
    # The console handler of settings.LOGGING (pytest adds its own handlers beside it).
    (handler,) = [
        h for h in logging.getLogger("django").handlers if type(h) is logging.StreamHandler
    ]
    written = io.StringIO()
    previous = handler.setStream(written)
    try:
        response = client.get(f"/verteiler/sperrfrist/{TOKEN}/")
    finally:
        handler.setStream(previous)
    assert response.status_code == 404
    assert "/verteiler/sperrfrist/[redacted]/" in written.getvalue()
    assert TOKEN not in written.getvalue()


def test_gunicorns_access_log_shows_neither_the_token_of_the_address_nor_of_the_referer(
    tmp_path,
):
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    logger = GunicornLogger(config)
    address = f"/verteiler/abmelden/{TOKEN}/"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": address,
        "PATH_INFO": address,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://presse.example/verteiler/einstellungen/{TOKEN}/",
        "HTTP_USER_AGENT": "test",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])

    logger.access(response, request, environ, timedelta(milliseconds=3))
    for handler in logger.access_log.handlers:
        handler.flush()

    line = (tmp_path / "access.log").read_text()
    assert f'"GET /verteiler/abmelden/{REDACTED}/ HTTP/1.1" 200' in line
    assert f"/verteiler/einstellungen/{REDACTED}/" in line
    assert TOKEN not in line


def test_make_serve_starts_gunicorn_with_the_redacting_logger():
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    serve = makefile.split("\nserve:", 1)[1].split("\n\n", 1)[0]
    named = re.search(r"--logger-class (\S+)", serve)
    assert named, "make serve would log tokens"
    assert load_class(named.group(1), section="gunicorn.loggers") is GunicornLogger
