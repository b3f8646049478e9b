"""The one exception type for expected failures, owned by the domain, not by the HTTP layer.

Services and selectors raise :class:`ApplicationError` with a :class:`Failure` kind; the API's one
exception handler (``happy_partner.api.errors``) maps the kind to an HTTP status, and the WebSocket
consumers map it to an event, so no service ever imports a web framework to say what went wrong.
"""

from __future__ import annotations

import enum
from typing import Any


class Failure(enum.Enum):
    """What kind of expected failure this is; each transport decides how to say it."""

    INVALID = "invalid"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    TOO_LARGE = "too_large"
    UNSUPPORTED = "unsupported"  # a media type we cannot read
    THROTTLED = "throttled"
    UNAVAILABLE = "unavailable"


class ApplicationError(Exception):
    """An expected failure a client can act on: a stable ``code``, a translated message, its kind."""

    def __init__(
        self,
        *,
        code: str,
        message: str,
        kind: Failure = Failure.INVALID,
        fields: dict[str, Any] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.kind = kind
        self.fields = fields or {}
        self.retry_after = retry_after


def not_found(message: str) -> ApplicationError:
    """The answer for an id the caller may not see: the same whether or not it exists."""
    return ApplicationError(code="not_found", message=message, kind=Failure.NOT_FOUND)
