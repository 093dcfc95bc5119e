"""The release minute (issue 17): a scheduled article with a photo becomes public with no
request triggering it (a Sperrfrist), and from that second on BURST_CLIENTS (100) clients ask
for the index, the new article, its photo and the RSS feed for BURST_SECONDS (30).

Used by `make bench` (scripts/bench.py) and `make loadtest` (scripts/loadtest.py) against a
gunicorn they started; not run on its own. `run_burst()`:

1. schedules the article in the running site's database (a side process of this file with the
   server's environment, `--schedule`): a photo, then the workflow's steps as the admin takes
   them (edit, submit, publish with `at` BURST_LEAD_SECONDS (4) ahead, to the second), by two
   bench users of the roles Redaktion and Freigabe;
2. asks each of the four addresses once before that second: nothing answered before it may
   show the article (the embargo holds) and the index and the feed are in the page cache;
3. from that second, the clients (asyncio in this process: one connection each, a new one
   whenever the server closes it, as gunicorn's sync workers do after every response) ask in
   turn, each recording when it sent a request, how long the answer took, its status and
   whether it shows the article (its title's token in the index, the article and the feed;
   image bytes for the photo);
4. counts, from the render log the app writes when PUBLIC_CACHE_RENDER_LOG names a file (one
   line per render of a cacheable page: "<pid>\\t<time.time()>\\t<path with query>"), the
   renders of each changed page per worker after that second;
5. removes the article and its photo again (`--remove`).

The verdict (`judge()`): errors (not 2xx/3xx, socket errors, time-outs) and answers to requests
sent after the second that do not show the article fail the run; p99 latency of the first
FIRST_SECONDS against the rest (at most P99_RATIO_LIMIT times) and renders per worker and page
(at most one) are reported with a mark. Loopback only.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import secrets
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
HOST = "127.0.0.1"
FIRST_SECONDS = 5.0
P99_RATIO_LIMIT = 5.0
RENDERS_PER_WORKER_LIMIT = 1
# The pages whose content the new article changes (the photo is a file, not a rendered page).
CHANGED_PAGES = ("index", "article", "rss")
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"RIFF")
REQUEST_TIMEOUT = 10.0


@dataclass(frozen=True)
class Sample:
    """One request of the burst: `kind` ("index", "article", "photo", "rss"), `sent` (epoch
    seconds, time.time(), before connecting), `seconds` until the whole body was read, `status`
    (0 for a socket error or time-out, then `error` says which) and `fresh` (shows the new
    article)."""

    kind: str
    sent: float
    seconds: float
    status: int
    fresh: bool
    error: str = ""


def percentile(values: Iterable[float], fraction: float) -> float | None:
    """The nearest-rank percentile (`fraction` 0.5 for p50, 0.99 for p99) of `values`; None
    for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def count_renders(lines: Iterable[str], since: float, paths: Iterable[str]) -> dict:
    """Renders of each of `paths` at or after `since` (epoch seconds) per worker, from the
    render log's lines ("<pid>\\t<time.time()>\\t<path with query>"): {path: {pid: count}},
    every path present (an empty dict when it was not rendered). Lines of another shape are
    skipped."""
    wanted = {path: Counter() for path in paths}
    for line in lines:
        parts = line.rstrip("\n").split("\t")
        if len(parts) != 3:
            continue
        pid, at, path = parts
        try:
            pid_number, when = int(pid), float(at)
        except ValueError:
            continue
        if path in wanted and when >= since:
            wanted[path][pid_number] += 1
    return {path: dict(counts) for path, counts in wanted.items()}


