"""A small, thread-safe circuit breaker for calls to a remote LLM server.

When the server is down or overloaded, every chat message would otherwise wait for a full timeout
before falling back to the builtin engine. The breaker remembers consecutive failures and, once
there are ``failure_threshold`` of them, fails fast for ``reset_seconds`` (the child gets the
builtin reply at once). Then it lets exactly one trial call through ("half-open"): success closes
the circuit, failure opens it for another ``reset_seconds``.

State lives in the process, not in Redis, on purpose: each worker protects itself, the state is
three numbers that a worker relearns from at most ``failure_threshold`` failed calls, and a shared
breaker would put a cache round trip (and a new failure mode) in front of every LLM call. With W
workers the server sees at most W × ``failure_threshold`` failing calls per outage, then one trial
per worker per ``reset_seconds``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from enum import StrEnum

from conversations.providers.base import ProviderError


class CircuitState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitOpenError(ProviderError):
    """Raised instead of calling a server that is known to be failing (no request is made)."""


class CircuitBreaker:
    """Closed → open after N consecutive failures → half-open after ``reset_seconds`` → closed or open.

    Usage: ``if not breaker.allow(): raise CircuitOpenError(...)``, then exactly one of
    ``record_success()``, ``record_failure()`` or ``release()`` per allowed call. ``clock`` returns
    monotonic seconds and is injectable so tests can move time without sleeping.
    """

    def __init__(
        self,
        failure_threshold: int,
        reset_seconds: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        name: str = "llm",
    ) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        if reset_seconds <= 0:
            raise ValueError("reset_seconds must be positive")
        self.failure_threshold = failure_threshold
        self.reset_seconds = float(reset_seconds)
        self.name = name
        self._clock = clock
        self._lock = threading.Lock()
        self._state = CircuitState.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        # When the half-open trial started; None when no trial is in flight. A trial whose caller
        # vanished without reporting (a dropped stream, a killed thread) must not block the circuit
        # forever, so a trial older than reset_seconds lets the next caller try instead.
        self._trial_started_at: float | None = None

    @property
    def state(self) -> CircuitState:
        """The current state; an open circuit whose reset time has passed reports half-open."""
        with self._lock:
            if self._state is CircuitState.OPEN and self._clock() - self._opened_at >= self.reset_seconds:
                return CircuitState.HALF_OPEN
            return self._state

    @property
    def consecutive_failures(self) -> int:
        with self._lock:
            return self._failures

    def allow(self) -> bool:
        """May a call go out now? In half-open only the first caller gets True (the trial)."""
        with self._lock:
            now = self._clock()
            if self._state is CircuitState.CLOSED:
                return True
            if self._state is CircuitState.OPEN:
                if now - self._opened_at < self.reset_seconds:
                    return False
                self._state = CircuitState.HALF_OPEN
                self._trial_started_at = None
            # Half-open: one trial at a time.
            if self._trial_started_at is None or now - self._trial_started_at >= self.reset_seconds:
                self._trial_started_at = now
                return True
            return False

    def record_success(self) -> None:
        """The server answered: close the circuit and forget past failures."""
        with self._lock:
            self._state = CircuitState.CLOSED
            self._failures = 0
            self._trial_started_at = None

    def record_failure(self) -> None:
        """The call failed: count it; open at the threshold, re-open at once after a failed trial."""
        with self._lock:
            self._failures += 1
            if self._state is CircuitState.HALF_OPEN or self._failures >= self.failure_threshold:
                self._state = CircuitState.OPEN
                self._opened_at = self._clock()
                self._trial_started_at = None

    def release(self) -> None:
        """The allowed call ended without telling us anything (the caller gave up early)."""
        with self._lock:
            if self._state is CircuitState.HALF_OPEN:
                self._trial_started_at = None

    def __repr__(self) -> str:
        return f"<CircuitBreaker {self.name} {self.state} failures={self.consecutive_failures}>"
