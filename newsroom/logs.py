"""Log lines without the secrets that some addresses carry.

The links in the distribution list's mails (confirm, preferences, unsubscribe, the embargo
preview of an advance copy and its photos) and in the account mails (password reset,
invitation) hold a token that is the reader's key: whoever has the address can unsubscribe the
reader, change their settings or read an embargoed release before its Sperrfrist. Logs are read
by more people, and kept longer, than mails. So the token is replaced by `[redacted]` in
Django's log records (`django.request` logs every 4xx with its path) and in gunicorn's access
log (request line, path and Referer), with `RedactTokens` and `GunicornLogger`.

tests/newsroom/test_logs.py checks that every URL pattern with a `token` keyword is covered.
"""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
# The path up to the token, then the token: one segment. Addresses of newsroom/urls.py and
# distribution/urls.py, and of django.contrib.auth's password reset ("reset/<uidb64>/<token>/").
TOKEN_IN_ADDRESS = re.compile(
    r"(/verteiler/(?:bestaetigen|einstellungen|abmelden|sperrfrist)/"
    r"|/konto/(?:reset|einladung)/[^/?#\s\"]+/)"
    r"[^/?#\s\"]+"
)
# Cheap test before the regular expression: most lines have none of these.
MARKERS = ("/verteiler/", "/konto/")


def redact(text: str) -> str:
    """`text` with the token of every address that carries one replaced by REDACTED:
    "/verteiler/abmelden/AbC.12/" -> "/verteiler/abmelden/[redacted]/"."""
    if not any(marker in text for marker in MARKERS):
        return text
    return TOKEN_IN_ADDRESS.sub(rf"\1{REDACTED}", text)


class RedactTokens(logging.Filter):
    """A logging filter (settings.LOGGING) that redacts a record's message, formatted with its
    arguments; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class GunicornLogger(Logger):
    """gunicorn's logger (`--logger-class newsroom.logs.GunicornLogger`) with the request line,
    the path and the Referer of every access log line redacted."""

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        for name in ("r", "U", "f", "{referer}i"):
            if isinstance(atoms.get(name), str):
                atoms[name] = redact(atoms[name])
        return atoms
