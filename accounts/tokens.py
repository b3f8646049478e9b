"""JWT pairs for the two kinds of caller. Every token carries a ``scope`` claim:

- ``parent``: a grown-up's account (``user_id``).
- ``child``: one paired device of one child (``child_id``, ``device_id``), no user at all.

Authentication refuses a token without a known scope, so one kind can never act as the other.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import Device, User

SCOPE_PARENT = "parent"
SCOPE_CHILD = "child"


class ParentRefreshToken(RefreshToken):
    @classmethod
    def for_user(cls, user: User) -> ParentRefreshToken:
        token = super().for_user(user)
        token["scope"] = SCOPE_PARENT
        return token


class ChildRefreshToken(RefreshToken):
    lifetime = settings.CHILD_REFRESH_TOKEN_LIFETIME

    @classmethod
    def for_device(cls, device: Device) -> ChildRefreshToken:
        token = cls()
        token["scope"] = SCOPE_CHILD
        token["child_id"] = device.child_id
        token["device_id"] = device.pk
        token.outstand()
        return token


def token_pair(refresh: RefreshToken) -> dict[str, str]:
    return {"access": str(refresh.access_token), "refresh": str(refresh)}
