"""Project-wide WebSocket consumers: the liveness ping, and the refusal of unknown paths."""

import json

from channels.generic.websocket import AsyncJsonWebsocketConsumer, AsyncWebsocketConsumer
from django.utils.translation import gettext as _

from happy_partner.api.errors import error_body


class PingConsumer(AsyncJsonWebsocketConsumer):
    """Lets a client or a load balancer prove the WebSocket path works end to end."""

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        """Bad frames get an error event in the API's error shape; the connection stays open."""
        try:
            content = json.loads(text_data or "")
        except (TypeError, ValueError):
            await self._error("malformed_request", _("Send JSON text frames."))
            return
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self._error("unknown_event", _('Send {"type": "ping"}.'))

    async def _error(self, code: str, message: str) -> None:
        await self.send_json({"type": "error", **error_body(code, message)})


class UnknownRouteConsumer(AsyncWebsocketConsumer):
    """Every path no route matches: the handshake is refused (a 403 to the client), nothing is logged
    as an error. The last route of the router, so new routes go in ``websocket_urlpatterns``."""

    async def connect(self) -> None:
        await self.close()
