"""Co-guardians: invited by e-mail with a one-time token, accepted by that address only."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError

from accounts.models import GuardianInvitation, Guardianship
from accounts.tasks import send_guardian_invitation
from tests.factories import login, make_child, make_parent

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(django_capture_on_commit_callbacks):
    owner = make_parent("owner@example.com", display_name="Owner")
    child = make_child(owner, name="Tom")
    client = login(owner.email)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/children/{child.pk}/invitations/", {"email": "Grandma@Example.com"})
    assert response.status_code == 201
    token = re.search(r"[A-Za-z0-9_-]{40,}", mail.outbox[-1].body).group(0)
    return owner, child, client, response.json(), token


def test_invitation_email_carries_a_token_only_its_digest_is_stored(setup):
    owner, child, client, invitation, token = setup
    assert mail.outbox[-1].to == ["grandma@example.com"]
    assert len(token) > 30
    stored = GuardianInvitation.objects.get(pk=invitation["id"])
    assert stored.token_digest != token and token not in stored.token_digest


def test_the_invited_address_accepts_and_becomes_co_guardian(setup):
    owner, child, client, invitation, token = setup
    grandma = make_parent("grandma@example.com")
    response = login(grandma.email).post("/api/v1/invitations/accept/", {"token": token})
    assert response.status_code == 200
    assert response.json()["id"] == child.pk and response.json()["role"] == "co_guardian"
    assert login(grandma.email).get(f"/api/v1/children/{child.pk}/").status_code == 200
    again = login(grandma.email).post("/api/v1/invitations/accept/", {"token": token})
    assert again.status_code == 400


def test_another_account_cannot_use_the_token(setup):
    owner, child, client, invitation, token = setup
    stranger = make_parent("stranger@example.com")
    response = login(stranger.email).post("/api/v1/invitations/accept/", {"token": token})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invitation_invalid"
    assert not Guardianship.objects.filter(guardian=stranger).exists()


def test_expired_and_revoked_invitations_do_not_work(setup):
    owner, child, client, invitation, token = setup
    grandma = make_parent("grandma@example.com")
    GuardianInvitation.objects.filter(pk=invitation["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert login(grandma.email).post("/api/v1/invitations/accept/", {"token": token}).status_code == 400
    GuardianInvitation.objects.filter(pk=invitation["id"]).update(expires_at=timezone.now() + timedelta(days=1))
    revoked = client.post(f"/api/v1/children/{child.pk}/invitations/{invitation['id']}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["is_pending"] is False
    assert login(grandma.email).post("/api/v1/invitations/accept/", {"token": token}).status_code == 400


def test_inviting_an_existing_guardian_is_a_conflict(setup):
    owner, child, client, invitation, token = setup
    response = client.post(f"/api/v1/children/{child.pk}/invitations/", {"email": "OWNER@example.com"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_guardian"


def test_co_guardian_can_leave_but_the_owner_cannot_be_removed(setup):
    owner, child, client, invitation, token = setup
    grandma = make_parent("grandma@example.com")
    login(grandma.email).post("/api/v1/invitations/accept/", {"token": token})
    guardians = {g["role"]: g["id"] for g in client.get(f"/api/v1/children/{child.pk}/guardians/").json()["results"]}
    grandma_client = login(grandma.email)
    refused = grandma_client.delete(f"/api/v1/children/{child.pk}/guardians/{guardians['owner']}/")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "owner_required"
    owner_leaving = client.delete(f"/api/v1/children/{child.pk}/guardians/{guardians['owner']}/")
    assert owner_leaving.status_code == 409
    assert owner_leaving.json()["error"]["code"] == "owner_cannot_leave"
    assert (
        grandma_client.delete(f"/api/v1/children/{child.pk}/guardians/{guardians['co_guardian']}/").status_code == 204
    )
    assert grandma_client.get(f"/api/v1/children/{child.pk}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_any_broker_error_after_the_commit_leaves_the_invitation_made(monkeypatch, caplog):
    """Not only kombu's OperationalError: whatever queuing the e-mail raises after the commit, the
    request answers 201 and the owner sees the invitation (and may revoke it and invite again)."""
    owner = make_parent("owner.robust@example.com")
    child = make_child(owner, name="Tom")
    client = login(owner.email)

    def broken_delay(**kwargs):
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_guardian_invitation, "delay", broken_delay)
    response = client.post(f"/api/v1/children/{child.pk}/invitations/", {"email": "grandma@example.com"})
    assert response.status_code == 201, response.content
    assert GuardianInvitation.objects.filter(pk=response.json()["id"], child=child).exists()
    assert "invitation e-mail not queued" in caplog.text
