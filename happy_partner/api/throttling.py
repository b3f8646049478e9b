"""Request-rate throttles, one per kind of caller, counted in the shared cache (Redis in production).

While the cache is unreachable the rate throttles fail open (a warning in the log): a counter's
outage must not take the product away from children and parents. The credentials throttle fails
closed instead (``503 temporarily_unavailable``): see :mod:`happy_partner.degraded`.
"""

import logging

from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, SimpleRateThrottle

from accounts.principals import ChildPrincipal
from happy_partner.degraded import CACHE_ERRORS, temporarily_unavailable

logger = logging.getLogger(__name__)


class FailOpenMixin:
    """Let the request through, with a warning, when the cache cannot count it."""

    scope: str

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)  # type: ignore[misc]
        except CACHE_ERRORS:
            logger.warning("throttle not counted, cache unavailable scope=%s", self.scope)
            return True


class AnonymousThrottle(FailOpenMixin, AnonRateThrottle):
    scope = "anonymous"


class ParentThrottle(FailOpenMixin, SimpleRateThrottle):
    """Per account for parents (JWT or dashboard session) and staff."""

    scope = "parent"

    def get_cache_key(self, request, view):
        user = request.user
        if not user or not user.is_authenticated or isinstance(user, ChildPrincipal):
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}


class ChildThrottle(FailOpenMixin, SimpleRateThrottle):
    """Per child, so that several paired devices of one child share one budget."""

    scope = "child"

    def get_cache_key(self, request, view):
        user = request.user
        if not isinstance(user, ChildPrincipal):
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.child_id}


class CredentialThrottle(ScopedRateThrottle):
    """The tighter per-IP rate of the endpoints that take or create a secret; fails closed (503)."""

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS:
            logger.warning("credential endpoint refused, cache unavailable scope=%s", self.scope)
            raise temporarily_unavailable() from None
