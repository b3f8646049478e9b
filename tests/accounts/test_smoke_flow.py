"""A parent's first day, end to end through the HTTP API."""

import pytest
from rest_framework.test import APIClient

from tests.factories import bearer

pytestmark = pytest.mark.django_db


def test_register_login_add_child_pair_device_and_chat_identity():
    client = APIClient()
    response = client.post(
        "/api/v1/auth/register/",
        {"email": "New.Parent@Example.com", "password": "a-long-secret-phrase", "display_name": "妈妈"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["email"] == "new.parent@example.com"

    tokens = client.post(
        "/api/v1/auth/token/", {"email": "new.parent@example.com", "password": "a-long-secret-phrase"}, format="json"
    ).json()
    parent = bearer(APIClient(), tokens["access"])

    created = parent.post(
        "/api/v1/children/",
        {"display_name": "小宝", "age": 7, "grade": 1, "consent_scopes": ["chat", "voice"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    child = created.json()
    assert child["role"] == "owner"
    assert child["consent_scopes"] == ["chat", "voice"]
    assert child["age"] == 7 and child["age_band"] == "7-8"

    code = parent.post(f"/api/v1/children/{child['id']}/pairing-codes/").json()["code"]
    paired = APIClient().post("/api/v1/devices/pair/", {"code": code, "device_name": "iPad"}, format="json")
    assert paired.status_code == 201, paired.content
    device = bearer(APIClient(), paired.json()["access"])

    me = device.get("/api/v1/me/").json()
    assert me["kind"] == "child"
    assert me["child"]["id"] == child["id"]
    assert me["features"]["voice"] is True
    assert me["features"]["memory"] is False

    listing = parent.get(f"/api/v1/children/{child['id']}/devices/").json()
    assert [d["name"] for d in listing["results"]] == ["iPad"]
