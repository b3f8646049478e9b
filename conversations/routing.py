"""The conversations app's WebSocket routes (collected by ``happy_partner.routing``)."""

from django.urls import path

from conversations.consumers import ParentEventsConsumer

# The chat socket is served by the audio app's consumer (typed and spoken messages): happy_partner.routing.
websocket_urlpatterns = [
    path("ws/v1/parent/", ParentEventsConsumer.as_asgi()),
]
