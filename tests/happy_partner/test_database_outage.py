"""Which database errors are an outage (503 database_unavailable, no traceback) and which are bugs
(the normal 500, logged with its traceback): happy_partner.degraded.is_database_outage."""

from __future__ import annotations

import logging
import sqlite3

import psycopg
import pytest
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.test import RequestFactory
from psycopg import errors as pg_errors
from psycopg_pool import PoolTimeout

from happy_partner.api.errors import api_exception_handler
from happy_partner.degraded import is_database_outage
from happy_partner.urls import server_error


def _wrapped(cause: Exception) -> OperationalError:
    """What Django raises: its own OperationalError, the driver's error as the cause."""
    try:
        try:
            raise cause
        except Exception as driver_error:
            raise OperationalError(*driver_error.args) from driver_error
    except OperationalError as exc:
        return exc


OUTAGES = {
    "psycopg connection failed": _wrapped(psycopg.OperationalError("connection failed: Connection refused")),
    "pool timeout": _wrapped(PoolTimeout("couldn't get a connection after 3.00 sec")),
    "connection dropped (08006)": _wrapped(pg_errors.ConnectionFailure("server closed the connection")),
    "admin shutdown (57P01)": _wrapped(pg_errors.AdminShutdown("terminating connection")),
    "starting up (57P03)": _wrapped(pg_errors.CannotConnectNow("the database system is starting up")),
    "sqlite locked": _wrapped(sqlite3.OperationalError("database is locked")),
    "sqlite cannot open": _wrapped(sqlite3.OperationalError("unable to open database file")),
    "interface error": InterfaceError("connection already closed"),
}
BUGS = {
    "deadlock (40P01)": _wrapped(pg_errors.DeadlockDetected("deadlock detected")),
    "statement timeout (57014)": _wrapped(pg_errors.QueryCanceled("canceling statement due to statement timeout")),
    "sqlite no such table": _wrapped(sqlite3.OperationalError("no such table: conversations_message")),
    "sqlite syntax": _wrapped(sqlite3.OperationalError('near "SELEC": syntax error')),
}


@pytest.mark.parametrize("exc", OUTAGES.values(), ids=OUTAGES.keys())
def test_an_unreachable_database_is_a_503_without_a_traceback(exc, caplog):
    assert is_database_outage(exc)
    response = api_exception_handler(exc, {"view": None})
    assert response.status_code == 503
    assert response.data["error"]["code"] == "database_unavailable"
    assert not [r for r in caplog.records if r.exc_info]


@pytest.mark.parametrize("exc", BUGS.values(), ids=BUGS.keys())
def test_a_deadlock_timeout_or_missing_table_is_a_500_logged_with_its_traceback(exc, caplog):
    assert not is_database_outage(exc)
    with caplog.at_level(logging.ERROR, logger="happy_partner.api.errors"):
        try:  # DRF calls the handler while the view's exception is being handled
            raise exc
        except DatabaseError:
            response = api_exception_handler(exc, {"view": None})
    assert response.status_code == 500
    assert response.data["error"]["code"] == "server_error"
    assert [r for r in caplog.records if r.exc_info and r.exc_info[1] is exc]
    request = RequestFactory().get("/api/v1/me/")
    try:
        raise exc
    except DatabaseError:
        assert server_error(request).status_code == 500


@pytest.mark.django_db
def test_a_real_error_of_the_database_in_use_is_not_an_outage():
    """SQLite's "no such table" is an OperationalError; PostgreSQL's statement timeout too."""
    with pytest.raises(DatabaseError) as raised, transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL statement_timeout = 1")
            cursor.execute("SELECT pg_sleep(1)")
        else:
            cursor.execute("SELECT * FROM no_such_table")
    assert isinstance(raised.value, OperationalError)
    assert not is_database_outage(raised.value)
    assert api_exception_handler(raised.value, {"view": None}).status_code == 500