def judge(
    samples: list[Sample],
    minute: float,
    seconds: float,
    renders: dict | None,
    paths: dict[str, str],
    early: list[Sample] = (),
) -> dict:
    """The burst's verdict. `samples` are the clients' requests, `minute` the second the
    article became due (epoch seconds), `seconds` the burst's length, `renders` what
    `count_renders()` found (None: no render log), `paths` {kind: path}, `early` the requests
    answered before the minute. Returns a dict for the JSON report with "problems" (sentences
    that fail the run: errors, answers without the article after the minute, an article shown
    before it) and "warnings" (p99 of the first FIRST_SECONDS above P99_RATIO_LIMIT times that
    of the rest, more than one render per worker and page, no render log)."""
    problems, warnings = [], []
    errors = [s for s in samples if s.status == 0 or not 200 <= s.status < 400]
    missing = [s for s in samples if s.sent >= minute and 200 <= s.status < 400 and not s.fresh]
    leaked = [s for s in early if s.sent + s.seconds < minute and s.fresh]
    if errors:
        examples = Counter(f"{s.kind} {s.status or s.error}" for s in errors)
        problems.append(f"burst: {len(errors)} errors ({dict(examples.most_common(4))})")
    if missing:
        kinds = dict(Counter(s.kind for s in missing))
        problems.append(
            f"burst: {len(missing)} answers after the minute without the new article {kinds}"
        )
    if leaked:
        problems.append(f"burst: {len(leaked)} answers before the minute showed the article")
    first = [s.seconds for s in samples if minute <= s.sent < minute + FIRST_SECONDS]
    rest = [s.seconds for s in samples if minute + FIRST_SECONDS <= s.sent < minute + seconds]
    p99_first, p99_rest = percentile(first, 0.99), percentile(rest, 0.99)
    ratio = round(p99_first / p99_rest, 2) if p99_first is not None and p99_rest else None
    if ratio is not None and ratio > P99_RATIO_LIMIT:
        warnings.append(
            f"burst: p99 of the first {FIRST_SECONDS:g} s is {ratio} times that of the rest "
            f"(limit {P99_RATIO_LIMIT:g})"
        )
    render_report = None
    if renders is None:
        warnings.append("burst: no render log (PUBLIC_CACHE_RENDER_LOG); renders not counted")
    else:
        render_report = {}
        for kind in CHANGED_PAGES:
            per_worker = renders.get(paths[kind], {})
            most = max(per_worker.values(), default=0)
            render_report[kind] = {
                "path": paths[kind],
                "total": sum(per_worker.values()),
                "workers": len(per_worker),
                "max_per_worker": most,
            }
            if most > RENDERS_PER_WORKER_LIMIT:
                warnings.append(f"burst: {kind} rendered {most} times by one worker")
    kinds = {}
    for kind in paths:
        times = [s.seconds for s in samples if s.kind == kind]
        kinds[kind] = {
            "requests": len(times),
            "p50_ms": _ms(percentile(times, 0.5)),
            "p99_ms": _ms(percentile(times, 0.99)),
        }
    return {
        "requests": len(samples),
        "requests_per_second": round(len(samples) / seconds, 1) if seconds else None,
        "errors": len(errors),
        "missing_article": len(missing),
        "shown_before_minute": len(leaked),
        "p99_first_ms": _ms(p99_first),
        "p99_rest_ms": _ms(p99_rest),
        "p99_ratio": ratio,
        "pages": kinds,
        "renders": render_report,
        "problems": problems,
        "warnings": warnings,
    }


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 2)


def summary(report: dict) -> str:
    """A few lines for the table of bench.py and loadtest.py."""
    renders = report["renders"]
    if renders is None:
        render_text = "not counted (no render log)"
    else:
        render_text = ", ".join(
            f"{kind} {entry['total']} in {entry['workers']} workers "
            f"(at most {entry['max_per_worker']} per worker)"
            for kind, entry in renders.items()
        )
    pages = ", ".join(
        f"{kind} {entry['requests']} (p99 {entry['p99_ms']} ms)"
        for kind, entry in report["pages"].items()
    )
    return "\n".join(
        [
            f"Release minute: {report['clients']} clients for {report['seconds']:g} s from the "
            f"second the article became due: {report['requests']} requests "
            f"({report['requests_per_second']}/s), {report['errors']} errors, "
            f"{report['missing_article']} answers after the minute without the article, "
            f"{report['shown_before_minute']} before it with the article",
            f"  p99 first {FIRST_SECONDS:g} s {report['p99_first_ms']} ms, rest "
            f"{report['p99_rest_ms']} ms, ratio {report['p99_ratio']} (limit "
            f"{P99_RATIO_LIMIT:g}); per page: {pages}",
            f"  renders after the minute: {render_text}",
            *[f"  warning: {text}" for text in report["warnings"]],
        ]
    )


# --- the clients -----------------------------------------------------------------------------


class Connection:
    """One client's connection; reopened whenever the server closes it."""

    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        """(status, body) of a GET of `path` (HTTP/1.1, Content-Length, chunked or until the
        server closes)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        self.writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n"
            "User-Agent: newsroom-bench-burst\r\nAccept-Encoding: identity\r\n\r\n".encode()
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip().lower()
        keep = headers.get("connection") != "close"
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            chunks = []
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            await self.reader.readuntil(b"\r\n")
            body = b"".join(chunks)
        else:
            body, keep = await self.reader.read(), False
        if not keep:
            self.close()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def shows(kind: str, status: int, body: bytes, token: bytes) -> bool:
    """Whether an answer shows the new article: the photo as image bytes, the pages by the
    token in the article's title."""
    if kind == "photo":
        return status == 200 and body.startswith(IMAGE_MAGIC)
    return status == 200 and token in body


async def client(
    number: int, port: int, paths: dict[str, str], token: bytes, until: float, out: list
) -> None:
    kinds = list(paths)
    connection = Connection(port)
    turn = number
    while (sent := time.time()) < until:
        kind = kinds[turn % len(kinds)]
        turn += 1
        started = time.perf_counter()
        try:
            # asyncio.timeout, not wait_for: no extra task per request.
            async with asyncio.timeout(REQUEST_TIMEOUT):
                status, body = await connection.get(paths[kind])
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError,
                TimeoutError) as error:  # fmt: skip
            connection.close()
            out.append(Sample(kind, sent, time.perf_counter() - started, 0, False,
                              type(error).__name__))  # fmt: skip
            continue
        out.append(
            Sample(kind, sent, time.perf_counter() - started, status,
                   shows(kind, status, body, token))
        )  # fmt: skip
    connection.close()


