"""What a request does while a backing service is unreachable.

The cache (Redis in production) is not the system of record: while it is down children are still
answered, crises stored and escalated, and parents can still read. What the cache protects decides
what happens meanwhile (README "When Redis or PostgreSQL is down", API_SPEC §10):

- request-rate throttles fail **open** (a warning in the log), so nobody is locked out of the
  product by an outage of a counter;
- the credential endpoints (registration, sign-in, pairing, the parent PIN) fail **closed** with
  ``503 temporarily_unavailable`` and ``Retry-After``: the rate limit and the lockout that stop
  guessing cannot be counted, and answering without them would let guessing run unchecked;
- the database being unreachable is ``503 database_unavailable``, never a 500; any other database
  error (a deadlock, a statement timeout, a missing table) is a bug or an overload to see: the
  normal 500, logged with its traceback (:func:`is_database_outage` decides).
"""

from __future__ import annotations

import sqlite3

from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

from happy_partner.errors import ApplicationError, Failure

# Seconds a client is told to wait before trying again during an outage.
RETRY_AFTER_SECONDS = 30

# Raised by django-redis (it re-raises redis-py's own errors) when Redis is down, refuses, or times out.
CACHE_ERRORS: tuple[type[Exception], ...] = (RedisError, ConnectionInterrupted)

# PostgreSQL's SQLSTATEs of a server going away or not taking connections (besides class 08,
# connection exceptions): admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections.
OUTAGE_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "53300"})
# SQLite's: another process holds the write lock too long, or the file cannot be opened.
SQLITE_OUTAGE_MESSAGES = ("database is locked", "unable to open database")


def is_database_outage(exc: BaseException | None) -> bool:
    """Whether ``exc`` means the database cannot be reached right now (answer 503, retry later),
    rather than a failing statement (a deadlock, a statement timeout, "no such table": a 500).

    Django wraps the driver's error in its own (``__cause__``): psycopg's connection failures and
    pool timeouts carry no SQLSTATE; a server going away has class 08 or one of OUTAGE_SQLSTATES.
    """
    if isinstance(exc, InterfaceError):  # the connection is closed or unusable
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if isinstance(cause, sqlite3.Error):
        message = str(cause).lower()
        return any(text in message for text in SQLITE_OUTAGE_MESSAGES)
    sqlstate = getattr(cause, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith("08") or sqlstate in OUTAGE_SQLSTATES


def _unavailable(code: str, message: str) -> ApplicationError:
    return ApplicationError(
        code=code,
        message=message % {"seconds": RETRY_AFTER_SECONDS},
        kind=Failure.UNAVAILABLE,
        retry_after=RETRY_AFTER_SECONDS,
    )


def temporarily_unavailable() -> ApplicationError:
    """A credential check that cannot be made safely right now: try again shortly."""
    return _unavailable(
        "temporarily_unavailable", _("This is not available for a moment. Please try again in %(seconds)d seconds.")
    )


def database_unavailable() -> ApplicationError:
    return _unavailable(
        "database_unavailable", _("The service is unavailable for a moment. Please try again in %(seconds)d seconds.")
    )
