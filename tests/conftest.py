from __future__ import annotations

import pytest
from django.core.cache import cache

from happy_partner.celery import app as celery_app
from tests.factories import Cast, build_cast


def _clear_cache() -> None:
    # django-redis: delete only this project's keys, not the whole Redis database.
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _isolated(settings):
    """Each test starts with an empty cache (lockouts, throttles), fast hashing and eager tasks."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False  # the test client speaks plain HTTP; TLS is the proxy's job
    # Production serves collectstatic's hashed files; tests do not run collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    celery_app.conf.task_always_eager = True
    _clear_cache()
    yield
    _clear_cache()


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()
