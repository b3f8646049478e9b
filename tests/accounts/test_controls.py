"""Parental controls: PUT replaces, PATCH changes some, rules validated, PIN hashed and rate-limited."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import ParentalControls
from accounts.services import controls as controls_service
from tests.factories import bearer, login, make_child, make_parent, pair_device

pytestmark = pytest.mark.django_db

FULL = {
    "daily_minutes": 45,
    "weekly_minutes": 200,
    "session_minutes": 20,
    "weekday_start": "16:00",
    "weekday_end": "19:30",
    "weekend_start": "09:00",
    "weekend_end": "20:00",
    "time_zone": "Europe/London",
    "education_enabled": True,
    "emotion_enabled": False,
    "stories_enabled": True,
    "voice_enabled": False,
    "memory_enabled": False,
    "safety_sensitivity": "high",
    "blocked_words": ["考试", "Exam"],
    "alert_min_severity": "low",
    "alert_email": False,
    "alert_realtime": True,
}


@pytest.fixture
def setup():
    parent = make_parent("controls.parent@example.com")
    child = make_child(parent)
    return parent, child, login(parent.email)


def test_put_replaces_every_control(setup):
    parent, child, client = setup
    response = client.put(f"/api/v1/children/{child.pk}/controls/", FULL)
    assert response.status_code == 200, response.content
    body = response.json()
    assert {key: body[key] for key in FULL} == FULL
    controls = ParentalControls.objects.get(child=child)
    assert controls.updated_by == parent and controls.time_zone == "Europe/London"


def test_put_with_missing_fields_changes_nothing(setup):
    parent, child, client = setup
    response = client.put(f"/api/v1/children/{child.pk}/controls/", {"daily_minutes": 10})
    assert response.status_code == 400
    assert "weekly_minutes" in response.json()["error"]["fields"]
    assert ParentalControls.objects.get(child=child).daily_minutes == 60


def test_patch_normalises_blocked_words(setup):
    parent, child, client = setup
    response = client.patch(
        f"/api/v1/children/{child.pk}/controls/", {"blocked_words": ["  打 游戏 ", "Exam", "exam", "打 游戏"]}
    )
    assert response.status_code == 200
    assert response.json()["blocked_words"] == ["打 游戏", "Exam"]


def test_rules_that_contradict_each_other_are_refused(setup):
    parent, child, client = setup
    url = f"/api/v1/children/{child.pk}/controls/"
    too_much = client.patch(url, {"daily_minutes": 400, "weekly_minutes": 300})
    assert too_much.status_code == 400 and "daily_minutes" in too_much.json()["error"]["fields"]
    backwards = client.patch(url, {"weekend_start": "21:00", "weekend_end": "08:00"})
    assert backwards.status_code == 400 and "weekend_end" in backwards.json()["error"]["fields"]
    assert ParentalControls.objects.get(child=child).daily_minutes == 60


def test_pin_is_hashed_verified_and_cleared(setup):
    parent, child, client = setup
    url = f"/api/v1/children/{child.pk}/controls/"
    assert client.patch(url, {"pin": "135790"}).json()["pin_set"] is True
    stored = ParentalControls.objects.get(child=child).pin_hash
    assert stored and "135790" not in stored
    _device, tokens = pair_device(parent, child)
    device = bearer(APIClient(), tokens["access"])
    assert device.post(f"{url}verify-pin/", {"pin": "135790"}).json() == {"valid": True}
    assert device.post(f"{url}verify-pin/", {"pin": "000000"}).json() == {"valid": False}
    assert client.patch(url, {"pin": None}).json()["pin_set"] is False
    assert device.post(f"{url}verify-pin/", {"pin": "135790"}).status_code == 409


def test_pin_guessing_locks_for_the_child_across_devices(setup):
    parent, child, client = setup
    url = f"/api/v1/children/{child.pk}/controls/"
    client.patch(url, {"pin": "135790"})
    _d1, t1 = pair_device(parent, child, name="one")
    _d2, t2 = pair_device(parent, child, name="two", ip="10.9.9.8")
    first, second = bearer(APIClient(), t1["access"]), bearer(APIClient(), t2["access"])
    for n in range(5):
        assert (first if n % 2 else second).post(f"{url}verify-pin/", {"pin": f"00000{n}"}).json()["valid"] is False
    locked = first.post(f"{url}verify-pin/", {"pin": "135790"})
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "locked_out"
    assert second.post(f"{url}verify-pin/", {"pin": "135790"}).status_code == 429


def test_child_device_cannot_change_controls(setup):
    parent, child, client = setup
    _device, tokens = pair_device(parent, child)
    device = bearer(APIClient(), tokens["access"])
    response = device.patch(f"/api/v1/children/{child.pk}/controls/", {"daily_minutes": 600})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "parent_required"
    assert ParentalControls.objects.get(child=child).daily_minutes == 60


@pytest.mark.django_db(transaction=True)
def test_concurrent_pin_guesses_cannot_get_past_the_lockout(setup, monkeypatch):
    """Each PIN is counted before it is checked: 16 simultaneous wrong PINs for one child give
    exactly 5 checked PINs and 11 refusals (429)."""
    parent, child, client = setup
    url = f"/api/v1/children/{child.pk}/controls/"
    client.patch(url, {"pin": "135790"})
    _device, tokens = pair_device(parent, child)
    check_password = controls_service.check_password

    def slow_check(pin: str, encoded: str) -> bool:
        time.sleep(0.2)  # hashing takes a while: every thread is inside it at once
        return check_password(pin, encoded)

    monkeypatch.setattr(controls_service, "check_password", slow_check)

    def guess(n: int) -> int:
        try:
            response = bearer(APIClient(), tokens["access"]).post(f"{url}verify-pin/", {"pin": f"0000{n:02d}"})
            return 200 if response.status_code == 200 and response.json() == {"valid": False} else response.status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(guess, range(16)))
    assert sorted(statuses) == [200] * 5 + [429] * 11
