"""Benchmark: one release to BENCH_SUBSCRIBERS (1,000 and 5,000) confirmed subscribers,
through the task worker and a real SMTP server (aiosmtpd's Sink, which accepts and discards).

    .venv/bin/python scripts/bench_distribution.py          # part of `make bench`
    BENCH_SUBSCRIBERS=1000,5000,20000 .venv/bin/python scripts/bench_distribution.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench …  # on PostgreSQL

Per size: a throwaway database (SQLite in a temporary directory unless DATABASE_URL is set)
holds that many subscribers; an article is published through the workflow, which queues the
release; one `manage.py db_worker --batch` process writes the deliveries and sends them with
DISTRIBUTION_RATE_PER_MINUTE raised out of the way. Reported: mails per second (first claim to
last "sent"), the worker's wall time and its peak memory (ru_maxrss). Memory must not grow
with the number of subscribers (distribution/sending.py reads and sends in chunks).
Prints one JSON line and writes bench-results/distribution-<time>.json. Loopback only.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from loadtest import HOST, ROOT, environment, free_port

PYTHON = ROOT / ".venv" / "bin" / "python"
RESULTS = ROOT / "bench-results"

# The worker, with its peak resident memory printed as JSON when the queue is empty.
WORKER = """
import json, resource, django
django.setup()
from django.core.management import call_command
call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
print(json.dumps({"peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def seed(subscribers: int) -> None:
    """Roles, two people, a contact, `subscribers` confirmed subscribers; then publish one
    article through the workflow (which queues the release for the worker)."""
    from django.contrib.auth.models import Group, User

    from distribution.models import Delivery, Subscriber
    from press.models import Article, PressContact
    from press.roles import FREIGABE, REDAKTION

    # A database named by DATABASE_URL is reused: the previous run's rows go first.
    Delivery.objects.all().delete()
    Subscriber.objects.all().delete()
    Article.objects.filter(slug__startswith="bench-distribution").delete()
    PressContact.objects.get_or_create(
        label="Pressestelle KoBa Harz", defaults={"phone": "03943 58-3234", "is_default": True}
    )
    editor, _ = User.objects.get_or_create(username="bench-redaktion", is_staff=True)
    editor.groups.set(Group.objects.filter(name=REDAKTION))
    approver, _ = User.objects.get_or_create(username="bench-freigabe", is_staff=True)
    approver.groups.set(Group.objects.filter(name=FREIGABE))
    Subscriber.objects.bulk_create(
        (
            Subscriber(email=f"leser{number}@example.org", state="confirmed", token=f"t{number}")
            for number in range(subscribers)
        ),
        batch_size=1000,
    )
    article = Article(
        slug=f"bench-distribution-{subscribers}",
        title="Neue Förderprogramme im Landkreis Harz",
        kicker="Arbeitsmarkt",
        lead="Der Landkreis fördert 200 neue Stellen.",
        body="<p>" + "Text der Pressemitteilung. " * 80 + "</p>",
    )
    article.edit(by=editor)
    article.submit(by=editor)
    article.publish(by=approver)


def run(subscribers: int, smtp_port: int) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-distribution-"))
    env = environment(workdir) | {
        "EMAIL_HOST": HOST,
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "DISTRIBUTION_RATE_PER_MINUTE": str(10**9),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    if "DATABASE_URL" not in os.environ:
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env,
                   check=True)  # fmt: skip
    seeding = (
        "import django; django.setup(); import sys; sys.path.insert(0, 'scripts'); "
        f"from bench_distribution import seed; seed({subscribers})"
    )
    subprocess.run([PYTHON, "-c", seeding], cwd=ROOT, env=env, check=True)
    started = time.perf_counter()
    worker = subprocess.run(
        [PYTHON, "-c", WORKER], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    peak_kb = json.loads(worker.stdout.strip().splitlines()[-1])["peak_kb"]
    counting = (
        "import django, json; django.setup(); from django.db.models import Max, Min; "
        "from distribution.models import Delivery; "
        "rows = Delivery.objects.filter(occasion='release'); "
        "span = rows.aggregate(first=Min('claimed_at'), last=Max('sent_at')); "
        "print(json.dumps({'sent': rows.filter(status='sent').count(), "
        "'seconds': (span['last'] - span['first']).total_seconds()}))"
    )
    counted = subprocess.run(
        [PYTHON, "-c", counting], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    outcome = json.loads(counted.stdout.strip().splitlines()[-1])
    return {
        "subscribers": subscribers,
        "sent": outcome["sent"],
        "mails_per_second": round(outcome["sent"] / max(outcome["seconds"], 1e-6), 1),
        "worker_seconds": round(wall, 1),
        "peak_worker_memory_mb": round(peak_kb / 1024, 1),
    }


def wait_for_port(port: int, seconds: float = 30) -> None:
    """Return once the SMTP server accepts connections on `port` (SystemExit after `seconds`)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"the SMTP server did not start on {HOST}:{port}")


def main() -> int:
    sizes = [int(size) for size in os.environ.get("BENCH_SUBSCRIBERS", "1000,5000").split(",")]
    port = free_port()
    # aiosmtpd's command line, outside the project directory: its `public` import would
    # find our app of that name there.
    server = subprocess.Popen(
        [PYTHON, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"{HOST}:{port}"],
        cwd=tempfile.gettempdir(),
    )
    try:
        wait_for_port(port)
        results = [run(size, port) for size in sizes]
    finally:
        server.terminate()
        server.wait(timeout=10)
    database = "PostgreSQL" if "DATABASE_URL" in os.environ else "SQLite"
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "bench": "distribution",
        "database": database,
        "cores": os.cpu_count(),
        "results": results,
    }
    print(json.dumps(report, ensure_ascii=False))
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"distribution-{stamp}.json").write_text(json.dumps(report, indent=2) + "\n")
    failures = [result for result in results if result["sent"] != result["subscribers"]]
    if failures:
        print(f"BENCH FAILED: not every subscriber was sent the release: {failures}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
