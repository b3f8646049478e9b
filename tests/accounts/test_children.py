"""Children: creation with consent, defaults, estimated ages, owner-only deletion that erases."""

from datetime import date, time

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import ChildProfile, ConsentRecord, Device, Guardianship, PairingCode, ParentalControls
from tests.factories import bearer, login, make_child, make_co_guardian, make_parent, pair_device

pytestmark = pytest.mark.django_db


@pytest.fixture
def parent():
    return make_parent("kids.parent@example.com")


@pytest.fixture
def client(parent) -> APIClient:
    return login(parent.email)


@time_machine.travel("2026-06-15 12:00:00+00:00", tick=False)
def test_age_gives_an_estimated_birth_date_and_band(parent):
    client = login(parent.email)  # inside the travelled time, or the token would be issued in the future
    response = client.post("/api/v1/children/", {"display_name": "豆豆", "age": 6, "consent_scopes": ["chat"]})
    assert response.status_code == 201
    child = response.json()
    assert child["birth_date"] == "2020-06-15"
    assert child["birth_date_estimated"] is True
    assert (child["age"], child["age_band"]) == (6, "5-6")
    fixed = client.patch(f"/api/v1/children/{child['id']}/", {"birth_date": "2019-09-01"})
    assert fixed.json()["birth_date_estimated"] is False
    assert fixed.json()["age_band"] == "5-6"


@time_machine.travel("2026-06-15 12:00:00+00:00", tick=False)
@pytest.mark.parametrize(
    ("birth_date", "band"),
    [("2019-06-15", "7-8"), ("2017-06-16", "7-8"), ("2016-06-15", "9-10"), ("2014-01-01", "11-12")],
)
def test_age_bands(parent, birth_date, band):
    child = ChildProfile(birth_date=date.fromisoformat(birth_date))
    assert child.age_band == band


def test_new_child_gets_default_controls_and_its_consents(client, parent):
    response = client.post(
        "/api/v1/children/",
        {"display_name": "Leo", "birth_date": "2017-03-02", "consent_scopes": ["chat", "memory", "chat"]},
    )
    child = ChildProfile.objects.get(pk=response.json()["id"])
    controls = ParentalControls.objects.get(child=child)
    assert (controls.daily_minutes, controls.weekly_minutes, controls.session_minutes) == (60, 300, 30)
    assert (controls.weekday_start, controls.weekday_end) == (time(7, 0), time(20, 30))
    assert controls.memory_enabled is False and controls.pin_set is False
    assert sorted(ConsentRecord.objects.filter(child=child).values_list("scope", flat=True)) == ["chat", "memory"]
    record = ConsentRecord.objects.get(child=child, scope="chat")
    assert (record.guardian, record.guardian_email, record.method) == (parent, parent.email, "api")
    assert Guardianship.objects.get(child=child).role == "owner"


def test_child_needs_chat_consent_and_nothing_is_created_without_it(client):
    response = client.post("/api/v1/children/", {"display_name": "No", "age": 8, "consent_scopes": ["voice"]})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "consent_required"
    assert not ChildProfile.objects.exists()


def test_patch_changes_only_what_was_sent(client, parent):
    child = make_child(parent, name="Mia")
    response = client.patch(f"/api/v1/children/{child.pk}/", {"interests": ["星星", "drawing"], "grade": 3})
    assert response.status_code == 200
    child.refresh_from_db()
    assert (child.display_name, child.interests, child.grade) == ("Mia", ["星星", "drawing"], 3)


def test_list_is_paginated_with_a_cursor(client, parent):
    for n in range(3):
        make_child(parent, name=f"Kid {n}")
    first = client.get("/api/v1/children/?page_size=2").json()
    assert len(first["results"]) == 2 and first["next"]
    second = client.get(first["next"]).json()
    assert [c["display_name"] for c in first["results"] + second["results"]] == ["Kid 2", "Kid 1", "Kid 0"]
    assert second["next"] is None


def test_owner_deletes_everything_about_the_child(client, parent):
    child = make_child(parent, name="Gone")
    make_co_guardian(parent, child, "co.kids@example.com")
    device, tokens = pair_device(parent, child)
    client.post(f"/api/v1/children/{child.pk}/pairing-codes/")
    assert client.delete(f"/api/v1/children/{child.pk}/").status_code == 204
    assert not ChildProfile.objects.filter(pk=child.pk).exists()
    for model in (ConsentRecord, Device, Guardianship, PairingCode, ParentalControls):
        assert not model.objects.filter(child_id=child.pk).exists(), model
    assert bearer(APIClient(), tokens["access"]).get("/api/v1/me/").status_code == 401


def test_co_guardian_cannot_delete(parent):
    child = make_child(parent)
    co = make_co_guardian(parent, child, "co.del@example.com")
    response = login(co.email).delete(f"/api/v1/children/{child.pk}/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "owner_required"
    assert ChildProfile.objects.filter(pk=child.pk).exists()


def test_child_device_sees_features_switched_on_and_consented(client, parent):
    child = make_child(parent, scopes=["chat", "voice"])
    _device, tokens = pair_device(parent, child)
    device = bearer(APIClient(), tokens["access"])
    assert device.get("/api/v1/me/").json()["features"] == {
        "chat": True,
        "education": True,
        "emotion": False,
        "stories": True,
        "voice": True,
        "memory": False,
    }
    client.patch(f"/api/v1/children/{child.pk}/controls/", {"voice_enabled": False, "memory_enabled": True})
    client.post(f"/api/v1/children/{child.pk}/consents/", {"scope": "memory"})
    features = device.get("/api/v1/me/").json()["features"]
    assert features["voice"] is False and features["memory"] is True
