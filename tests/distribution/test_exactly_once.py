"""Exactly once (issue 14, acceptance): two real task workers (`manage.py db_worker`) send one
release to 500 subscribers through a real SMTP server; the server holds one message without
answering, the worker in that SMTP transaction is killed (SIGKILL) and a new one started; every
subscriber receives exactly one mail.

PostgreSQL only (deselected on SQLite): the worker processes share the test database, which
pytest-django's in-memory SQLite cannot be, and PostgreSQL is the production database.
"""

import asyncio
import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from distribution import sending
from distribution.models import Delivery, Subscriber
from distribution.tasks import send_deliveries
from tests.conftest import aiosmtpd_controller

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[2]
SUBSCRIBERS = 500
HOLD = 150  # the message the server holds without answering
LEASE = 6  # seconds; EMAIL_TIMEOUT below it


class HoldingServer:
    """aiosmtpd on 127.0.0.1 that accepts every message except the HOLD-th, which it never
    answers; `held` is set then, with the client's port in `peer_port`."""

    def __init__(self):
        self.received: list = []
        self.held = threading.Event()
        self.peer_port = None
        self.count = 0
        server = self

        class Handler:
            async def handle_DATA(self, smtp, session, envelope):
                server.count += 1
                if server.count == HOLD:
                    server.peer_port = session.peer[1]
                    server.held.set()
                    await asyncio.sleep(3600)
                server.received.append(
                    email.message_from_bytes(envelope.content, policy=email.policy.default)
                )
                return "250 2.0.0 OK"

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = aiosmtpd_controller()(Handler(), hostname="127.0.0.1", port=self.port)


def owner_of_port(port: int, pids: list[int]) -> int:
    """Which of `pids` holds the TCP connection whose local port is `port` (Linux /proc)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port:
            inodes.add(fields[9])
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in inodes:
                return pid
    raise AssertionError(f"no worker holds port {port}")


def worker_environment(smtp_port: int) -> dict:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    url = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_TIMEOUT": str(LEASE - 1),
        "DISTRIBUTION_LEASE_SECONDS": str(LEASE),
        "DISTRIBUTION_RATE_PER_MINUTE": "100000",
    }


def start_worker(environment: dict, name: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2",
         "--no-startup-delay", "--worker-id", name, "--verbosity", "0"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def test_every_subscriber_gets_exactly_one_mail_when_a_worker_dies_mid_send(
    published_article,
):
    Subscriber.objects.bulk_create(
        Subscriber(email=f"leser{number:03}@example.org", state="confirmed", token=f"t{number}")
        for number in range(SUBSCRIBERS)
    )
    assert (
        sending.distribute(
            published_article, "release", sending.release_recipients(published_article)
        )
        == SUBSCRIBERS
    )
    # A second batch of the same release: both workers send it at once.
    send_deliveries.enqueue(published_article.pk, "release")
    server = HoldingServer()
    server.controller.start()
    environment = worker_environment(server.port)
    workers = [start_worker(environment, name) for name in ("worker-a", "worker-b")]
    try:
        assert server.held.wait(timeout=30), "the held message never came"
        victim = owner_of_port(server.peer_port, [worker.pid for worker in workers])
        os.kill(victim, signal.SIGKILL)
        workers.append(start_worker(environment, "worker-c"))

        deadline = time.monotonic() + 90  # a bound for a broken build, not a speed test
        while time.monotonic() < deadline:
            if not Delivery.objects.exclude(status="sent").exists():
                break
            time.sleep(0.5)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
        server.controller.stop()

    received = Counter(
        message["To"].addresses[0].addr_spec
        for message in server.received
        if str(message["Message-ID"]).strip().startswith("<verteiler.")
    )
    assert len(received) == SUBSCRIBERS
    assert set(received.values()) == {1}
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    # The held one was claimed twice: by the killed worker, and after its lease by another.
    assert Delivery.objects.filter(attempts=2).count() == 1
