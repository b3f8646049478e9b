"""WSGI entry point: gunicorn serves HTTP (see happy_partner/gunicorn_conf.py); WebSockets are asgi.py's."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "happy_partner.settings")
application = get_wsgi_application()

from conversations.agents import warm_up  # noqa: E402  (needs Django set up first)
from conversations.services.risk_model import risk_model_warm_up  # noqa: E402

# Load jieba's dictionary when the worker starts, not on a child's first message (~0.6 s).
warm_up()
risk_model_warm_up()
