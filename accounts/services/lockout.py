"""Lock a key (an account, an IP, a child's PIN) after repeated failures, counted in the cache.

A locked caller gets 429 with the time it may try again, whether or not its next attempt would
have been right, so guessing cannot continue through a lock.

The counts live in the cache. While it is unreachable a lock can be neither checked nor counted,
so checking and counting fail closed: ``503 temporarily_unavailable`` with ``Retry-After``, never
a silent pass (django-redis' ``IGNORE_EXCEPTIONS`` would make every lockout fail open). Clearing a
count after a success is best effort: a count left behind expires on its own.
"""

from __future__ import annotations

import logging
import math
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from happy_partner.degraded import CACHE_ERRORS, temporarily_unavailable
from happy_partner.errors import ApplicationError, Failure

logger = logging.getLogger(__name__)


def _keys(kind: str, key: str) -> tuple[str, str]:
    return f"lockout:{kind}:fails:{key}", f"lockout:{kind}:until:{key}"


def lockout_check(*, kind: str, key: str) -> None:
    """Raise ``locked_out`` (429) while ``key`` is locked for ``kind``; 503 if that cannot be known."""
    until_key = _keys(kind, key)[1]
    try:
        until = cache.get(until_key)
    except CACHE_ERRORS:
        logger.warning("lockout not checkable, cache unavailable kind=%s", kind)
        raise temporarily_unavailable() from None
    if until is None:
        return
    remaining = int(until - time.time())
    if remaining <= 0:
        return
    # Round up to the minute shown, so "try again at 10:05" is never a minute too early.
    retry_at = datetime.fromtimestamp(math.ceil(until / 60) * 60, tz=UTC)
    raise ApplicationError(
        code="locked_out",
        message=_("Too many failed attempts. Try again at %(time)s.")
        % {"time": retry_at.strftime("%Y-%m-%d %H:%M UTC")},
        kind=Failure.THROTTLED,
        retry_after=remaining,
    )


def lockout_record_failure(*, kind: str, key: str) -> None:
    """Count a failure; 503 if it cannot be counted (the attempt failed either way)."""
    try:
        _record_failure(kind=kind, key=key)
    except CACHE_ERRORS:
        logger.warning("lockout failure not counted, cache unavailable kind=%s", kind)
        raise temporarily_unavailable() from None


def _record_failure(*, kind: str, key: str) -> None:
    limit, window = settings.LOCKOUT[kind]
    fails_key, until_key = _keys(kind, key)
    cache.add(fails_key, 0, timeout=window)
    try:
        failures = cache.incr(fails_key)
    except ValueError:  # expired between add and incr
        cache.set(fails_key, 1, timeout=window)
        failures = 1
    if failures >= limit:
        cache.set(until_key, time.time() + window, timeout=window)
        cache.delete(fails_key)
        logger.warning("lockout engaged kind=%s", kind)


def lockout_reset(*, kind: str, key: str) -> None:
    try:
        cache.delete_many(list(_keys(kind, key)))
    except CACHE_ERRORS:
        logger.warning("lockout count not cleared, cache unavailable kind=%s", kind)
