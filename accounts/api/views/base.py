from __future__ import annotations

from rest_framework.throttling import BaseThrottle

from accounts.api.permissions import IsParent
from accounts.models import ChildProfile
from accounts.selectors import child_get_for_guardian
from happy_partner.api.throttling import AnonymousThrottle, ChildThrottle, CredentialThrottle, ParentThrottle

DEFAULT_THROTTLES = [AnonymousThrottle, ParentThrottle, ChildThrottle]
# Endpoints that take a secret (password, pairing code) get a tighter per-IP rate on top of the
# lockouts in accounts.services.lockout; it fails closed (503) while the cache is down.
CREDENTIAL_THROTTLES = [*DEFAULT_THROTTLES, CredentialThrottle]


def client_ip(request) -> str:
    """The caller's address exactly as the throttles see it (honours NUM_PROXIES, nothing else)."""
    return BaseThrottle().get_ident(request) or "unknown"


class GuardianChildMixin:
    """Views under ``children/<id>/``: the caller must be one of the child's guardians (else 404)."""

    permission_classes = [IsParent]

    def get_child(self) -> ChildProfile:
        if not hasattr(self, "_child"):
            self._child = child_get_for_guardian(user=self.request.user, child_id=self.kwargs["child_id"])
        return self._child
