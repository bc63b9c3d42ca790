"""The PostgreSQL health check (web/core/postgresql): no round trip while a persistent
connection is quiet, and a connection the server has dropped is still found and replaced."""

from __future__ import annotations

import pytest
from django.db import connections
from django.db.backends.postgresql import base as django_postgresql

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def on_postgresql():
    connection = connections["default"]
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL (scripts/with-postgres)")
    assert type(connection).__module__ == "keepitlocal.web.core.postgresql.base"
    return connection


@pytest.fixture
def select_one_checks(monkeypatch):
    """How many times Django's own `SELECT 1` check ran."""
    calls: list[None] = []
    original = django_postgresql.DatabaseWrapper.is_usable

    def counted(self):  # type: ignore[no-untyped-def]
        calls.append(None)
        return original(self)

    monkeypatch.setattr(django_postgresql.DatabaseWrapper, "is_usable", counted)
    return calls


def test_a_quiet_connection_is_usable_without_a_query(on_postgresql, select_one_checks):
    connection = on_postgresql
    connection.ensure_connection()
    for _ in range(5):
        assert connection.is_usable()
    assert select_one_checks == []


def test_a_connection_the_server_ended_is_found_and_replaced(on_postgresql, select_one_checks):
    connection = on_postgresql
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            # With a timeout the call returns only once the backend has gone (PostgreSQL 14+),
            # so its goodbye is on the socket before the check below: no race with the server.
            cursor.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])
            assert cursor.fetchone()[0], "the backend did not end within 10 s"
    finally:
        other.close()
    # The server's goodbye is waiting on the socket: the full check runs and fails.
    usable = connection.is_usable()
    assert select_one_checks
    if usable:
        connection.close()  # dead: leave the test database usable for the teardown
        pytest.fail("a terminated connection was still reported usable")
    # What Django does at the start of a request: the dead connection is replaced, no error.
    connection.health_check_done = False
    connection.close_if_health_check_failed()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
