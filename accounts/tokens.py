"""JWT pairs for the two kinds of caller. Every token carries a ``scope`` claim:

- ``parent``: a grown-up's account (``user_id``).
- ``child``: one paired device of one child (``child_id``, ``device_id``), no user at all.

Authentication refuses a token without a known scope, so one kind can never act as the other.
The outstanding-token table keeps each refresh token's id and expiry, never the token itself:
read access to the database must not hand out working credentials.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from accounts.models import Device, User

SCOPE_PARENT = "parent"
SCOPE_CHILD = "child"
NOT_STORED = "(not stored)"


class ScopedRefreshToken(RefreshToken):
    def outstand(self) -> OutstandingToken:
        outstanding, _created = OutstandingToken.objects.get_or_create(
            jti=self[api_settings.JTI_CLAIM],
            defaults={
                "user_id": self.payload.get(api_settings.USER_ID_CLAIM),
                "token": NOT_STORED,
                "created_at": self.current_time,
                "expires_at": datetime_from_epoch(self["exp"]),
            },
        )
        return outstanding


class ParentRefreshToken(ScopedRefreshToken):
    @classmethod
    def for_parent(cls, user: User) -> ParentRefreshToken:
        token = cls()
        token[api_settings.USER_ID_CLAIM] = str(user.pk)
        token["scope"] = SCOPE_PARENT
        token.outstand()
        return token


class ChildRefreshToken(ScopedRefreshToken):
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
