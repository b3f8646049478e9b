"""Live events for guardians: the channel-layer group each guardian's open apps and dashboards join
(``conversations.consumers.ParentEventsConsumer``), and publishing to every guardian of a child.

Events are flat dicts whose ``type`` names the consumer's handler (``device.paired`` →
``device_paired``) and carry the ``child`` they are about, so the consumer can re-check, before it
sends anything, that the account still guards that child. Publish after the commit
(``transaction.on_commit``): an event must never announce what a rollback undid. A channel layer that
is down loses the push, never the change: e-mail stays for a parent who is not looking.
"""

from __future__ import annotations

import logging
from typing import Literal, TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from accounts.models import Guardianship

__all__ = [
    "ChildDeviceEvent",
    "GuardianEvent",
    "LimitReachedEvent",
    "MessageNewEvent",
    "SafetyAlertEvent",
    "guardian_group",
    "guardians_publish",
]


# The events' payloads, one definition each; the parent socket forwards them as they are (a safety
# alert as ``alert``). docs/API_SPEC.md §14 documents them for clients.
class ChildDeviceEvent(TypedDict):
    """A device of the child was paired or revoked; a chat socket of it opened or closed."""

    type: Literal["device.paired", "device.revoked", "child.online", "child.offline"]
    child: int
    device: int


class LimitReachedEvent(TypedDict):
    """The gate refused a message for a time limit (once a day per limit)."""

    type: Literal["limit.reached"]
    child: int
    code: str


class SafetyAlertEvent(TypedDict):
    """A safety event due for the guardians (``conversations.services.alerts``)."""

    type: Literal["safety.alert"]
    event: int
    child: int
    severity: str
    action: str
    categories: list[str]


class MessageVerdict(TypedDict):
    action: str
    severity: str


class MessageNewEvent(TypedDict):
    """One turn of the child's chat as stored, without its words."""

    type: Literal["message.new"]
    child: int
    session: int
    message: int
    reply: int
    agent: str
    channel: str
    refusal: str | None
    safety: MessageVerdict
    at: str


GuardianEvent = ChildDeviceEvent | LimitReachedEvent | SafetyAlertEvent | MessageNewEvent

logger = logging.getLogger(__name__)


def guardian_group(user_id: int) -> str:
    """The channel-layer group a guardian's open dashboards and apps listen on."""
    return f"guardian.{user_id}"


def guardians_publish(*, child_id: int, event: GuardianEvent, guardian_ids: list[int] | None = None) -> bool:
    """Send ``event`` to every guardian of the child (or to ``guardian_ids``); True when the channel
    layer took all of them. Never raises."""
    try:
        if guardian_ids is None:
            guardian_ids = list(Guardianship.objects.filter(child_id=child_id).values_list("guardian_id", flat=True))
        layer = get_channel_layer()
    except Exception:
        logger.warning("guardian push failed type=%s child_id=%s", event["type"], child_id, exc_info=True)
        return False
    delivered = layer is not None
    for guardian_id in guardian_ids:
        try:
            async_to_sync(layer.group_send)(guardian_group(guardian_id), event)
        except Exception:
            logger.warning("guardian push failed type=%s guardian_id=%s", event["type"], guardian_id, exc_info=True)
            delivered = False
    return delivered
