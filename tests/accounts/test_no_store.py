"""Answers that carry credentials (token pairs, a device's pairing poll) — and every other API
answer, all of them one user's data — say ``Cache-Control: no-store``, so no shared cache keeps them."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import PASSWORD, login, make_child, make_parent

pytestmark = pytest.mark.django_db

REQUESTS = "/api/v1/devices/pairing-requests/"


def _no_store(response, status: int) -> None:
    assert response.status_code == status, response.content
    assert response["Cache-Control"] == "no-store"


def test_token_answers_are_never_stored():
    parent = make_parent("nostore.parent@example.com")
    anonymous = APIClient()
    signed_in = anonymous.post("/api/v1/auth/token/", {"email": parent.email, "password": PASSWORD}, format="json")
    _no_store(signed_in, 200)
    refreshed = anonymous.post("/api/v1/auth/token/refresh/", {"refresh": signed_in.json()["refresh"]}, format="json")
    _no_store(refreshed, 200)
    wrong = anonymous.post("/api/v1/auth/token/", {"email": parent.email, "password": "nope-nope"}, format="json")
    _no_store(wrong, 401)


def test_pairing_answers_and_the_devices_poll_are_never_stored():
    parent = make_parent("nostore.pair@example.com")
    child = make_child(parent)
    client = login(parent.email)
    code = client.post(f"/api/v1/children/{child.pk}/pairing-codes/", format="json")
    _no_store(code, 201)
    paired = APIClient().post("/api/v1/devices/pair/", {"code": code.json()["code"], "device_name": "T"}, format="json")
    _no_store(paired, 201)

    created = APIClient().post(REQUESTS, {"device_name": "Robo Bear"}, format="json")
    _no_store(created, 201)
    poll = f"{REQUESTS}{created.json()['id']}/"
    secret = {"HTTP_X_PAIRING_SECRET": created.json()["secret"]}
    _no_store(APIClient().get(poll, **secret), 200)  # pending
    claim = f"/api/v1/children/{child.pk}/pairing-requests/claim/"
    _no_store(client.post(claim, {"code": created.json()["code"]}, format="json"), 201)
    collected = APIClient().get(poll, **secret)
    _no_store(collected, 200)
    assert "access" in collected.json()
