"""Project-wide WebSocket plumbing: the JSON event base every socket speaks, the liveness ping, the
refusal of unknown paths, and the gate that lets ticket sockets in without an ``Origin`` header.

Close codes (docs/API_SPEC.md, "Realtime"): ``4401`` no valid ticket or session, ``4403`` this socket
is not for this caller (e.g. a child device on the parent socket, an account switched off meanwhile).
"""

import json
from urllib.parse import parse_qs

from channels.generic.websocket import AsyncJsonWebsocketConsumer, AsyncWebsocketConsumer
from channels.security.websocket import AllowedHostsOriginValidator
from django.utils.translation import gettext as _

from happy_partner.api.errors import error_body

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403


def ticket_of(scope) -> str | None:
    """The ``ticket`` query parameter of a WebSocket's URL, if any."""
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("ticket")
    return values[0] if values else None


class TicketOrOriginValidator:
    """Browser sockets ride the dashboard's session cookie, so they must come from an allowed origin
    (a foreign page cannot borrow the cookie). Ticket sockets carry their credential in the URL and
    devices send no ``Origin`` at all: the single-use ticket is the proof, so no origin is asked."""

    def __init__(self, app) -> None:
        self.app = app
        self.origin_checked = AllowedHostsOriginValidator(app)

    async def __call__(self, scope, receive, send):
        if scope.get("type") == "websocket" and ticket_of(scope):
            # No origin was checked, so the cookie must not count: drop it before the session
            # middleware reads it (a foreign page could otherwise add ?ticket= to borrow a session).
            headers = [(name, value) for name, value in scope.get("headers", []) if name.lower() != b"cookie"]
            return await self.app({**scope, "headers": headers}, receive, send)
        return await self.origin_checked(scope, receive, send)


class JsonEventsConsumer(AsyncJsonWebsocketConsumer):
    """JSON text frames in, JSON events out. A bad frame (not JSON, binary, not an object) gets an
    ``error`` event in the API's error shape and the socket stays open; ``ping`` gets ``pong``."""

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        try:
            content = json.loads(text_data or "")
        except (TypeError, ValueError):
            await self.send_error("malformed_request", _("Send JSON text frames."))
            return
        if not isinstance(content, dict):
            await self.send_error("unknown_event", _("Send a JSON object with a type."))
            return
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_error("unknown_event", _('Send {"type": "ping"}.'))

    async def send_error(self, code: str, message: str) -> None:
        await self.send_json({"type": "error", **error_body(code, message)})


class PingConsumer(JsonEventsConsumer):
    """Lets a client or a load balancer prove the WebSocket path works end to end."""


class UnknownRouteConsumer(AsyncWebsocketConsumer):
    """Every path no route matches: the handshake is refused (a 403 to the client), nothing is logged
    as an error. The last route of the router, so new routes go in ``websocket_urlpatterns``."""

    async def connect(self) -> None:
        await self.close()
