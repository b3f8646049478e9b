"""ASGI entry point: HTTP through Django, WebSockets through Channels.

The WebSocket routes are collected from the apps (``<app>.routing.websocket_urlpatterns``);
a connection either carries a single-use ticket (``?ticket=``: apps and devices, no ``Origin``
needed) or the dashboard session, and then must come from an allowed origin. A path no
route matches is refused at the handshake (403), never a 500 with a traceback.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "happy_partner.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up first)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import re_path  # noqa: E402

from conversations.warm import conversations_warm_up  # noqa: E402
from happy_partner.access_log import install_uvicorn_filter  # noqa: E402
from happy_partner.consumers import TicketOrOriginValidator, UnknownRouteConsumer  # noqa: E402
from happy_partner.routing import websocket_urlpatterns  # noqa: E402

conversations_warm_up()  # models, dictionaries and clients load now, not on a child's first message
# uvicorn's access and handshake lines: paths without query strings (searches, tickets).
install_uvicorn_filter()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": TicketOrOriginValidator(
            AuthMiddlewareStack(URLRouter([*websocket_urlpatterns, re_path(r"", UnknownRouteConsumer.as_asgi())]))
        ),
    }
)
