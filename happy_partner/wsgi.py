"""WSGI entry point, for serving plain REST with a sync server (gunicorn) if a deployment wants it."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "happy_partner.settings")

application = get_wsgi_application()
