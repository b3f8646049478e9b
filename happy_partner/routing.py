"""WebSocket routes of the whole project, one list the ASGI router serves."""

from django.urls import path

from audio.consumers import VoiceChatConsumer
from conversations.routing import websocket_urlpatterns as conversations_routes
from happy_partner.consumers import PingConsumer

websocket_urlpatterns = [
    path("ws/v1/ping/", PingConsumer.as_asgi()),
    path("ws/v1/chat/", VoiceChatConsumer.as_asgi()),  # the chat socket, typed and spoken
    *conversations_routes,
]
