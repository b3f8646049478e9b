"""The parent socket ``/ws/v1/parent/``: live events about a guardian's own children.

Who: a parent app with a ticket (``POST realtime/ticket/`` with the parent's JWT, then
``?ticket=…``), or the dashboard with its session cookie from an allowed origin. Anything else is
closed with ``4401``; a child device's ticket with ``4403``. The socket joins the guardian's group
(``conversations.services.alerts.guardian_group``), which services publish to after commit; every
event is re-checked against the database before it is sent (the account still active, the child still
theirs), so a guardian who left or an account switched off stops receiving at once.

Events out: ``alert`` (a safety event: ``event``, ``child``, ``severity``, ``action``, ``categories``),
``pong``, ``error``. Events in: ``ping``.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from accounts.models import User
from accounts.selectors import guardian_may_watch
from accounts.services.tickets import realtime_ticket_redeem
from conversations.services.alerts import guardian_group
from happy_partner.consumers import CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED, JsonEventsConsumer, ticket_of


class ParentEventsConsumer(JsonEventsConsumer):
    user_id: int | None = None

    async def connect(self) -> None:
        ticket = ticket_of(self.scope)
        if ticket:
            actor = await database_sync_to_async(realtime_ticket_redeem)(ticket=ticket)
        else:
            actor = self.scope.get("user")  # the dashboard's session (the origin was checked)
        await self.accept()
        if actor is None or not getattr(actor, "is_authenticated", False):
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if not isinstance(actor, User) or not actor.is_active:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user_id = actor.pk
        await self.channel_layer.group_add(guardian_group(actor.pk), self.channel_name)

    async def disconnect(self, code: int) -> None:
        if self.user_id is not None:
            await self.channel_layer.group_discard(guardian_group(self.user_id), self.channel_name)

    async def safety_alert(self, event: dict[str, Any]) -> None:
        """A safety event of one of the guardian's children (published by ``safety_event_record``)."""
        if self.user_id is None:
            return
        if not await database_sync_to_async(guardian_may_watch)(user_id=self.user_id, child_id=event["child"]):
            return
        await self.send_json(
            {
                "type": "alert",
                "event": event["event"],
                "child": event["child"],
                "severity": event["severity"],
                "action": event["action"],
                "categories": event["categories"],
            }
        )
