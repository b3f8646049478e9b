"""WSGI entry point: gunicorn serves HTTP (see happy_partner/gunicorn_conf.py); WebSockets are asgi.py's."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "happy_partner.settings")
application = get_wsgi_application()

from conversations.warm import conversations_warm_up  # noqa: E402  (needs Django set up first)

conversations_warm_up()  # models, dictionaries and clients load now, not on a child's first message
