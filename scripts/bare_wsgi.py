"""The bare WSGI baseline of `make bench` (issue 17): an app that answers every request from
memory with exactly the status, headers and body the cached index page was answered with, so
that the cached index can be held against what gunicorn itself manages with the same settings.

    BARE_WSGI_RESPONSE=/tmp/index.json gunicorn --chdir scripts bare_wsgi:application

BARE_WSGI_RESPONSE names a JSON file {"status": "200 OK", "headers": [[name, value], ...],
"body_file": path of the body's bytes}, written by `capture()` (scripts/bench.py calls it
against the running site). No Django, no database, no cache: the body is read once per worker
at import.
"""

from __future__ import annotations

import http.client
import json
import os
from pathlib import Path

# Set by gunicorn per response (hop-by-hop or its own); everything else is handed back as is.
SERVER_HEADERS = {"connection", "date", "server", "transfer-encoding", "keep-alive"}


def capture(host: str, port: int, path: str, target: Path) -> dict:
    """GETs `path` from the server on host:port and writes the answer for the bare app: the
    JSON to `target`, the body next to it (`target` with suffix .body). Returns the JSON's
    content. Raises OSError when the server does not answer."""
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        status = f"{response.status} {response.reason}"
        headers = [
            [name, value]
            for name, value in response.getheaders()
            if name.lower() not in SERVER_HEADERS
        ]
    finally:
        connection.close()
    body_file = target.with_suffix(".body")
    body_file.write_bytes(body)
    answer = {"status": status, "headers": headers, "body_file": str(body_file)}
    target.write_text(json.dumps(answer), encoding="utf-8")
    return answer


def load(path: str) -> tuple[str, list[tuple[str, str]], bytes]:
    """(status, headers, body) from the JSON file `capture()` wrote."""
    answer = json.loads(Path(path).read_text(encoding="utf-8"))
    body = Path(answer["body_file"]).read_bytes()
    return answer["status"], [tuple(pair) for pair in answer["headers"]], body


if os.environ.get("BARE_WSGI_RESPONSE"):
    STATUS, HEADERS, BODY = load(os.environ["BARE_WSGI_RESPONSE"])


def application(environ, start_response):
    """The same bytes for every request."""
    start_response(STATUS, HEADERS)
    return [BODY]
