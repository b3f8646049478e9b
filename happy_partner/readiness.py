"""Readiness probes: is every part the product needs reachable from this process?"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection
from kombu.exceptions import OperationalError as BrokerError

from happy_partner.celery import app as celery_app
from happy_partner.degraded import CACHE_ERRORS, is_database_outage

OUTAGE_ERRORS: tuple[type[Exception], ...] = (*CACHE_ERRORS, BrokerError)


def _is_outage(exc: Exception) -> bool:
    return isinstance(exc, OUTAGE_ERRORS) or is_database_outage(exc)


logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return the value just written")
    cache.delete(key)


def _channel_layer() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")

    async def round_trip() -> None:
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "readyz.check"})
        message = await layer.receive(channel)
        if message.get("type") != "readyz.check":
            raise RuntimeError("channel layer returned another message")

    async_to_sync(round_trip)()


def _broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "cache": _cache,
    "channel_layer": _channel_layer,
    "broker": _broker,
}


def readiness_report() -> dict[str, str]:
    """Run every check; a failing one is named with "error" (its details go to the log only)."""
    report: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:
            if _is_outage(exc):
                # An outage, probed every few seconds while it lasts: one line each, not a traceback.
                logger.warning("readiness check %s failed: %s: %s", name, type(exc).__name__, exc)
            else:
                logger.exception("readiness check %s failed", name)
            report[name] = "error"
        else:
            report[name] = "ok"
    return report
