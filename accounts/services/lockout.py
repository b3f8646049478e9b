"""Lock a key (an account, an IP, a child's PIN) after repeated failures, counted in the cache.

Every attempt is counted *before* its secret is looked at, with one atomic increment
(:func:`lockout_admit`), as the global pairing budget does: concurrent attempts cannot all read "not
locked yet" and then all be examined, so at most ``limit`` secrets per key are ever examined in a
window. An attempt that turns out not to be a failed guess gives its place back
(:func:`lockout_refund`) or, where a success proves the caller, clears the count
(:func:`lockout_reset`). A wrong one (:func:`lockout_record_failure`) engages the lock once the
limit is reached. A locked caller gets 429 with the time it may try again, whether or not its next
attempt would have been right, so guessing cannot continue through a lock.

The counts live in the cache. While it is unreachable a lock can be neither checked nor counted,
so admitting fails closed: ``503 temporarily_unavailable`` with ``Retry-After``, never a silent
pass (django-redis' ``IGNORE_EXCEPTIONS`` would make every lockout fail open). Engaging a lock,
giving a place back and clearing a count are best effort: the attempt was counted when it was
admitted, and a count left behind expires on its own.
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


def _locked_out(until: float) -> ApplicationError:
    remaining = max(1, math.ceil(until - time.time()))
    # Round up to the minute shown, so "try again at 10:05" is never a minute too early.
    retry_at = datetime.fromtimestamp(math.ceil(until / 60) * 60, tz=UTC)
    return ApplicationError(
        code="locked_out",
        message=_("Too many failed attempts. Try again at %(time)s.")
        % {"time": retry_at.strftime("%Y-%m-%d %H:%M UTC")},
        kind=Failure.THROTTLED,
        retry_after=remaining,
    )


def _engage(*, kind: str, key: str) -> float:
    """Lock ``key`` for the window (unless it already is); returns when the lock ends.

    The count is kept, not cleared, and ends with the lock: an attempt racing the lock is then
    still counted over the limit and refused, and the next window starts afresh."""
    _limit, window = settings.LOCKOUT[kind]
    fails_key, until_key = _keys(kind, key)
    until = time.time() + window
    if not cache.add(until_key, until, timeout=window):
        current = cache.get(until_key)
        if current is not None and current > time.time():
            return float(current)  # already locked: keep its time
        cache.set(until_key, until, timeout=window)
    cache.touch(fails_key, window)
    logger.warning("lockout engaged kind=%s", kind)
    return until


def lockout_admit(*, kind: str, key: str) -> None:
    """Count one attempt for ``key`` before its secret is examined, or refuse it.

    Raises ``locked_out`` (429) while ``key`` is locked or once this attempt would exceed the
    limit (which locks it); 503 if the count cannot be taken."""
    limit, window = settings.LOCKOUT[kind]
    fails_key, until_key = _keys(kind, key)
    try:
        until = cache.get(until_key)
        if until is None or until <= time.time():
            if until is not None:  # a lock just ended (its key outlives it by a moment): start afresh
                cache.delete_many([fails_key, until_key])
            cache.add(fails_key, 0, timeout=window)
            try:
                attempts = cache.incr(fails_key)
            except ValueError:  # expired between add and incr
                cache.set(fails_key, 1, timeout=window)
                attempts = 1
            if attempts <= limit:
                return
            until = _engage(kind=kind, key=key)
    except CACHE_ERRORS:
        logger.warning("lockout not checkable, cache unavailable kind=%s", kind)
        raise temporarily_unavailable() from None
    raise _locked_out(float(until))


def lockout_record_failure(*, kind: str, key: str) -> None:
    """The admitted attempt was wrong: it stays counted, and the limit-th one locks the key."""
    limit, _window = settings.LOCKOUT[kind]
    try:
        if (cache.get(_keys(kind, key)[0]) or 0) >= limit:
            _engage(kind=kind, key=key)
    except CACHE_ERRORS:  # the failure was counted on admission; the next attempt fails closed
        logger.warning("lockout not engaged, cache unavailable kind=%s", kind)


def lockout_refund(*, kind: str, key: str) -> None:
    """The admitted attempt was not a failed guess (right, or refused for another reason): give
    its place back without clearing the failures counted before it."""
    try:
        cache.decr(_keys(kind, key)[0])
    except ValueError:  # the count expired meanwhile: nothing to give back
        pass
    except CACHE_ERRORS:  # best effort: at worst the window counts one attempt too many
        logger.warning("lockout attempt not refunded, cache unavailable kind=%s", kind)


def lockout_reset(*, kind: str, key: str) -> None:
    try:
        cache.delete_many(list(_keys(kind, key)))
    except CACHE_ERRORS:
        logger.warning("lockout count not cleared, cache unavailable kind=%s", kind)
