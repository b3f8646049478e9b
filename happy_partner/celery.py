"""Celery application: background and periodic jobs, configured from Django settings (CELERY_*)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "happy_partner.settings")

app = Celery("happy_partner")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
