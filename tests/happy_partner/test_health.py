"""Liveness and readiness probes, run against the real database, cache, channel layer and broker."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from happy_partner import readiness
from happy_partner.celery import app as celery_app

PARTS = ["broker", "cache", "channel_layer", "database"]
LEAK = "tcp://admin:hunter2@10.0.0.7:6379 refused"  # what an exception message could give away


def test_healthz_answers_ok_without_auth_or_database():
    # No django_db mark: liveness must not depend on the database.
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_checks_every_real_part():
    assert sorted(readiness.CHECKS) == PARTS
    response = Client().get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body == {"status": "ok", "checks": dict.fromkeys(PARTS, "ok"), "failing": []}
    assert "no-cache" in response["Cache-Control"]


def _failing_check():
    raise ConnectionError(LEAK)


@pytest.mark.django_db
@pytest.mark.parametrize("part", PARTS)
def test_readyz_names_the_failing_part_and_hides_the_error(monkeypatch, caplog, part):
    monkeypatch.setitem(readiness.CHECKS, part, _failing_check)
    with caplog.at_level(logging.ERROR, logger="happy_partner.readiness"):
        response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failing"] == [part]
    assert body["checks"][part] == "error"
    assert all(state == "ok" for name, state in body["checks"].items() if name != part)
    # The details go to the log for operators, never to an unauthenticated caller.
    assert "hunter2" not in response.content.decode()
    assert "ConnectionError" not in response.content.decode()
    assert any(LEAK in (record.exc_text or "") or LEAK in str(record.exc_info) for record in caplog.records)


@pytest.mark.django_db
def test_readyz_lists_every_failing_part(monkeypatch):
    monkeypatch.setitem(readiness.CHECKS, "cache", _failing_check)
    monkeypatch.setitem(readiness.CHECKS, "database", _failing_check)
    body = Client().get("/readyz").json()
    assert body["failing"] == ["cache", "database"]


@pytest.mark.django_db
def test_readyz_detects_an_unreachable_broker(monkeypatch):
    # Not a stub: the real broker check against a Redis port nobody listens on.
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_accept_only_get(path):
    assert Client().post(path).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_are_exempt_from_the_https_redirect(settings, path):
    # Load balancers probe over plain HTTP inside the network; everything else is redirected.
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get(path).status_code == 200
    assert Client().get("/admin/login/").status_code == 301
