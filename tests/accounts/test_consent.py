"""Consent: one active record per scope, current policy only, withdrawal at once, kept as evidence."""

import pytest

from accounts.models import ConsentRecord
from accounts.selectors import consent_is_active
from tests.factories import login, make_child, make_co_guardian, make_parent

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    parent = make_parent("consent.parent@example.com")
    child = make_child(parent)
    return parent, child, login(parent.email)


def test_grant_then_grant_again_returns_the_active_record(setup):
    parent, child, client = setup
    first = client.post(f"/api/v1/children/{child.pk}/consents/", {"scope": "voiceprint", "policy_version": "2026-11"})
    assert first.status_code == 201
    again = client.post(f"/api/v1/children/{child.pk}/consents/", {"scope": "voiceprint"})
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert ConsentRecord.objects.filter(child=child, scope="voiceprint").count() == 1


def test_outdated_policy_is_refused(setup, settings):
    parent, child, client = setup
    settings.CONSENT_POLICY_VERSION = "2027-01"
    response = client.post(f"/api/v1/children/{child.pk}/consents/", {"scope": "memory", "policy_version": "2026-11"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "policy_outdated"
    assert "2027-01" in response.json()["error"]["message"]
    assert not consent_is_active(child_id=child.pk, scope="memory")


def test_withdrawal_takes_effect_at_once_and_keeps_the_record(setup):
    parent, child, client = setup
    co = make_co_guardian(parent, child, "co.consent@example.com")
    granted = client.post(f"/api/v1/children/{child.pk}/consents/", {"scope": "memory"}).json()
    assert consent_is_active(child_id=child.pk, scope="memory")

    withdrawn = login(co.email).post(f"/api/v1/children/{child.pk}/consents/{granted['id']}/withdraw/")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["is_active"] is False
    assert not consent_is_active(child_id=child.pk, scope="memory")
    record = ConsentRecord.objects.get(pk=granted["id"])
    assert record.withdrawn_by == co and record.guardian == parent

    twice = client.post(f"/api/v1/children/{child.pk}/consents/{granted['id']}/withdraw/")
    assert twice.status_code == 409
    regranted = client.post(f"/api/v1/children/{child.pk}/consents/", {"scope": "memory"})
    assert regranted.status_code == 201
    listing = client.get(f"/api/v1/children/{child.pk}/consents/").json()["results"]
    assert [(c["scope"], c["is_active"]) for c in listing if c["scope"] == "memory"] == [
        ("memory", True),
        ("memory", False),
    ]


def test_policy_is_public_and_names_the_version_and_scopes(client, settings):
    settings.CONSENT_POLICY_VERSION = "2026-12"
    body = client.get("/api/v1/consent-policy/").json()
    assert body["version"] == "2026-12"
    assert [s["scope"] for s in body["scopes"]] == ["chat", "voice", "voiceprint", "memory", "emotion_companion"]
    assert [s["scope"] for s in body["scopes"] if s["required"]] == ["chat"]


def test_a_guardian_account_cannot_be_deleted_out_from_under_a_child(setup):
    from django.db.models import ProtectedError

    parent, child, client = setup
    with pytest.raises(ProtectedError):
        parent.delete()
    assert child.guardianships.filter(guardian=parent).exists()
