"""Django's PostgreSQL backend, with a health check that asks the connection's socket before it
asks the server.

With CONN_HEALTH_CHECKS (settings.DATABASES), Django checks a reused connection before the first
query of every request; its PostgreSQL backend does so with `SELECT 1`, a round trip to the
server on every request (Django docs, "Databases: Persistent connections": "health checks").
A connection the server has ended — a restart, a failover, `pg_terminate_backend()`, an idle
timeout — has told the client so: PostgreSQL sends an ErrorResponse and closes the socket,
and either makes the socket readable. An idle connection in good health has nothing to read,
since libpq reads every answer in full. So: nothing to read → usable, without asking; anything
to read → Django's `SELECT 1` decides, as before. What neither check can see quickly is a
network that drops packets silently; `SELECT 1` would wait there for TCP's timeout too.

Speed trick, kept because it pays: measured 2026-12-01 (20,000 articles on PostgreSQL, page
cache off, `make bench` with 3 s per page, one run each on a shared machine whose figures vary
by about 15 % between runs) an uncached article page went from 562 to 641 requests/s (+14 %),
the RSS feed from 759 to 911 (+20 %) and the topic page from 460 to 572 (+24 %) without the
extra round trip; in the worker, an uncached article page took 2.26 → 1.72 ms of wall time.
Tests: tests/newsroom/test_database_health.py."""

from __future__ import annotations

import select

from django.db.backends.postgresql.base import Database
from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLDatabaseWrapper


class DatabaseWrapper(PostgreSQLDatabaseWrapper):
    """Django's PostgreSQL DatabaseWrapper; only `is_usable()` differs."""

    def is_usable(self) -> bool:
        """False if the connection is gone; True without a query if its socket has nothing to
        read; otherwise Django's check (`SELECT 1`)."""
        connection = self.connection
        if connection is None or connection.closed:
            return False
        try:
            readable, _writable, _failed = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError, Database.Error):
            return False
        if not readable:
            return True
        return super().is_usable()