async def ask_all(port: int, paths: dict[str, str], token: bytes, clients: int,
                  minute: float, seconds: float) -> list[Sample]:  # fmt: skip
    await asyncio.sleep(max(0.0, minute - time.time()))
    samples: list[Sample] = []
    await asyncio.gather(
        *(client(n, port, paths, token, minute + seconds, samples) for n in range(clients))
    )
    return samples


async def ask_once(port: int, paths: dict[str, str], token: bytes) -> list[Sample]:
    samples = []
    for kind, path in paths.items():
        connection = Connection(port)
        sent, started = time.time(), time.perf_counter()
        status, body = await connection.get(path)
        connection.close()
        samples.append(Sample(kind, sent, time.perf_counter() - started, status,
                              shows(kind, status, body, token)))  # fmt: skip
    return samples


# --- the article -----------------------------------------------------------------------------


def side(env: dict, *args: str) -> dict:
    """Runs this file with `args` in the server's environment; its last line of JSON."""
    result = subprocess.run(
        [PYTHON, __file__, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"bench_burst.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def schedule(lead: float) -> dict:
    """(Side process) a photo and an article with it, scheduled `lead` seconds ahead (to the
    whole second). Returns {"minute", "token", "article_pk", "photo_pk", "paths"}."""
    import io
    from datetime import UTC, datetime

    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.files.base import ContentFile
    from PIL import Image

    from press.models import Article, Photo, Topic

    def person(name: str, role: str) -> User:
        user, _ = User.objects.get_or_create(username=name, defaults={"is_staff": True})
        user.groups.set(Group.objects.filter(name=role))
        return user

    writer, approver = person("burst-redaktion", "Redaktion"), person("burst-freigabe", "Freigabe")
    token = f"Sperrfrist{secrets.token_hex(4)}"
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1067), "darkslateblue").save(buffer, "JPEG", quality=85)
    photo = Photo(
        image=ContentFile(buffer.getvalue(), name="burst.jpg"),
        caption=f"Foto zur Meldung {token}",
        credit="KoBa Harz",
        alt_text="Symbolbild: Pressekonferenz",
    )
    photo.save()
    article = Article(
        title=f"Neue Meldung {token} zur Sperrfrist",
        lead="Vorspann der Meldung mit Sperrfrist.",
        body="<p>Text der Meldung mit Sperrfrist.</p>",
        lead_photo=photo,
    )
    article.edit(by=writer)
    topic = Topic.objects.first()
    if topic is not None:
        article.topics.add(topic)
    article.submit(by=writer)
    minute = math.ceil(time.time()) + lead
    article.publish(by=approver, at=datetime.fromtimestamp(minute, UTC))
    article.refresh_from_db()
    photo.refresh_from_db()
    paths = {
        "index": "/",
        "article": article.get_absolute_url(),
        "photo": photo.display["url"],
        "rss": "/feed/rss/",
    }
    return {
        "minute": minute,
        "token": token,
        "article_pk": article.pk,
        "photo_pk": photo.pk,
        "paths": {kind: urllib.parse.quote(path, safe="/?=&") for kind, path in paths.items()},
    }


def remove(article_pk: int, photo_pk: int) -> dict:
    """(Side process) deletes the burst's article and photo, so that a reused bench database
    holds only the bench's articles."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from press.models import Article, Photo

    articles, _ = Article.objects.filter(pk=article_pk).delete()
    photos, _ = Photo.objects.filter(pk=photo_pk).delete()
    return {"articles": articles, "photos": photos}


def run_burst(env: dict, port: int, seconds: float, clients: int) -> dict:
    """The release minute against the gunicorn on `port` started with `env` (whose
    PUBLIC_CACHE_RENDER_LOG, if set, names the render log). Returns `judge()`'s report with
    "clients", "seconds", "minute" and "paths"."""
    lead = float(os.environ.get("BURST_LEAD_SECONDS", "4"))
    scheduled = side(env, "--schedule", str(lead))
    minute, paths = scheduled["minute"], scheduled["paths"]
    token = scheduled["token"].encode()
    try:
        if time.time() > minute - 0.5:
            raise RuntimeError("scheduling took longer than BURST_LEAD_SECONDS; raise it")
        early = asyncio.run(ask_once(port, paths, token))
        samples = asyncio.run(ask_all(port, paths, token, clients, minute, seconds))
    finally:
        side(env, "--remove", str(scheduled["article_pk"]), str(scheduled["photo_pk"]))
    log = env.get("PUBLIC_CACHE_RENDER_LOG")
    renders = None
    if log and Path(log).exists():
        with open(log, encoding="utf-8") as lines:
            renders = count_renders(lines, minute, paths.values())
    report = judge(samples, minute, seconds, renders, paths, early)
    return {"clients": clients, "seconds": seconds, "minute": minute, "paths": paths} | report


if __name__ == "__main__":
    if sys.argv[1:2] == ["--schedule"]:
        print(json.dumps(schedule(float(sys.argv[2]))))
    elif sys.argv[1:2] == ["--remove"]:
        print(json.dumps(remove(int(sys.argv[2]), int(sys.argv[3]))))
    else:
        sys.exit(__doc__)
