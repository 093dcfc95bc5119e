"""Instructions a public page costs in the worker, counted by valgrind's callgrind.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench .venv/bin/python \\
        scripts/instructions.py [PAGE ...]

Wall-clock figures on a shared virtual machine vary by tens of percent from run to run;
instruction counts do not, whatever else the machine is doing. For each page this runs the
site in-process (Django's test client, page cache off, a cache directory of its own) under
callgrind twice: once warming every page up and stopping, once warming up and then requesting
the page REQUESTS times. The difference divided by REQUESTS is the page's cost in the worker
(Python, templates, ORM; not the database server's work). Needs a database seeded by
`make bench` and Debian's valgrind. Prints million instructions per request.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = 30
PAGES = ["index", "deep", "article", "topic", "rss", "search"]


def urls() -> dict[str, str]:
    from press.models import Article, Topic

    article = Article.objects.published().filter(slug__startswith="bench-").first()
    topic = Topic.objects.with_public_articles().first()
    return {
        "index": "/",
        "deep": "/?page=800",
        "article": article.get_absolute_url(),
        "topic": topic.get_absolute_url(),
        "rss": "/feed/rss/",
        "search": "/suche/?q=Jobcenter",
    }


def child(page: str, requests: int) -> None:
    """Run inside callgrind: warm every page up, then request `page` `requests` times."""
    import django

    django.setup()
    from django.test import Client

    client, addresses = Client(), urls()
    for url in addresses.values():
        for _ in range(3):
            assert client.get(url).status_code == 200, url
    for _ in range(requests):
        client.get(addresses[page])


def instructions(page: str, requests: int, environment: dict) -> int:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
             __file__, "--child", page, str(requests)],
            env=environment, cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
        return int(re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.M).group(1))


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], int(sys.argv[3]))
        return
    with tempfile.TemporaryDirectory() as folder:
        # As the site runs under `make bench`: DEBUG off (no query log, hashed static files).
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "PYTHONHASHSEED": "0",
            "PUBLIC_CACHE_SECONDS": "0",
            "CACHE_DIR": str(Path(folder) / "cache"),
            "LOG_LEVEL": "WARNING",
            "ALLOWED_HOSTS": "testserver",
            "DEBUG": "false",
            "SECRET_KEY": "instructions-only",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(Path(folder) / "static"),
        }
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=environment, cwd=ROOT, check=True,
        )  # fmt: skip
        instructions("index", 0, environment)  # fills the cache directory
        base = instructions("index", 0, environment)
        for page in sys.argv[1:] or PAGES:
            total = instructions(page, REQUESTS, environment)
            print(f"{page:8s} {(total - base) / REQUESTS / 1e6:7.1f} million instructions")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
