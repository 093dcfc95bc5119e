"""Benchmark: the public archive with BENCH_N articles under gunicorn, with and without the
page cache, against a bare WSGI app, and the release minute (issue 17).

    make bench                                   # 20,000 articles in a fresh SQLite database
    BENCH_N=2000 BENCH_SECONDS=5 make bench      # smaller and shorter
    createdb -h 127.0.0.1 -U postgres newsroom_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench \
        BENCH_N=2000,20000,200000 make bench     # three sizes, one growing database

Steps: migrate; then for each size of BENCH_N, ascending: add the missing bench articles
(scripts/bench_seed.py: bulk inserts, so the database grows from one size to the next), count
the SQL queries of each page, then for "cache on" and "cache off" start gunicorn with 2 sync
workers on 127.0.0.1 and drive each page with wrk for BENCH_SECONDS (BENCH_CONNECTIONS, 16),
in BENCH_ROUNDS (2) rounds over all pages, each page's best round kept: requests/s, p50 and
p99 latency (and p50 with a single client), non-2xx/3xx answers, peak worker memory; then the
bare WSGI app (scripts/bare_wsgi.py) answering with the cached index's bytes under the same
gunicorn settings and wrk, best of as many rounds. After the largest size, the import of
BENCH_IMPORT_FILES (1,000) release files (rolled back, then vacuumed) and the release minute
(scripts/bench_burst.py, BURST_SECONDS 30 with BURST_CLIENTS 100; 0 seconds skips it).
Prints a table per size, the growth from one size to the next and issue 17's targets marked
(scripts/bench_report.py), and writes bench-results/bench-<time>.json (and latest.json).
Fails on a bad answer, on an error or an answer without the new article in the release minute,
and when the import of 1,000 files takes more than 30 s. Loopback only.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from bare_wsgi import capture
from bench_burst import run_burst
from bench_import import time_import
from bench_report import growth, problems_of, ratio, table
from bench_seed import COMMON_WORD, RARE_WORD, SLUG_PREFIX, analyse, seed
from loadtest import HOST, ROOT, environment, free_port, wait_until_healthy

GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
RESULTS = ROOT / "bench-results"
WORKERS = 2
# A search asked for the first time, each request a new query (the bench's search pages are
# asked again and again, and a search asked again finds its keys, teasers and form kept).
NEW_SEARCHES = ROOT / "scripts" / "new_searches.lua"
NEW_SEARCH = "search, a new query each request"


def setup_django(env: dict) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def parse_sizes(text: str) -> list[int]:
    """BENCH_N: one size or a comma-separated list ("2000,20000,200000"), returned ascending
    without repeats, so that each size extends the database of the one before. Raises
    ValueError on anything but positive whole numbers."""
    sizes = set()
    for part in text.split(","):
        size = int(part.strip().replace("_", ""))
        if size <= 0:
            raise ValueError(f"BENCH_N: {size} is not a positive number of articles")
        sizes.add(size)
    return sorted(sizes)


# --- measuring -------------------------------------------------------------------------------


def bench_pages() -> dict[str, str]:
    from django.urls import reverse

    from press.models import Article, Topic

    public = Article.objects.published().filter(slug__startswith=SLUG_PREFIX)
    total = public.count()
    middle = public.order_by("-publish_at")[total // 2]
    deep_page = max(1, total // 20 * 4 // 5)  # four fifths of the way back
    topic = Topic.objects.get(name="SGB II")
    search = reverse("press:search")
    return {
        "/ page 1": reverse("press:index"),
        # Named alike at every size (the path gives the page number), for the growth.
        "deep archive page": reverse("press:index") + f"?page={deep_page}",
        "article": middle.get_absolute_url(),
        "topic page": topic.get_absolute_url(),
        "RSS feed": reverse("press:feed_rss"),
        f"search common word ({COMMON_WORD})": f"{search}?q={COMMON_WORD}",
        f"search rare word ({RARE_WORD})": f"{search}?q={RARE_WORD}",
    }


def bench_articles() -> int:
    """How many bench articles the database holds (at least the size asked for)."""
    from press.models import Article

    return Article.objects.filter(slug__startswith=SLUG_PREFIX).count()


def count_queries(pages: dict[str, str]) -> dict[str, int]:
    """SQL queries per page, rendered (the page cache off)."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    counts = {}
    client = Client(HTTP_HOST=HOST)
    with override_settings(PUBLIC_CACHE_SECONDS=0):
        for name, path in pages.items():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            if response.status_code != 200:
                sys.exit(f"{name} ({path}) answered {response.status_code}")
            counts[name] = len(queries)
    return counts


