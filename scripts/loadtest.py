"""Load test: the public pages at saturation under gunicorn, expecting no errors at all.

    make loadtest                      # 60 s against a fresh SQLite database with demo content
    LOAD_SECONDS=20 make loadtest      # shorter
    DATABASE_URL=postgres://… make loadtest

It starts gunicorn with production settings (DEBUG off) on a free port of 127.0.0.1, drives
every public page type with wrk (Debian's package) for LOAD_SECONDS, at most LOAD_MAX_REQUESTS
requests, and fails if a single response is not 2xx/3xx, a socket error occurs or a worker
logs a traceback. It never talks to anything but the loopback address.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
HOST = "127.0.0.1"

# wrk: rotate through the paths; stop each thread after its share of the request budget.
LUA = """
local paths = {%(paths)s}
local budget = %(budget)d
local sent, done = 0, 0
request = function()
  sent = sent + 1
  return wrk.format("GET", paths[(sent %% #paths) + 1])
end
response = function(status, headers, body)
  done = done + 1
  if done >= budget then wrk.thread:stop() end
end
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def environment(workdir: Path) -> dict:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'load.sqlite3'}")
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"http://{HOST}",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        SERVE_MEDIA="true",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_until_healthy(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn stopped before it answered")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    sys.exit("gunicorn did not answer /healthz within 60 s")


def public_paths(base: str) -> list[str]:
    """Every kind of public page, taken from the sitemap and the pages themselves."""
    with urllib.request.urlopen(f"{base}/sitemap.xml", timeout=10) as response:
        root = ElementTree.fromstring(response.read())
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [element.text for element in root.findall("s:url/s:loc", namespace)]
    paths = [re.sub(r"^https?://[^/]+", "", location) for location in locations]
    articles = [path for path in paths if re.match(r"^/\d{4}/\d{2}/\d{2}/", path)]
    years = sorted({path[:6] for path in articles})
    months = sorted({path[:9] for path in articles})
    extra = [
        "/?page=1", "/suche/?q=Jobcenter", "/suche/?q=Bürgergeld", "/suche/?q=nichtvorhanden",
        "/feed/rss/", "/feed/atom/", "/kontakt/", "/sprecher/", "/impressum/", "/robots.txt",
    ]  # fmt: skip
    return sorted(set(paths + years + months + extra))


def main() -> int:
    seconds = int(os.environ.get("LOAD_SECONDS", "60"))
    budget = int(os.environ.get("LOAD_MAX_REQUESTS", "2000000"))
    connections = int(os.environ.get("LOAD_CONNECTIONS", "32"))
    workers = os.environ.get("LOAD_WORKERS", "3")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (make loadtest does this)")
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-load-"))
    env = environment(workdir)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_demo", "--force")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")

    port = free_port()
    base = f"http://{HOST}:{port}"
    log = (workdir / "gunicorn.log").open("w+")
    server = subprocess.Popen(
        [ROOT / ".venv" / "bin" / "gunicorn", "newsroom.wsgi:application",
         "--bind", f"{HOST}:{port}", "--workers", workers, "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_until_healthy(base, server)
        paths = public_paths(base)
        for path in paths:  # every page answers before the load begins
            with urllib.request.urlopen(base + urllib.parse.quote(path, safe="/?=&"), timeout=10):
                pass
        script = workdir / "paths.lua"
        quoted = ", ".join(f'"{urllib.parse.quote(path, safe="/?=&")}"' for path in paths)
        threads = 2
        script.write_text(LUA % {"paths": quoted, "budget": max(1, budget // threads)})
        print(f"Load: {len(paths)} public paths, {seconds} s, {connections} connections, "
              f"{workers} gunicorn workers, at most {budget} requests")  # fmt: skip
        result = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
             "--latency", "-s", str(script), base],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        print(result.stdout)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    log.seek(0)
    server_log = log.read()
    requests = int(re.search(r"(\d+) requests in", result.stdout).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    socket_errors = re.search(r"Socket errors: (.*)", result.stdout)
    problems = []
    if result.returncode != 0:
        problems.append(f"wrk exited with {result.returncode}: {result.stderr.strip()}")
    if bad:
        problems.append(f"{bad.group(1)} responses were not 2xx/3xx")
    if socket_errors:
        problems.append(f"socket errors: {socket_errors.group(1)}")
    if "Traceback" in server_log:
        problems.append("a worker logged a traceback:\n" + server_log[-3000:])
    if requests == 0:
        problems.append("no requests were made")
    shutil.rmtree(workdir, ignore_errors=True)
    if problems:
        print("LOAD TEST FAILED\n" + "\n".join(problems))
        return 1
    print(f"Load test passed: {requests} requests, all 2xx/3xx, no socket errors.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
