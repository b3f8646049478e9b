"""What a request does while a backing service is unreachable.

The cache (Redis in production) is not the system of record: while it is down children are still
answered, crises stored and escalated, and parents can still read. What the cache protects decides
what happens meanwhile (README "When Redis or PostgreSQL is down", API_SPEC §10):

- request-rate throttles fail **open** (a warning in the log), so nobody is locked out of the
  product by an outage of a counter;
- the credential endpoints (registration, sign-in, pairing, the parent PIN) fail **closed** with
  ``503 temporarily_unavailable`` and ``Retry-After``: the rate limit and the lockout that stop
  guessing cannot be counted, and answering without them would let guessing run unchecked;
- the database being unreachable is ``503 database_unavailable``, never a 500.
"""

from __future__ import annotations

from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

from happy_partner.errors import ApplicationError, Failure

# Seconds a client is told to wait before trying again during an outage.
RETRY_AFTER_SECONDS = 30

# Raised by django-redis (it re-raises redis-py's own errors) when Redis is down, refuses, or times out.
CACHE_ERRORS: tuple[type[Exception], ...] = (RedisError, ConnectionInterrupted)

# Raised by Django when PostgreSQL is unreachable, restarting, or dropped the connection.
DATABASE_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)


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
