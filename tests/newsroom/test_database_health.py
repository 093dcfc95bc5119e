"""The PostgreSQL health check of newsroom/database/postgresql/base.py: a healthy connection is
reused without a round trip, a connection the server ended is still found and replaced."""

from __future__ import annotations

import select
import time

import psycopg2
import pytest
from django.db import close_old_connections, connection

from press.models import Article

pytestmark = pytest.mark.postgres_only


def on_a_second_connection(sql: str, pid: int):
    """The first value `sql` (with the backend `pid` as its parameter) answers on a connection
    of its own."""
    other = psycopg2.connect(**connection.get_connection_params())
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute(sql, [pid])
            return cursor.fetchone()[0]
    finally:
        other.close()


def last_statement_of(pid: int) -> str:
    """What the server last ran for the backend `pid`."""
    return on_a_second_connection("SELECT query FROM pg_stat_activity WHERE pid = %s", pid)


def test_the_health_check_of_a_healthy_connection_sends_nothing_to_the_server(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid() AS marker_of_this_test")
        pid = cursor.fetchone()[0]
    assert "marker_of_this_test" in last_statement_of(pid)

    assert connection.is_usable()

    assert "marker_of_this_test" in last_statement_of(pid)  # no SELECT 1 since


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_ended_is_replaced_before_the_next_request():
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    assert on_a_second_connection("SELECT pg_terminate_backend(%s)", pid)
    # The server's word arrives a moment after pg_terminate_backend() returns.
    socket = connection.connection.fileno()
    deadline = time.monotonic() + 5
    while not select.select([socket], [], [], 0.05)[0] and time.monotonic() < deadline:
        pass

    assert not connection.is_usable()
    close_old_connections()  # what Django does when a request starts
    assert Article.objects.count() == 0  # a new connection, no error
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
