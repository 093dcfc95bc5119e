"""Load test: the public pages at saturation under gunicorn, under attack and while an editor
works, expecting no errors and no stale page at all (issue 12, items 5 and 6, acceptance).

    make loadtest                      # 60 s against a fresh SQLite database with demo content
    LOAD_SECONDS=20 make loadtest      # shorter
    DATABASE_URL=postgres://… make loadtest

It starts gunicorn with production settings (DEBUG off, the embedded diskcache in a fresh
directory) on a free port of 127.0.0.1 and then

1. poisoning: asks the feeds, the sitemap, robots.txt and an article first with a foreign
   `Host: 127.0.0.1:6666` and `X-Forwarded-Proto: https`, then as a normal visitor, and fails
   if any answer names that host or lacks SITE_URL;
2. flooding: sends LOAD_FLOOD requests with random query strings and fails if the cache holds
   a single entry more afterwards;
3. an undisturbed run (LOAD_BASE_SECONDS, a quarter of LOAD_SECONDS by default) and then the
   run of LOAD_SECONDS, both with wrk (Debian's package) at saturation over every public page
   type, one request in ten each with a random query string and with a made-up `sessionid`
   cookie, HEAD requests alongside; during the second, an editor in a side process publishes
   and corrects an article every LOAD_EDIT_SECONDS through the model methods and checks after
   each that the next request shows it;
4. the release minute (scripts/bench_burst.py): a scheduled article with a photo becomes due
   with no request triggering it, and BURST_CLIENTS (100) clients ask for the index, the
   article, its photo and the RSS feed from that second for BURST_SECONDS (30).

It fails if a response is not 2xx/3xx, a socket error occurs, a worker logs a traceback, a page
was stale, an answer of the release minute was an error or did not show the new article though
asked for after its second, the median latency (nearly all of it cache hits) of the run with the
editor is more than twice that of the undisturbed run, or the cache holds more entries than the
pages of one state of the archive times the number of states the editor made (each save makes
two). It never talks to anything but the loopback address.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from xml.etree import ElementTree

from bench_burst import run_burst, summary

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
HOST = "127.0.0.1"

# wrk: rotate through the paths, one request in ten with a random query string (answered by a
# redirect) and one with a made-up session cookie; stop each thread after its share of the
# request budget. (wrk waits for the body a HEAD response announces and never gets it: HEAD
# requests are sent by `HeadRequests`.)
LUA = """
local paths = {%(paths)s}
local budget = %(budget)d
local sent, done = 0, 0
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  sent = sent + 1
  local path = paths[(sent %% #paths) + 1]
  local kind = sent %% 10
  if kind == 0 then
    local joiner = "?"
    if string.find(path, "?", 1, true) then joiner = "&" end
    return wrk.format("GET", path .. joiner .. "z=" .. math.random(1, 1000000000))
  elseif kind == 1 then
    local made_up = math.random(0, 0x7fffffff) .. "x" .. math.random(0, 0x7fffffff)
    return wrk.format("GET", path, {["Cookie"] = "sessionid=" .. made_up})
  end
  return wrk.format("GET", path)
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
        PHOTO_ROOT=str(workdir / "photos"),
        CACHE_DIR=str(workdir / "cache"),
        SERVE_MEDIA="true",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def fetch(url: str, **headers) -> tuple[int, str]:
    """(status, body) of a GET; redirects are not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


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


def quoted(path: str) -> str:
    return urllib.parse.quote(path, safe="/?=&")


def cache_entries(env: dict) -> int:
    """Entries in the embedded cache (diskcache: one SQLite table per shard; Django's
    FileBasedCache, which older versions used: one file per entry)."""
    import diskcache

    directory = Path(env["CACHE_DIR"])
    shards = sorted(directory.glob("[0-9][0-9][0-9]"))
    total = len(list(directory.glob("*.djcache")))
    for shard in shards:
        with diskcache.Cache(str(shard)) as cache:
            total += len(cache)
    return total


def check_poisoning(base: str, paths: list[str]) -> list[str]:
    """Item 5 against the running server: a foreign host and scheme ask first, while the page
    is not cached yet, then a normal visitor."""
    foreign = {"Host": "127.0.0.1:6666", "X-Forwarded-Proto": "https"}
    problems = []
    for path in paths:
        for headers in (foreign, {}):
            status, body = fetch(base + quoted(path), **headers)
            if status != 200 or "6666" in body or f"https://{HOST}" in body:
                problems.append(f"poisoning: {path} with {headers or 'no headers'}: {status}")
        if f"http://{HOST}/" not in body:
            problems.append(f"poisoning: {path} has no link on SITE_URL")
    return problems


def check_flooding(base: str, paths: list[str], env: dict, count: int) -> list[str]:
    """Item 6 against the running server: random query strings add no cache entries."""
    before = cache_entries(env)
    statuses = set()
    for number in range(count):
        path = paths[number % len(paths)]
        joiner = "&" if "?" in path else "?"
        statuses.add(fetch(f"{base}{quoted(path)}{joiner}z={secrets.token_hex(8)}")[0])
    after = cache_entries(env)
    problems = []
    if statuses != {301}:
        problems.append(f"flooding: random query strings were answered {sorted(statuses)}")
    if after != before:
        problems.append(f"flooding: {count} random query strings added {after - before} entries")
    print(f"Flooding: {count} random query strings, cache entries {before} -> {after}")
    return problems


class HeadRequests(threading.Thread):
    """HEAD requests over all paths, one after another, until stop() (alongside wrk)."""

    def __init__(self, port: int, paths: list[str]):
        super().__init__(daemon=True)
        self.port, self.paths = port, paths
        self.sent, self.errors = 0, []
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            path = quoted(self.paths[self.sent % len(self.paths)])
            connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
            try:
                connection.request("HEAD", path)
                status = connection.getresponse().status
                if not 200 <= status < 400:
                    self.errors.append(f"HEAD {path}: {status}")
            except OSError as error:
                self.errors.append(f"HEAD {path}: {error}")
            finally:
                connection.close()
            self.sent += 1

    def stop(self) -> list[str]:
        self.stopping.set()
        self.join(timeout=60)
        return self.errors


def run_wrk(base: str, script: Path, seconds: int, connections: int) -> tuple[dict, list[str]]:
    """({"requests", "p50_ms"}, problems) of one wrk run."""
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "--latency", "-s", str(script), base],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    print(result.stdout)
    problems = []
    if result.returncode != 0:
        problems.append(f"wrk exited with {result.returncode}: {result.stderr.strip()}")
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if bad:
        problems.append(f"{bad.group(1)} responses were not 2xx/3xx")
    socket_errors = re.search(r"Socket errors: (.*)", result.stdout)
    if socket_errors:
        problems.append(f"socket errors: {socket_errors.group(1)}")
    found = re.search(r"(\d+) requests in", result.stdout)
    median = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", result.stdout)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    stats = {
        "requests": int(found.group(1)) if found else 0,
        "p50_ms": float(median.group(1)) * scale[median.group(2)] if median else 0.0,
    }
    if not stats["requests"]:
        problems.append("no requests were made")
    return stats, problems


def editor(base: str, seconds: float, every: float) -> None:
    """The side process (`loadtest.py --editor BASE SECONDS EVERY`): publishes an article, then
    corrects it, one change every `every` seconds for `seconds`, through the model methods as
    the admin calls them; after each, the next anonymous request of the article, the index and
    the feed must show it. Prints {"changes", "states", "stale"} as JSON: "states", how often
    the archive's state (public/caching.py) moved meanwhile; each save moves it twice."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.contrib.auth.models import Group, User

    from press.models import Article, Topic
    from public.caching import public_cache

    def person(name: str, role: str) -> User:
        user = User.objects.create_user(name, f"{name}@example.org", secrets.token_hex(16))
        user.is_staff = True
        user.save()
        user.groups.set(Group.objects.filter(name=role))
        return user

    writer, approver = person("last-redaktion", "Redaktion"), person("last-freigabe", "Freigabe")
    topic = Topic.objects.first()
    token = secrets.token_hex(4)
    changes, stale = 0, []

    def shows(path: str, text: str) -> None:
        status, body = fetch(base + quoted(path))
        if status != 200 or text not in body:
            stale.append(f"{path} ({status}) does not show {text!r}")

    first_state = public_cache.counter()
    deadline = time.monotonic() + seconds
    number = 0
    while time.monotonic() + every < deadline:
        number += 1
        title = f"Lastprobe {token} Nummer {number}"
        article = Article(title=title, lead="Vorspann der Lastprobe.", body="<p>Text.</p>")
        article.edit(by=writer)
        article.topics.add(topic)
        article.submit(by=writer)
        article.publish(by=approver)
        changes += 1
        for path in (article.get_absolute_url(), "/", "/feed/rss/"):
            shows(path, title)
        time.sleep(every)
        article.refresh_from_db()
        article.lead = f"Berichtigter Vorspann {token} {number}."
        article.edit(by=approver, change_note="Zahl berichtigt.")
        changes += 1
        for path in (article.get_absolute_url(), "/"):
            shows(path, article.lead)
        time.sleep(every)
    states = public_cache.counter() - first_state
    print(json.dumps({"changes": changes, "states": states, "stale": stale}))


def main() -> int:
    seconds = int(os.environ.get("LOAD_SECONDS", "60"))
    base_seconds = int(os.environ.get("LOAD_BASE_SECONDS", str(max(5, seconds // 4))))
    budget = int(os.environ.get("LOAD_MAX_REQUESTS", "2000000"))
    connections = int(os.environ.get("LOAD_CONNECTIONS", "32"))
    workers = os.environ.get("LOAD_WORKERS", "3")
    edit_every = float(os.environ.get("LOAD_EDIT_SECONDS", "5"))
    flood = int(os.environ.get("LOAD_FLOOD", "500"))
    burst_seconds = float(os.environ.get("BURST_SECONDS", "30"))
    burst_clients = int(os.environ.get("BURST_CLIENTS", "100"))
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (make loadtest does this)")
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-load-"))
    env = environment(workdir)
    env["PUBLIC_CACHE_RENDER_LOG"] = str(workdir / "renders.log")
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
    problems = []
    try:
        wait_until_healthy(base, server)
        problems += check_poisoning(base, ["/feed/rss/", "/feed/atom/", "/sitemap.xml"])
        paths = public_paths(base)
        article = next(path for path in paths if re.match(r"^/\d{4}/\d{2}/\d{2}/", path))
        problems += check_poisoning(base, [article, "/robots.txt"])
        for path in paths:  # every page answers (and is cached) before the load begins
            status, _body = fetch(base + quoted(path))
            if status != 200:
                problems.append(f"{path} answered {status} before the load")
        problems += check_flooding(base, paths, env, flood)
        one_state = cache_entries(env)

        script = workdir / "paths.lua"
        listed = ", ".join(f'"{quoted(path)}"' for path in paths)
        script.write_text(LUA % {"paths": listed, "budget": max(1, budget // 2)})
        print(f"Load: {len(paths)} public paths, {connections} connections, {workers} gunicorn "
              f"workers, at most {budget} requests; undisturbed {base_seconds} s, then "
              f"{seconds} s with a change every {edit_every:g} s")  # fmt: skip
        heads = HeadRequests(port, paths)
        heads.start()
        undisturbed, found = run_wrk(base, script, base_seconds, connections)
        problems += found
        side = subprocess.Popen(
            [PYTHON, __file__, "--editor", base, str(seconds), str(edit_every)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        disturbed, found = run_wrk(base, script, seconds, connections)
        problems += found + heads.stop()
        output, _ = side.communicate(timeout=seconds + 120)
        if side.returncode != 0:
            problems.append(f"the editor process failed ({side.returncode})")
            edits = {"changes": 0, "states": 0, "stale": []}
        else:
            edits = json.loads(output.strip().splitlines()[-1])
        entries = cache_entries(env)
        # After the cache count: scheduling the article moves the archive's state.
        burst = run_burst(env, port, burst_seconds, burst_clients) if burst_seconds > 0 else None
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    log.seek(0)
    server_log = log.read()
    if "Traceback" in server_log:
        problems.append("a worker logged a traceback:\n" + server_log[-3000:])
    problems += [f"stale: {line}" for line in edits["stale"]]
    if not edits["changes"]:
        problems.append("the editor made no change")
    if disturbed["p50_ms"] > 2 * undisturbed["p50_ms"]:
        problems.append(
            f"median latency {disturbed['p50_ms']:.2f} ms with the editor, more than twice "
            f"{undisturbed['p50_ms']:.2f} ms without"
        )
    # Pages of older states stay until they expire or are evicted: at most one state's pages
    # for each state the editor made, whatever the number of requests.
    bound = one_state * (max(edits["states"], edits["changes"]) + 2)
    if entries > bound:
        problems.append(f"{entries} cache entries, more than {bound}")
    print(f"Editor: {edits['changes']} changes ({edits['states']} states of the archive), "
          f"{len(edits['stale'])} stale pages. Median latency {undisturbed['p50_ms']:.2f} ms "
          f"undisturbed, {disturbed['p50_ms']:.2f} ms with the editor. Cache entries: "
          f"{one_state} for one state, {entries} at the end (bound {bound}) after "
          f"{disturbed['requests']} requests.")  # fmt: skip
    if burst is not None:
        print(summary(burst))
        problems += burst["problems"]
    shutil.rmtree(workdir, ignore_errors=True)
    if problems:
        print("LOAD TEST FAILED\n" + "\n".join(problems))
        return 1
    requests = undisturbed["requests"] + disturbed["requests"] + heads.sent
    if burst is not None:
        requests += burst["requests"]
    print(f"Load test passed: {requests} requests ({heads.sent} HEAD), all 2xx/3xx, no socket "
          "errors, no stale page.")  # fmt: skip
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--editor"]:
        editor(sys.argv[2], float(sys.argv[3]), float(sys.argv[4]))
        sys.exit(0)
    sys.exit(main())
