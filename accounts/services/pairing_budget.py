"""The global budget of failed 6-digit pairings, counted across all addresses in the cache.

A per-IP lockout does not stop a guesser with many addresses: with N six-digit codes live, every
guess anywhere has about N / 1,000,000 chances of pairing a stranger's device. So every 6-digit
attempt, from whichever address, is admitted against one shared budget per clock-aligned window
(``settings.PAIRING_SHORT_CODE_BUDGET``: failures, window seconds); an attempt that pairs gives its
place back. Once the window's budget is spent, 6-digit pairing answers ``429 pairing_busy`` with
``Retry-After`` until the next window, so at most ``failures`` wrong codes are ever tried per window
and an attacker's expected successes per window stay below ``failures × N / 10**6`` whatever their
number of addresses (docs/API_SPEC.md §8 has the arithmetic).

Long codes and device-initiated pairing are not counted and never refused by the budget: they
cannot be guessed, so spending the budget cannot lock any family out of pairing, only slow the
keypad path for one window at a time.

The count is taken before the code is looked at (an atomic increment), so concurrent attempts
cannot overshoot it. While the cache is unreachable the budget cannot be counted: pairing fails
closed with ``503 temporarily_unavailable``, like every credential check (happy_partner.degraded).
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


def _window() -> tuple[str, float, int]:
    """The current window's counter key, when it ends (epoch seconds), and its length."""
    _failures, length = settings.PAIRING_SHORT_CODE_BUDGET
    index = math.floor(time.time() / length)
    return f"pairing:budget:short:{index}", (index + 1) * length, length


def pairing_budget_spend() -> str:
    """Admit one 6-digit attempt against the window's budget, or refuse it (429 ``pairing_busy``).

    Returns the window's key, for :func:`pairing_budget_refund`."""
    allowed, _length = settings.PAIRING_SHORT_CODE_BUDGET
    key, ends_at, length = _window()
    try:
        cache.add(key, 0, timeout=length + 60)
        try:
            spent = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=length + 60)
            spent = 1
    except CACHE_ERRORS:
        logger.warning("pairing refused, global budget not countable: cache unavailable")
        raise temporarily_unavailable() from None
    if spent <= allowed:
        return key
    if spent == allowed + 1:
        logger.warning("pairing budget spent: 6-digit pairing paused until the window ends")
    remaining = max(1, math.ceil(ends_at - time.time()))
    retry_at = datetime.fromtimestamp(math.ceil(ends_at / 60) * 60, tz=UTC)
    raise ApplicationError(
        code="pairing_busy",
        message=_(
            "Too many wrong pairing codes are being tried right now, so 6-digit codes are paused until "
            "%(time)s. Try again then, or pair with a long code or a code shown on the device."
        )
        % {"time": retry_at.strftime("%Y-%m-%d %H:%M UTC")},
        kind=Failure.THROTTLED,
        retry_after=remaining,
    )


def pairing_budget_refund(*, key: str) -> None:
    """Give back the place of an attempt that named a live code: the budget counts failures only."""
    try:
        cache.decr(key)
    except ValueError:  # the window's count expired meanwhile: nothing to give back
        pass
    except CACHE_ERRORS:  # best effort: at worst the window counts one failure too many
        logger.warning("pairing budget not refunded: cache unavailable")
