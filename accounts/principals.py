"""The identity a child device acts as: not a User, so no parent permission can ever apply to it."""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.models import ChildProfile, Device, User


@dataclass(frozen=True)
class ChildPrincipal:
    child: ChildProfile
    device: Device
    is_authenticated: bool = field(default=True, init=False)
    is_anonymous: bool = field(default=False, init=False)
    is_active: bool = field(default=True, init=False)
    is_staff: bool = field(default=False, init=False)
    is_superuser: bool = field(default=False, init=False)

    @property
    def pk(self) -> str:
        return f"device:{self.device.pk}"

    @property
    def child_id(self) -> int:
        return self.child.pk

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return False


Actor = User | ChildPrincipal
"""Whoever acts on a child's data: a parent or staff member (a ``User``) or a paired child device.
Every service that touches a child's data takes one as ``actor=``, so the change can be audited."""


def actor_ref(actor: Actor) -> str:
    """Who acted, for logs and audits: ``user_id=7`` or ``device_id=3`` (ids, never names)."""
    if isinstance(actor, ChildPrincipal):
        return f"device_id={actor.device.pk}"
    return f"user_id={actor.pk}"
