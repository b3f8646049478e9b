"""Who asks and the family they see: ``me``, ``children`` / ``child`` with their rules, consents,
devices, today's card and recent chats; the mutations ``controlsUpdate`` and ``deviceRevoke``."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time
from typing import Annotated, Any, cast

import strawberry
import strawberry_django
from django.utils import timezone
from django.utils.translation import gettext as _
from strawberry import auto
from strawberry.types import Info

from accounts.api.serializers import ControlsSerializer
from accounts.models import ChildProfile, ConsentRecord, Device, ParentalControls, User
from accounts.principals import ChildPrincipal
from accounts.selectors import (
    child_features,
    child_get_for_guardian,
    children_for_guardian,
    consents_for_children,
    device_get_for_child,
    devices_for_children,
)
from accounts.services.controls import controls_update
from accounts.services.devices import device_revoke
from conversations.selectors.dashboard import child_cards_for_guardian
from conversations.selectors.scope import sessions_recent_for_children
from happy_partner.graphql.chats import Session
from happy_partner.graphql.context import batch, parent, principal
from happy_partner.graphql.inputs import child_ref, int_id, validated
from happy_partner.graphql.pagination import page_size

LIST_CAP = 100  # a child's devices and consent records: newest first, at most this many
RECENT_SESSIONS_MAX = 10


def _time_of_day(name: str) -> Any:
    """A rule's time as REST writes it (ControlTimeField: HH:MM), not GraphQL's HH:MM:SS."""

    def resolve(root: ParentalControls) -> str:
        value: time = getattr(root, name)
        return value.strftime("%H:%M")

    return strawberry.field(resolver=resolve, description="HH:MM in the family's time zone.")


def _interests(root: ChildProfile) -> list[str]:
    return list(root.interests)


@strawberry_django.type(User, name="User")
class UserType:
    id: auto
    email: auto
    display_name: auto
    language: auto
    date_joined: auto


@strawberry_django.type(
    ParentalControls, name="Controls", description="A child's rules (REST: children/{id}/controls/)."
)
class Controls:
    daily_minutes: auto
    weekly_minutes: auto
    session_minutes: auto
    time_zone: auto
    education_enabled: auto
    emotion_enabled: auto
    stories_enabled: auto
    voice_enabled: auto
    memory_enabled: auto
    safety_sensitivity: auto
    alert_min_severity: auto
    alert_email: auto
    alert_realtime: auto
    pin_set: bool
    updated_at: auto

    weekday_start: str = _time_of_day("weekday_start")
    weekday_end: str = _time_of_day("weekday_end")
    weekend_start: str = _time_of_day("weekend_start")
    weekend_end: str = _time_of_day("weekend_end")

    @strawberry.field
    def blocked_words(self, root: ParentalControls) -> list[str]:
        return list(root.blocked_words)


@strawberry_django.type(ConsentRecord, name="Consent")
class Consent:
    id: auto
    scope: auto
    policy_version: auto
    method: auto
    guardian_email: auto
    granted_at: auto
    withdrawn_at: auto
    is_active: bool


@strawberry_django.type(Device, name="Device")
class DeviceType:
    id: auto
    name: auto
    created_at: auto
    last_seen_at: auto
    revoked_at: auto
    is_active: bool


@strawberry.type(description="Today, in the family's time zone: the dashboard's card of a child.")
class Today:
    minutes: int
    daily_minutes: int
    mood: str = strawberry.field(description="The feeling noticed most often today; empty when none was.")
    open_alerts: int
    last_activity: datetime | None


@strawberry.type
class Features:
    chat: bool
    education: bool
    emotion: bool
    stories: bool
    voice: bool
    memory: bool


@strawberry_django.type(ChildProfile, name="Child")
class Child:
    id: auto
    display_name: auto
    birth_date: auto
    birth_date_estimated: auto
    age: int
    age_band: str
    grade: auto
    language: auto
    avatar: auto
    is_active: auto
    created_at: auto
    updated_at: auto

    interests: list[str] = strawberry.field(resolver=_interests)

    @strawberry.field(description="The caller's guardianship: owner or co_guardian.")
    def role(self, root: ChildProfile) -> str | None:
        return getattr(root, "my_role", None)

    @strawberry.field(description="Scopes with an active consent.")
    def consent_scopes(self, root: ChildProfile) -> list[str]:
        return sorted(record.scope for record in getattr(root, "active_consents", []))

    @strawberry.field
    def controls(self, root: ChildProfile) -> Controls:
        return cast(Controls, root.controls)  # read with the child (select_related)

    @strawberry.field(description="Consent records, newest first (withdrawn ones too).")
    def consents(self, root: ChildProfile, info: Info) -> list[Consent]:
        return batch(info).get("consents", root.pk, _consents, list)

    @strawberry.field(description="Paired devices, newest first (removed ones too).")
    def devices(self, root: ChildProfile, info: Info) -> list[DeviceType]:
        return batch(info).get("devices", root.pk, _devices, list)

    @strawberry.field
    def today(self, root: ChildProfile, info: Info) -> Today:
        user = parent(info)
        return batch(info).get("today", root.pk, lambda _ids: _cards(user), lambda: _EMPTY_TODAY)

    @strawberry.field(description=f"The newest chats (1 to {RECENT_SESSIONS_MAX}), newest first, tidied-away ones too.")
    def recent_sessions(self, root: ChildProfile, info: Info, first: int = 3) -> list[Session]:
        size = page_size(first, largest=RECENT_SESSIONS_MAX)
        return batch(info).get(f"recent:{size}", root.pk, lambda ids: _recent(ids, size), list)


_EMPTY_TODAY = Today(minutes=0, daily_minutes=0, mood="", open_alerts=0, last_activity=None)


def _grouped(rows, cap: int = LIST_CAP) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        if len(grouped[row.child_id]) < cap:
            grouped[row.child_id].append(row)
    return grouped


def _consents(ids: list[int]) -> dict[int, list[Any]]:
    return _grouped(consents_for_children(child_ids=ids).order_by("-granted_at", "-id"))


def _devices(ids: list[int]) -> dict[int, list[Any]]:
    return _grouped(devices_for_children(child_ids=ids).order_by("-created_at", "-id"))


def _recent(ids: list[int], size: int) -> dict[int, list[Any]]:
    return _grouped(sessions_recent_for_children(child_ids=ids, per_child=size))


def _cards(user: User) -> dict[int, Today]:
    return {
        card.child.pk: Today(
            minutes=card.minutes_today,
            daily_minutes=card.daily_minutes,
            mood=card.mood,
            open_alerts=card.open_alerts,
            last_activity=card.last_activity,
        )
        for card in child_cards_for_guardian(user=user, now=timezone.now())
    }


@strawberry_django.type(ChildProfile, name="ChildSelf", description="What a child's own device knows of them.")
class ChildSelf:
    id: auto
    display_name: auto
    age_band: str
    grade: auto
    language: auto
    avatar: auto

    interests: list[str] = strawberry.field(resolver=_interests)


@strawberry.type
class ParentMe:
    user: UserType


@strawberry.type
class DeviceMe:
    child: ChildSelf
    device: DeviceType
    features: Features


Me = Annotated[ParentMe | DeviceMe, strawberry.union("Me")]


def _children(user: User):
    return children_for_guardian(user=user).select_related("controls")


@strawberry.type
class FamilyQuery:
    @strawberry.field(description="Who is asking: a parent's account, or a paired device and its child.")
    def me(self, info: Info) -> Me | None:
        actor = principal(info)
        if isinstance(actor, ChildPrincipal):
            features = Features(**child_features(child=actor.child))
            return DeviceMe(child=actor.child, device=actor.device, features=features)  # type: ignore[arg-type]
        return ParentMe(user=actor)  # type: ignore[arg-type]

    @strawberry.field(description="The children the parent guards (a device: parent_required).")
    def children(self, info: Info) -> list[Child] | None:
        children = list(_children(parent(info)).order_by("pk"))
        batch(info).register(child.pk for child in children)
        return children

    @strawberry.field(description="One of the parent's children; any other id is not_found.")
    def child(self, info: Info, id: strawberry.ID) -> Child | None:
        child = child_get_for_guardian(user=parent(info), child_id=child_ref(id))
        batch(info).register([child.pk])
        return child  # type: ignore[return-value]


@strawberry.input(description="The rules to change; the others stay as they are (REST's PATCH).")
class ControlsInput:
    daily_minutes: int | None = strawberry.UNSET
    weekly_minutes: int | None = strawberry.UNSET
    session_minutes: int | None = strawberry.UNSET
    weekday_start: str | None = strawberry.UNSET
    weekday_end: str | None = strawberry.UNSET
    weekend_start: str | None = strawberry.UNSET
    weekend_end: str | None = strawberry.UNSET
    time_zone: str | None = strawberry.UNSET
    education_enabled: bool | None = strawberry.UNSET
    emotion_enabled: bool | None = strawberry.UNSET
    stories_enabled: bool | None = strawberry.UNSET
    voice_enabled: bool | None = strawberry.UNSET
    memory_enabled: bool | None = strawberry.UNSET
    safety_sensitivity: str | None = strawberry.UNSET
    blocked_words: list[str] | None = strawberry.UNSET
    alert_min_severity: str | None = strawberry.UNSET
    alert_email: bool | None = strawberry.UNSET
    alert_realtime: bool | None = strawberry.UNSET
    pin: str | None = strawberry.field(default=strawberry.UNSET, description="6 digits; null clears the PIN.")


@strawberry.type
class FamilyMutation:
    @strawberry.mutation(description="Change a child's rules: the next message obeys them (REST: PATCH controls/).")
    def controls_update(self, info: Info, child: strawberry.ID, input: ControlsInput) -> Controls | None:
        user = parent(info)
        profile = child_get_for_guardian(user=user, child_id=child_ref(child))
        data = validated(ControlsSerializer, input, partial=True)
        return controls_update(actor=user, child=profile, data=data)  # type: ignore[return-value]

    @strawberry.mutation(description="Remove a paired device at once (REST: devices/{id}/revoke/).")
    def device_revoke(self, info: Info, child: strawberry.ID, device: strawberry.ID) -> DeviceType | None:
        user = parent(info)
        kid = child_get_for_guardian(user=user, child_id=child_ref(child))
        found = device_get_for_child(child=kid, device_id=int_id(device, missing=_("No such device.")))
        return device_revoke(actor=user, device=found)  # type: ignore[return-value]
