"""Typed readers for environment variables.

Every setting that comes from the environment goes through these helpers so that a malformed
value stops the process at start-up with the variable's name, instead of silently falling back
to a default that would behave differently in production.
"""

from __future__ import annotations

import os
from typing import Any, overload
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@overload
def env_str(name: str, default: str) -> str: ...
@overload
def env_str(name: str, default: None = None) -> str | None: ...


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = env_str(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, got {value}")
    return value


def env_float(name: str, default: float, *, minimum: float, maximum: float) -> float:
    raw = env_str(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}") from None
    if not minimum <= value <= maximum:  # also refuses nan
        raise ImproperlyConfigured(f"{name} must be between {minimum} and {maximum}, got {raw!r}")
    return value


def env_cron(name: str, default: str) -> str:
    """Five cron fields (minute hour day-of-month month day-of-week), as celery's crontab reads them."""
    value = env_str(name, default)
    assert value is not None
    fields = value.split()
    try:
        from celery.schedules import crontab

        if len(fields) != 5:
            raise ValueError("five fields")
        crontab(*fields)
    except (ValueError, TypeError) as exc:
        example = "'30 2 * * *'"
        raise ImproperlyConfigured(f"{name} must be a cron schedule such as {example}, got {value!r}: {exc}") from None
    return " ".join(fields)


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env_str(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = env_str(name, default)
    assert value is not None
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {sorted(choices)}, got {value!r}")
    return value


def env_redis_url(name: str) -> str | None:
    value = env_str(name)
    if value is None:
        return None
    scheme = urlsplit(value).scheme
    if scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(f"{name} must be a redis://, rediss:// or unix:// URL, got scheme {scheme!r}")
    return value


_BROKER_SCHEMES = {"redis", "rediss", "amqp", "amqps", "pyamqp", "sqs", "filesystem"}


def env_broker_url(name: str) -> str | None:
    value = env_str(name)
    if value is None:
        return None
    scheme = urlsplit(value).scheme
    if scheme not in _BROKER_SCHEMES:
        raise ImproperlyConfigured(f"{name} must be a Celery broker URL ({sorted(_BROKER_SCHEMES)}), got {scheme!r}")
    return value


SQLITE_OPTIONS = {
    # WAL + IMMEDIATE let the web server and the worker write to one file without "database is
    # locked" errors under light load.
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
_DATABASE_EXAMPLES = "postgres://user:password@host:5432/happy_partner or sqlite:///var/db.sqlite3"


def database_from_url(name: str, url: str, *, pool_max: int, pool_timeout: int = 10) -> dict:
    """A Django DATABASES entry from a database URL, parsed by dj-database-url (its conventions:
    ``postgres://user:pass@host:port/db?option=value``, ``sqlite:///relative/path``,
    ``sqlite:////absolute/path``, ``sqlite://:memory:``). PostgreSQL and SQLite only.

    PostgreSQL uses psycopg 3's connection pool: opening a connection per request costs more than
    the request, and under ASGI (the realtime server) Django cannot keep connections between
    requests (CONN_MAX_AGE); gunicorn's workers and Celery's threads borrow from the pool too.
    SQLite gets the embedded default's settings (:data:`SQLITE_OPTIONS`).
    """
    try:
        db: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
    except ValueError as exc:  # an unknown scheme, a bad port, an unparsable URL
        raise ImproperlyConfigured(f"{name} must be a database URL such as {_DATABASE_EXAMPLES}: {exc}") from None
    engine = db["ENGINE"].rsplit(".", 1)[-1]
    if engine == "sqlite3":
        db["OPTIONS"] = {**SQLITE_OPTIONS, **db.get("OPTIONS", {})}
        return db
    if engine != "postgresql":
        raise ImproperlyConfigured(f"{name} must be a postgres:// or sqlite:// URL, got {url.partition(':')[0]!r}")
    if not db["NAME"]:
        raise ImproperlyConfigured(f"{name} must name a database, e.g. postgres://user@host:5432/happy_partner")
    db["OPTIONS"] = {"pool": {"min_size": 1, "max_size": pool_max, "timeout": pool_timeout}, **db.get("OPTIONS", {})}
    db["PORT"] = str(db["PORT"])
    # The pool checks a connection before lending it, so connections a PostgreSQL restart
    # closed are replaced instead of failing one request each.
    db["CONN_HEALTH_CHECKS"] = True
    db["TEST"] = {"NAME": f"test_{db['NAME']}"}
    return db


_RATE_PERIODS = {"s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day"}


def env_rate(name: str, default: str) -> str:
    """A DRF throttle rate such as ``60/min``; checked here so a typo cannot 500 every request."""
    value = env_str(name, default)
    assert value is not None
    count, _, period = value.partition("/")
    if not count.isdigit() or period not in _RATE_PERIODS:
        raise ImproperlyConfigured(f"{name} must look like 60/min (periods: s, min, hour, day), got {value!r}")
    return value


def env_llm_provider() -> str:
    """``LLM_PROVIDER``: read by the settings and by the web server's configuration alike."""
    return env_choice("LLM_PROVIDER", "builtin", {"builtin", "openai"})


def env_llm_timeout_seconds() -> int:
    """``LLM_TIMEOUT_SECONDS``, one total deadline per LLM call (settings and web server alike)."""
    return env_int("LLM_TIMEOUT_SECONDS", 20, minimum=1, maximum=300)
