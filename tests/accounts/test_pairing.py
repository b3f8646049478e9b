"""Device pairing: single use, 10-minute expiry, brute-force lockout, revocation that bites at once."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ConsentScope, Device, PairingCode
from accounts.selectors import consent_get_for_child
from accounts.services.consent import consent_withdraw
from tests.factories import bearer, login, make_child, make_parent

pytestmark = pytest.mark.django_db


@pytest.fixture
def family():
    parent = make_parent("pair.parent@example.com")
    child = make_child(parent, name="Pip")
    return parent, child, login(parent.email)


def _code(parent_client: APIClient, child_id: int) -> str:
    response = parent_client.post(f"/api/v1/children/{child_id}/pairing-codes/")
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["code"]) == 6 and body["code"].isdigit()
    return body["code"]


def _pair(code: str, *, ip: str = "10.0.0.1", name: str = "Tablet"):
    return APIClient(REMOTE_ADDR=ip).post("/api/v1/devices/pair/", {"code": code, "device_name": name}, format="json")


def test_code_pairs_once_and_stores_only_a_digest(family):
    parent, child, client = family
    code = _code(client, child.pk)
    assert not PairingCode.objects.filter(code_digest=code).exists()
    first = _pair(code)
    assert first.status_code == 201
    assert first.json()["child"] == {"id": child.pk, "display_name": "Pip"}
    again = _pair(code, ip="10.0.0.2")
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "pairing_code_invalid"
    assert Device.objects.filter(child=child).count() == 1


def test_code_expires_after_ten_minutes(family):
    parent, child, client = family
    code = _code(client, child.pk)
    with time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=1)):
        response = _pair(code)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "pairing_code_invalid"
    assert not Device.objects.exists()


def test_code_still_works_just_before_expiry(family):
    parent, child, client = family
    code = _code(client, child.pk)
    with time_machine.travel(timezone.now() + timedelta(minutes=9, seconds=50)):
        assert _pair(code).status_code == 201


def test_new_code_replaces_the_unused_one(family):
    parent, child, client = family
    old = _code(client, child.pk)
    new = _code(client, child.pk)
    if old != new:
        assert _pair(old).status_code == 400
    assert _pair(new, ip="10.0.0.3").status_code == 201


def test_brute_force_locks_the_ip_even_for_the_right_code(family):
    parent, child, client = family
    code = _code(client, child.pk)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(10):
        assert _pair(wrong, ip="10.6.6.6").status_code == 400
    locked = _pair(code, ip="10.6.6.6")
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "locked_out"
    assert "Retry-After" in locked.headers and int(locked.headers["Retry-After"]) > 0
    # Another address is not affected, and the code was not consumed by the locked attempts.
    assert _pair(code, ip="10.7.7.7").status_code == 201


def test_malformed_codes_count_as_failures(family):
    for attempt in ["12345", "abcdef", "1234567"]:
        response = _pair(attempt, ip="10.8.8.8")
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "pairing_code_invalid"
    for _ in range(7):  # 3 + 7 = the 10 failures the lock allows
        assert _pair("000000", ip="10.8.8.8").status_code == 400
    assert _pair("000000", ip="10.8.8.8").status_code == 429


def test_revoked_device_stops_at_once_for_access_and_refresh(family):
    parent, child, client = family
    paired = _pair(_code(client, child.pk)).json()
    device_client = bearer(APIClient(), paired["access"])
    assert device_client.get("/api/v1/me/").status_code == 200

    revoked = client.post(f"/api/v1/children/{child.pk}/devices/{paired['device']['id']}/revoke/")
    assert revoked.status_code == 200
    assert revoked.json()["is_active"] is False

    denied = device_client.get("/api/v1/me/")
    assert denied.status_code == 401
    assert denied.json()["error"]["code"] == "device_revoked"
    refresh = APIClient().post("/api/v1/auth/token/refresh/", {"refresh": paired["refresh"]}, format="json")
    assert refresh.status_code == 401
    assert refresh.json()["error"]["code"] == "device_revoked"
    twice = client.post(f"/api/v1/children/{child.pk}/devices/{paired['device']['id']}/revoke/")
    assert twice.status_code == 409


def test_pairing_needs_chat_consent(family):
    parent, child, client = family
    code = _code(client, child.pk)
    chat = child.consents.get(scope=ConsentScope.CHAT)
    consent_withdraw(actor=parent, consent=consent_get_for_child(child=child, consent_id=chat.pk))
    response = _pair(code)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "consent_required"
    assert client.post(f"/api/v1/children/{child.pk}/pairing-codes/").status_code == 409
    assert not Device.objects.exists()


def test_inactive_child_cannot_get_a_code(family):
    parent, child, client = family
    assert client.patch(f"/api/v1/children/{child.pk}/", {"is_active": False}, format="json").status_code == 200
    response = client.post(f"/api/v1/children/{child.pk}/pairing-codes/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "child_inactive"


def test_device_last_seen_is_recorded(family):
    parent, child, client = family
    paired = _pair(_code(client, child.pk)).json()
    bearer(APIClient(), paired["access"]).get("/api/v1/me/")
    assert Device.objects.get(pk=paired["device"]["id"]).last_seen_at is not None
