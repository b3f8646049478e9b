"""The conversations app's WebSocket routes (collected by ``happy_partner.routing``)."""

from django.urls import path

from conversations.consumers import ChatConsumer, ParentEventsConsumer

websocket_urlpatterns = [
    path("ws/v1/chat/", ChatConsumer.as_asgi()),
    path("ws/v1/parent/", ParentEventsConsumer.as_asgi()),
]
