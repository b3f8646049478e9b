"""Lock a key (an account, an IP, a child's PIN) after repeated failures, counted in the cache.

A locked caller gets 429 with the time it may try again, whether or not its next attempt would
have been right, so guessing cannot continue through a lock.
"""

from __future__ import annotations

import logging
import math
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from happy_partner.errors import ApplicationError, Failure

logger = logging.getLogger(__name__)


def _keys(kind: str, key: str) -> tuple[str, str]:
    return f"lockout:{kind}:fails:{key}", f"lockout:{kind}:until:{key}"


def lockout_check(*, kind: str, key: str) -> None:
    """Raise ``locked_out`` (429) while ``key`` is locked for ``kind``."""
    until_key = _keys(kind, key)[1]
    until = cache.get(until_key)
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
    cache.delete_many(list(_keys(kind, key)))
