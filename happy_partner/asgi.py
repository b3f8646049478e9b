"""ASGI entry point: HTTP through Django, WebSockets through Channels.

The WebSocket routes are collected from the apps (``<app>.routing.websocket_urlpatterns``);
connections are origin-checked and carry the dashboard session for authentication.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "happy_partner.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up first)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from conversations.agents import warm_up  # noqa: E402
from happy_partner.routing import websocket_urlpatterns  # noqa: E402

# Load jieba's dictionary when the server starts, not on a child's first message (~0.6 s).
warm_up()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
