"""Realtime tickets: how a parent app or a child device opens a WebSocket without a token in the URL.

The client asks ``POST /api/v1/realtime/ticket/`` with its JWT and connects with ``?ticket=…`` within
``TICKET_SECONDS``. A ticket is signed (``SECRET_KEY``, its own salt), names the account or device it
was issued to, and is **single use**: redeeming it records its nonce in the cache (shared through
Redis in production; under ``make run`` the one WebSocket process redeems every ticket, so its local
memory suffices). While the cache is down nothing can be redeemed: a credential fails closed.
Devices send no ``Origin`` header, so a ticket socket does not depend on one; the ticket itself is
the proof the page or app was allowed, and it is useless to anyone who did not just receive it.
"""

from __future__ import annotations

import logging
import secrets

from django.core import signing
from django.core.cache import cache

from accounts.models import Device, User
from accounts.principals import Actor, ChildPrincipal, actor_ref

__all__ = ["TICKET_SECONDS", "realtime_ticket_issue", "realtime_ticket_redeem"]

logger = logging.getLogger(__name__)

TICKET_SECONDS = 60
_SALT = "happy-partner.realtime-ticket"


def realtime_ticket_issue(*, actor: Actor) -> str:
    """A ticket for ``actor`` (a parent, or a child's paired device), valid ``TICKET_SECONDS``, once."""
    payload: dict[str, int | str] = {"nonce": secrets.token_urlsafe(12)}
    if isinstance(actor, ChildPrincipal):
        payload.update(device=actor.device.pk, child=actor.child_id)
    else:
        payload["user"] = actor.pk
    logger.info("realtime ticket issued to %s", actor_ref(actor))
    return signing.dumps(payload, salt=_SALT, compress=False)


def realtime_ticket_redeem(*, ticket: str) -> Actor | None:
    """Who the ticket was issued to, if it is genuine, fresh, unused, and they may still connect
    (an active account; a device not revoked). ``None`` otherwise; never raises."""
    try:
        payload = signing.loads(ticket, salt=_SALT, max_age=TICKET_SECONDS)
        nonce = str(payload["nonce"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    try:
        first_use = cache.add(f"realtime-ticket:{nonce}", 1, TICKET_SECONDS + 5)
    except Exception:
        logger.warning("realtime ticket refused: the cache is unavailable")
        return None
    if not first_use:
        return None
    if "device" in payload:
        devices = Device.objects.select_related("child")
        device = devices.filter(pk=payload.get("device"), child_id=payload.get("child")).first()
        return ChildPrincipal(child=device.child, device=device) if device is not None and device.is_active else None
    return User.objects.filter(pk=payload.get("user"), is_active=True).first()
