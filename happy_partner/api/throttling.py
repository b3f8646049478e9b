"""Request-rate throttles, one per kind of caller, counted in the shared cache (Redis in production)."""

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from accounts.principals import ChildPrincipal


class AnonymousThrottle(AnonRateThrottle):
    scope = "anonymous"


class ParentThrottle(SimpleRateThrottle):
    """Per account for parents (JWT or dashboard session) and staff."""

    scope = "parent"

    def get_cache_key(self, request, view):
        user = request.user
        if not user or not user.is_authenticated or isinstance(user, ChildPrincipal):
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}


class ChildThrottle(SimpleRateThrottle):
    """Per child, so that several paired devices of one child share one budget."""

    scope = "child"

    def get_cache_key(self, request, view):
        user = request.user
        if not isinstance(user, ChildPrincipal):
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.child_id}
