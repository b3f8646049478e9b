from __future__ import annotations

from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from accounts.api.permissions import IsParent
from accounts.models import ChildProfile, User
from accounts.selectors import child_get_for_guardian
from happy_partner.api.throttling import AnonymousThrottle, ChildThrottle, CredentialThrottle, ParentThrottle
from happy_partner.api.views import ApiView

DEFAULT_THROTTLES = [AnonymousThrottle, ParentThrottle, ChildThrottle]
# Endpoints that take a secret (password, pairing code) get a tighter per-IP rate on top of the
# lockouts in accounts.services.lockout; it fails closed (503) while the cache is down.
CREDENTIAL_THROTTLES = [*DEFAULT_THROTTLES, CredentialThrottle]


def client_ip(request) -> str:
    """The caller's address exactly as the throttles see it (honours NUM_PROXIES, nothing else)."""
    return BaseThrottle().get_ident(request) or "unknown"


def request_parent(request: Request) -> User:
    """The signed-in parent of a request that ``IsParent`` has let through."""
    user = request.user
    if not isinstance(user, User):
        raise TypeError("the view's permission classes must admit parents only")
    return user


class GuardianChildView(ApiView):
    """Views under ``children/<id>/``: the caller must be one of the child's guardians (else 404)."""

    permission_classes = [IsParent]

    def get_child(self) -> ChildProfile:
        if not hasattr(self, "_child"):
            self._child = child_get_for_guardian(user=request_parent(self.request), child_id=self.kwargs["child_id"])
        return self._child
