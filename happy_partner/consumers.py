"""A liveness WebSocket: lets a client or a load balancer prove the WebSocket path works end to end."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer


class PingConsumer(AsyncJsonWebsocketConsumer):
    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_json(
                {"type": "error", "error": {"code": "unknown_event", "message": 'Send {"type": "ping"}.'}}
            )