def count_admin_queries() -> tuple[int, float]:
    """SQL queries and seconds of the admin's article list (100 rows of all the articles)."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(HTTP_HOST=HOST)
    client.force_login(admin)
    url = reverse("admin:press_article_changelist")
    client.get(url)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"the admin's article list answered {response.status_code}")
    return len(queries), time.perf_counter() - started


def worker_pids(master: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            pids.append(int(stat.parent.name))
    return pids


def peak_memory_mb(pids: list[int]) -> float:
    """The largest peak resident set (VmHWM) of the workers, in MB."""
    peaks = []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            peaks.append(int(match.group(1)) / 1024)
    return round(max(peaks, default=0.0), 1)


def latency_ms(text: str, percentile: str) -> float | None:
    match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.MULTILINE)
    if not match:
        return None
    value, unit = float(match.group(1)), match.group(2)
    return round(value * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 2)


def drive(base: str, path: str, seconds: int, connections: int, script: Path | None = None) -> dict:
    """wrk over `path` (or the paths `script`, a wrk Lua script, makes): requests/s, p50 and p99
    latency in ms, answers other than 2xx/3xx, socket errors."""
    result = subprocess.run(
        ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s",
         "--timeout", "10s", "--latency", *(["-s", str(script)] if script else []),
         base + path],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    output = result.stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    if latency_ms(output, "50") is None:
        print(f"could not read wrk's answer for {path}:\n{output}{result.stderr}")
    return {
        "requests_per_second": round(float(rate.group(1)), 1) if rate else 0.0,
        "p50_ms": latency_ms(output, "50"),
        "p99_ms": latency_ms(output, "99"),
        "non_2xx_3xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1) if errors else "",
    }


def wait_until_idle(base: str) -> None:
    """Until /healthz answers promptly three times in a row, or 60 s have passed."""
    prompt, deadline = 0, time.monotonic() + 60
    while prompt < 3 and time.monotonic() < deadline:
        started = time.monotonic()
        with urllib.request.urlopen(f"{base}/healthz", timeout=60):
            pass
        prompt = prompt + 1 if time.monotonic() - started < 0.05 else 0


def start_server(env: dict, app: str, workdir: Path, *extra: str):
    """gunicorn with WORKERS sync workers on a free port of 127.0.0.1: (process, port, log)."""
    port = free_port()
    log = (workdir / f"gunicorn-{port}.log").open("w+")
    server = subprocess.Popen(
        [GUNICORN, app, "--bind", f"{HOST}:{port}", "--workers", str(WORKERS),
         "--log-level", "warning", *extra],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    wait_until_healthy(f"http://{HOST}:{port}", server)
    return server, port, log


def stop_server(server: subprocess.Popen, log) -> None:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)
    log.seek(0)
    if "Traceback" in log.read():
        sys.exit(f"a gunicorn worker logged a traceback; see {log.name}")


def best_round(best: dict | None, figures: dict) -> dict:
    """Of the figures kept so far for a page (`best`, None before its first round) and those
    of its latest round, the ones with more requests/s, with `rounds_requests_per_second`:
    the requests/s of every round, in order."""
    speed = figures["requests_per_second"]
    every = [*best["rounds_requests_per_second"], speed] if best else [speed]
    kept = figures if best is None or speed > best["requests_per_second"] else best
    return kept | {"rounds_requests_per_second": every}


def measure(env: dict, pages: dict[str, str], seconds: int, connections: int, workdir: Path,
            capture_index: Path | None = None, new_searches: bool = False,
            rounds: int = 1):  # fmt: skip
    """wrk over each page, `rounds` times over all pages: ({page: the figures of its round
    with the most requests/s, and `rounds_requests_per_second` of every round}, peak worker
    memory in MB). With `capture_index`,
    the index's answer is written there for the bare WSGI app (scripts/bare_wsgi.py) after
    it was measured (a cache hit, when the page cache is on). With `new_searches`, also
    searches each asked for the first time (NEW_SEARCHES, under NEW_SEARCH)."""
    server, port, log = start_server(env, "newsroom.wsgi:application", workdir)
    base = f"http://{HOST}:{port}"
    try:
        results = {}
        # Rounds over all pages, each page's best kept: a neighbour on the shared machine that
        # takes a core for a few seconds slows one round of a page, not its figure.
        for _round in range(rounds):
            for name, path in pages.items():
                drive(base, path, 1, 2)  # warm up: imports, connections, the cache
                wait_until_idle(base)
                figures = drive(base, path, seconds, connections)
                wait_until_idle(base)  # requests still queued would slow down the next page
                alone = drive(base, path, min(seconds, 3), 1)
                figures["single_client_p50_ms"] = alone["p50_ms"]
                results[name] = best_round(results.get(name), figures)
        if new_searches:
            results[NEW_SEARCH] = drive(base, "/", seconds, connections, NEW_SEARCHES)
            wait_until_idle(base)
            alone = drive(base, "/", min(seconds, 3), 1, NEW_SEARCHES)
            results[NEW_SEARCH]["single_client_p50_ms"] = alone["p50_ms"]
        if capture_index is not None:
            capture(HOST, port, pages["/ page 1"], capture_index)
        memory = peak_memory_mb(worker_pids(server.pid))
    finally:
        stop_server(server, log)
    return results, memory


def measure_bare(env: dict, answer: Path, seconds: int, connections: int, workdir: Path,
                 rounds: int = 1) -> dict:  # fmt: skip
    """wrk against scripts/bare_wsgi.py answering with the bytes in `answer`, under the same
    gunicorn settings as the site: the figures of the best of `rounds` runs."""
    bare_env = env | {"BARE_WSGI_RESPONSE": str(answer)}
    server, port, log = start_server(
        bare_env, "bare_wsgi:application", workdir, "--chdir", str(ROOT / "scripts")
    )
    base = f"http://{HOST}:{port}"
    try:
        drive(base, "/", 1, 2)
        best = None
        for _round in range(rounds):
            wait_until_idle(base)
            best = best_round(best, drive(base, "/", seconds, connections))
        return best
    finally:
        stop_server(server, log)


def burst(env: dict, seconds: float, clients: int, workdir: Path) -> dict:
    """The release minute (scripts/bench_burst.py) against the site with the page cache."""
    env = env | {"PUBLIC_CACHE_RENDER_LOG": str(workdir / "renders.log")}
    server, port, log = start_server(env, "newsroom.wsgi:application", workdir)
    try:
        return run_burst(env, port, seconds, clients)
    finally:
        stop_server(server, log)


# --- reporting -------------------------------------------------------------------------------


def machine() -> dict:
    from django.db import connection

    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"model name\s*:\s*(.*)", cpuinfo.read_text())
        cpu = match.group(1).strip() if match else cpu
    memory = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(memory.group(1)) / 1024 / 1024, 1) if memory else None,
        "python": platform.python_version(),
        "database": database,
    }


def main() -> int:
    sizes = parse_sizes(os.environ.get("BENCH_N", "20000"))
    seconds = int(os.environ.get("BENCH_SECONDS", "10"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "2"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "16"))
    import_files = int(os.environ.get("BENCH_IMPORT_FILES", "1000"))
    burst_seconds = float(os.environ.get("BURST_SECONDS", "30"))
    burst_clients = int(os.environ.get("BURST_CLIENTS", "100"))
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (make bench does this)")
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    env = environment(workdir)
    env["CACHE_DIR"] = str(workdir / "cache")
    setup_django(env)
    from django.core.management import call_command
    from django.db import connections as database_connections

    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "sizes": sizes,
        "workers": WORKERS,
        "seconds": seconds,
        "rounds": rounds,
        "connections": connections,
        "runs": [],
    }
    for count in sizes:
        seeded, seed_seconds = seed(count)
        held = bench_articles()
        print(
            f"{count}: added {seeded} articles in {seed_seconds:.1f} s"
            if seeded
            else f"{count}: reusing the articles"
        )
        if held > count:
            # A database grows and is not cut back: the figures of this size are those of
            # `held` articles. Use a fresh database for a run of growing sizes.
            print(f"{count}: the database already holds {held} bench articles")
        pages = bench_pages()
        queries = count_queries(pages)
        admin_queries, admin_seconds = count_admin_queries()
        database_connections.close_all()
        run = {
            "articles": count,
            "pages": pages,
            "queries": queries,
            "admin_changelist": {"queries": admin_queries, "ms": round(admin_seconds * 1000, 1)},
            "seeded": seeded,
            "articles_in_database": held,
            "seed_seconds": round(seed_seconds, 1),
            "peak_worker_memory_mb": {},
        }
        answer = workdir / f"index-{count}.json"
        for mode, cache_seconds in [("cache_on", "600"), ("cache_off", "0")]:
            results, memory = measure(
                env | {"PUBLIC_CACHE_SECONDS": cache_seconds}, pages, seconds, connections,
                workdir, answer if mode == "cache_on" else None, mode == "cache_off", rounds,
            )  # fmt: skip
            if NEW_SEARCH in results:
                run["new_search"] = results.pop(NEW_SEARCH)
            run[mode] = results
            run["peak_worker_memory_mb"][mode] = memory
        run["uncached_share"] = {
            name: ratio(
                run["cache_off"][name]["requests_per_second"],
                run["cache_on"][name]["requests_per_second"],
            )
            for name in pages
        }
        bare = measure_bare(env, answer, seconds, connections, workdir, rounds)
        bare["cached_index_share"] = ratio(
            run["cache_on"]["/ page 1"]["requests_per_second"], bare["requests_per_second"]
        )
        run["bare"] = bare
        report["runs"].append(run)
    report["growth"] = growth(report["runs"])
    # After the pages were measured: the rolled-back import leaves dead rows behind, which the
    # pages of the largest size would otherwise read around; vacuumed before the release minute.
    import_seconds = time_import(import_files, workdir)
    print(f"Imported {import_files} release files (half Word) in {import_seconds:.1f} s")
    analyse()
    database_connections.close_all()
    report["import_files"] = import_files
    report["import_seconds"] = round(import_seconds, 1)
    report["burst"] = (
        burst(env | {"PUBLIC_CACHE_SECONDS": "600"}, burst_seconds, burst_clients, workdir)
        if burst_seconds > 0
        else None
    )
    print(table(report))
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for name in (f"bench-{stamp}.json", "latest.json"):
        (RESULTS / name).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nWritten: {RESULTS / f'bench-{stamp}.json'}")
    shutil.rmtree(workdir, ignore_errors=True)
    problems = problems_of(report)
    if problems:
        print("BENCH FAILED\n" + "\n".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
