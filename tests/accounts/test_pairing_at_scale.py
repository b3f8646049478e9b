"""Pairing at internet scale: the global budget of failed 6-digit pairings (guesses spread over many
addresses), long codes for devices with a keyboard, the device-initiated flow AI toys use, and the
guardians being told whenever a device is paired."""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ChildProfile, ConsentScope, Device, PairingCode, PairingCodeKind, PairingRequest
from accounts.realtime import guardian_group
from accounts.selectors import consent_get_for_child
from accounts.services import pairing_requests
from accounts.services.consent import consent_withdraw
from accounts.services.devices import CODE_ALPHABET, device_revoke
from accounts.services.pairing_budget import pairing_budget_spend
from accounts.tasks import purge_expired_credentials
from happy_partner.errors import ApplicationError
from tests.factories import PASSWORD, bearer, login, make_child, make_co_guardian, make_parent

pytestmark = pytest.mark.django_db

PAIR = "/api/v1/devices/pair/"
REQUESTS = "/api/v1/devices/pairing-requests/"
T0 = datetime(2027, 1, 4, 9, 0, 5, tzinfo=UTC)  # 5 s into a 15-minute budget window
LONG = re.compile(rf"^[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}$")
SHOWN = re.compile(rf"^[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}$")


@pytest.fixture
def family():
    parent = make_parent("scale.parent@example.com", display_name="Mum")
    child = make_child(parent, name="Mia")
    return parent, child


def _code(client: APIClient, child_id: int, kind: str | None = None) -> str:
    body = {"kind": kind} if kind else None
    response = client.post(f"/api/v1/children/{child_id}/pairing-codes/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()["code"]


def _pair(code: str, ip: str, name: str = "Tablet"):
    return APIClient(REMOTE_ADDR=ip).post(PAIR, {"code": code, "device_name": name}, format="json")


def _wrong(code: str, n: int) -> str:
    return f"{(int(code) + 1 + n) % 1_000_000:06d}"


def _assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code, error
    assert set(error) == {"code", "message", "fields"}
    return error


# --- 1. the global budget of failed 6-digit pairings ---------------------------------------------------
def test_guesses_from_many_addresses_spend_one_budget_then_pairing_pauses_for_the_window(family, settings):
    settings.PAIRING_SHORT_CODE_BUDGET = (5, 900)
    parent, child = family
    with time_machine.travel(T0, tick=False) as traveller:
        client = login(parent.email)
        code = _code(client, child.pk)
        # Five addresses, one wrong guess each: no per-IP lockout comes near, the budget is spent.
        for n in range(5):
            _assert_error(_pair(_wrong(code, n), ip=f"198.51.100.{n + 1}"), 400, "pairing_code_invalid")
        busy = _pair(_wrong(code, 5), ip="198.51.100.99")
        error = _assert_error(busy, 429, "pairing_busy")
        assert int(busy["Retry-After"]) == 895  # until the window ends at 09:15:00
        assert "09:15 UTC" in error["message"]
        # It slows everyone: even the right code from a fresh address waits, and is not spent.
        _assert_error(_pair(code, ip="203.0.113.7"), 429, "pairing_busy")
        assert PairingCode.objects.get(child=child).used_at is None
        assert not Device.objects.filter(child=child).exists()

        traveller.shift(timedelta(seconds=895))  # the next window: legitimate pairing resumes
        client = login(parent.email)
        fresh = _code(client, child.pk)
        paired = _pair(fresh, ip="203.0.113.7")
        assert paired.status_code == 201, paired.content
        assert paired.json()["child"]["id"] == child.pk


def test_a_busy_budget_leaves_long_codes_and_device_initiated_pairing_working(family, settings):
    settings.PAIRING_SHORT_CODE_BUDGET = (2, 900)
    parent, child = family
    with time_machine.travel(T0, tick=False):
        client = login(parent.email)
        for n in range(3):
            _pair(f"{n:06d}", ip=f"198.51.100.{n + 1}")
        _assert_error(_pair("999999", ip="198.51.100.50"), 429, "pairing_busy")

        assert _pair(_code(client, child.pk, kind="long"), ip="198.51.100.60").status_code == 201
        created = APIClient(REMOTE_ADDR="198.51.100.61").post(REQUESTS, {"device_name": "Robo"}, format="json")
        claim = client.post(
            f"/api/v1/children/{child.pk}/pairing-requests/claim/", {"code": created.json()["code"]}, format="json"
        )
        assert claim.status_code == 201, claim.content


def test_the_budget_counts_failures_only(family, settings):
    settings.PAIRING_SHORT_CODE_BUDGET = (3, 900)
    parent, child = family
    with time_machine.travel(T0, tick=False):
        client = login(parent.email)
        _pair("000000", ip="198.51.100.1")
        _pair("000001", ip="198.51.100.2")
        for n in range(3):  # right codes give their place back
            assert _pair(_code(client, child.pk), ip=f"198.51.100.{10 + n}").status_code == 201
        # Malformed and long-shaped guesses cannot hit a 6-digit code: they do not spend it either.
        for n, guess in enumerate(["12345", "ABCDEFGHJKMN", "K7QM-3XRT-9HWP", "not a code"]):
            _assert_error(_pair(guess, ip=f"198.51.100.{20 + n}"), 400, "pairing_code_invalid")
        _assert_error(_pair("000002", ip="198.51.100.3"), 400, "pairing_code_invalid")  # the third failure
        _assert_error(_pair("000003", ip="198.51.100.4"), 429, "pairing_busy")


DEAD_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there: every call is refused at once
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient", "SOCKET_CONNECT_TIMEOUT": 0.5},
    }
}


def test_the_budget_fails_closed_while_the_cache_is_unreachable():
    with override_settings(CACHES=DEAD_REDIS), pytest.raises(ApplicationError) as raised:
        pairing_budget_spend()
    assert raised.value.code == "temporarily_unavailable"
    assert raised.value.retry_after and raised.value.retry_after > 0


def test_pairing_fails_closed_while_the_cache_is_unreachable(family):
    parent, child = family
    client = login(parent.email)
    code = _code(client, child.pk)
    with override_settings(CACHES=DEAD_REDIS):  # restored before the test's cache is cleared
        response = _pair(code, ip="198.51.100.1")
    _assert_error(response, 503, "temporarily_unavailable")
    assert int(response["Retry-After"]) > 0
    assert not Device.objects.exists()


def test_device_initiated_pairing_fails_closed_while_the_cache_is_unreachable(family):
    parent, child = family
    client = login(parent.email)
    created = _request()
    with override_settings(CACHES=DEAD_REDIS):
        refused = APIClient(REMOTE_ADDR="192.0.2.20").post(REQUESTS, {"device_name": "Toy"}, format="json")
        _assert_error(refused, 503, "temporarily_unavailable")
        _assert_error(_claim(client, child.pk, created["code"]), 503, "temporarily_unavailable")
        assert _poll(created).json()["status"] == "pending"  # polling guesses nothing: it carries on
    assert not Device.objects.exists()


# --- 2. long codes where the device has a keyboard ------------------------------------------------------
def test_long_code_is_twelve_unambiguous_characters_grouped_and_stored_as_a_digest(family):
    parent, child = family
    client = login(parent.email)
    response = client.post(f"/api/v1/children/{child.pk}/pairing-codes/", {"kind": "long"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "long"
    assert LONG.match(body["code"]), body["code"]
    stored = PairingCode.objects.get(child=child)
    assert stored.kind == PairingCodeKind.LONG
    assert body["code"] not in stored.code_digest and body["code"].replace("-", "") not in stored.code_digest

    paired = _pair(body["code"], ip="198.51.100.1")
    assert paired.status_code == 201, paired.content
    assert bearer(APIClient(), paired.json()["access"]).get("/api/v1/me/").json()["child"]["id"] == child.pk


def test_long_code_may_be_typed_without_hyphens_in_lower_case(family):
    parent, child = family
    code = _code(login(parent.email), child.pk, kind="long")
    typed = " ".join(code.lower().split("-"))
    assert _pair(typed, ip="198.51.100.1").status_code == 201


def test_without_a_kind_the_code_is_still_six_digits(family):
    parent, child = family
    client = login(parent.email)
    response = client.post(f"/api/v1/children/{child.pk}/pairing-codes/")
    assert response.status_code == 201
    assert re.fullmatch(r"[0-9]{6}", response.json()["code"])
    assert response.json()["kind"] == "short"


def test_a_long_code_cannot_be_used_as_a_short_one_or_with_one_character_wrong(family):
    parent, child = family
    code = _code(login(parent.email), child.pk, kind="long").replace("-", "")
    other = CODE_ALPHABET[(CODE_ALPHABET.index(code[-1]) + 1) % len(CODE_ALPHABET)]
    _assert_error(_pair(code[:-1] + other, ip="198.51.100.1"), 400, "pairing_code_invalid")
    _assert_error(_pair(code[:6], ip="198.51.100.2"), 400, "pairing_code_invalid")
    assert _pair(code, ip="198.51.100.3").status_code == 201


# --- 3. device-initiated pairing -------------------------------------------------------------------------
def _request(name: str = "Robo Bear", ip: str = "192.0.2.10") -> dict:
    response = APIClient(REMOTE_ADDR=ip).post(REQUESTS, {"device_name": name}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def _poll(created: dict, secret: str | None = None):
    headers = {} if secret == "" else {"HTTP_X_PAIRING_SECRET": secret or created["secret"]}
    return APIClient(REMOTE_ADDR="192.0.2.10").get(f"{REQUESTS}{created['id']}/", **headers)


def _claim(client: APIClient, child_id: int, code: str):
    return client.post(f"/api/v1/children/{child_id}/pairing-requests/claim/", {"code": code}, format="json")


def test_device_initiated_pairing_end_to_end(family, django_capture_on_commit_callbacks):
    parent, child = family
    co = make_co_guardian(parent, child, "grandpa@example.com")
    layer = get_channel_layer()
    channels = {}
    for guardian in (parent, co):
        channels[guardian.pk] = async_to_sync(layer.new_channel)()
        async_to_sync(layer.group_add)(guardian_group(guardian.pk), channels[guardian.pk])

    created = _request()
    assert SHOWN.match(created["code"]), created["code"]
    assert created["poll_interval"] > 0 and len(created["secret"]) >= 40
    stored = PairingRequest.objects.get(pk=created["id"])
    assert created["secret"] not in stored.secret_digest and created["code"] not in stored.code_digest

    pending = _poll(created)
    assert pending.status_code == 200
    assert pending.json()["status"] == "pending" and "access" not in pending.json()

    client = login(parent.email)
    with django_capture_on_commit_callbacks(execute=True):
        claimed = _claim(client, child.pk, created["code"])
    assert claimed.status_code == 201, claimed.content
    device_id = claimed.json()["device"]["id"]
    assert claimed.json()["child"] == {"id": child.pk, "display_name": "Mia"}
    assert claimed.json()["device"]["name"] == "Robo Bear"

    # Every guardian is told: an e-mail each, and a push to their open apps.
    assert sorted(message.to[0] for message in mail.outbox) == sorted([parent.email, co.email])
    for message in mail.outbox:
        assert f"/dashboard/children/{child.pk}/devices/" in message.body
        assert "Robo Bear" in message.body
    for guardian_id, channel in channels.items():
        event = async_to_sync(layer.receive)(channel)
        assert event == {"type": "device.paired", "child": child.pk, "device": device_id}, guardian_id

    collected = _poll(created)
    assert collected.status_code == 200, collected.content
    body = collected.json()
    assert body["status"] == "paired"
    assert body["child"]["id"] == child.pk and body["device"]["id"] == device_id

    # The tokens are a child device's, and work as one.
    device_client = bearer(APIClient(), body["access"])
    me = device_client.get("/api/v1/me/").json()
    assert me["kind"] == "child" and me["child"]["id"] == child.pk and me["device"]["id"] == device_id
    assert device_client.get("/api/v1/children/").status_code == 403
    refreshed = APIClient().post("/api/v1/auth/token/refresh/", {"refresh": body["refresh"]}, format="json")
    assert refreshed.status_code == 200

    # Exactly once.
    _assert_error(_poll(created), 409, "pairing_request_used")
    _assert_error(_claim(client, child.pk, created["code"]), 400, "pairing_code_invalid")
    assert Device.objects.filter(child=child).count() == 1


def test_only_the_device_with_the_secret_can_poll(family):
    parent, child = family
    created = _request()
    _claim(login(parent.email), child.pk, created["code"])
    _assert_error(_poll(created, secret="x" * 43), 404, "not_found")
    _assert_error(_poll(created, secret=""), 404, "not_found")
    _assert_error(_poll({**created, "id": created["id"] + 1000}), 404, "not_found")
    assert _poll(created).json()["status"] == "paired"  # the wrong ones did not spend it


def test_an_unclaimed_request_expires_after_ten_minutes(family):
    parent, child = family
    created = _request()
    with time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=1)):
        _assert_error(_poll(created), 409, "pairing_request_expired")
        _assert_error(_claim(login(parent.email), child.pk, created["code"]), 400, "pairing_code_invalid")
    assert not Device.objects.exists()


def test_a_claimed_request_waits_ten_more_minutes_for_the_device(family):
    parent, child = family
    created = _request()
    with time_machine.travel(timezone.now() + timedelta(minutes=9)):
        assert _claim(login(parent.email), child.pk, created["code"]).status_code == 201
    with time_machine.travel(timezone.now() + timedelta(minutes=18)):
        assert _poll(created).json()["status"] == "paired"


def test_a_parent_cannot_claim_for_a_child_they_do_not_guard(family):
    parent, child = family
    stranger = make_parent("stranger@example.com")
    created = _request()
    _assert_error(_claim(login(stranger.email), child.pk, created["code"]), 404, "not_found")
    assert _poll(created).json()["status"] == "pending"
    # The stranger can only ever bind a device to their own child.
    own = make_child(stranger, name="Own")
    assert _claim(login(stranger.email), own.pk, created["code"]).status_code == 201
    assert PairingRequest.objects.get(pk=created["id"]).child_id == own.pk


def test_guessing_codes_as_a_parent_hits_a_lockout(family):
    parent, child = family
    created = _request()
    client = login(parent.email)
    wrong = "2222-2222" if created["code"] != "2222-2222" else "3333-3333"
    for _ in range(5):
        _assert_error(_claim(client, child.pk, wrong), 400, "pairing_code_invalid")
    locked = _claim(client, child.pk, created["code"])  # even the right code, while locked
    _assert_error(locked, 429, "locked_out")
    assert int(locked["Retry-After"]) > 0
    # The lock is this parent's: another guardian claims the same code.
    co = make_co_guardian(parent, child, "co.scale@example.com")
    assert _claim(login(co.email), child.pk, created["code"]).status_code == 201


def test_claiming_needs_an_active_child_with_chat_consent(family):
    parent, child = family
    client = login(parent.email)
    created = _request()
    ChildProfile.objects.filter(pk=child.pk).update(is_active=False)
    _assert_error(_claim(client, child.pk, created["code"]), 409, "child_inactive")
    ChildProfile.objects.filter(pk=child.pk).update(is_active=True)
    chat = child.consents.get(scope=ConsentScope.CHAT)
    consent_withdraw(actor=parent, consent=consent_get_for_child(child=child, consent_id=chat.pk))
    _assert_error(_claim(client, child.pk, created["code"]), 409, "consent_required")
    assert _poll(created).json()["status"] == "pending"


def test_collecting_rechecks_consent_and_revocation(family):
    parent, child = family
    client = login(parent.email)
    first = _request()
    _claim(client, child.pk, first["code"])
    device_revoke(actor=parent, device=Device.objects.get(child=child))
    _assert_error(_poll(first), 409, "device_revoked")

    second = _request(name="Story Owl")
    _claim(client, child.pk, second["code"])
    chat = child.consents.get(scope=ConsentScope.CHAT)
    consent_withdraw(actor=parent, consent=consent_get_for_child(child=child, consent_id=chat.pk))
    _assert_error(_poll(second), 409, "consent_required")


def test_making_pairing_requests_is_throttled_per_address(settings):
    for n in range(10):
        assert _request(name=f"Toy {n}", ip="192.0.2.77")
    response = APIClient(REMOTE_ADDR="192.0.2.77").post(REQUESTS, {"device_name": "Toy"}, format="json")
    _assert_error(response, 429, "throttled")
    assert _request(ip="192.0.2.78")


# --- 4. guardians are told --------------------------------------------------------------------------------
def test_pairing_with_a_code_tells_every_guardian_in_their_language(family, django_capture_on_commit_callbacks):
    parent, child = family  # parent reads Chinese (the default)
    co = make_co_guardian(parent, child, "co.en@example.com")
    co.language = "en"
    co.save(update_fields=["language"])
    code = _code(login(parent.email), child.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert _pair(code, ip="198.51.100.1", name="Kitchen tablet").status_code == 201
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {parent.email, co.email}
    english, chinese = by_address[co.email], by_address[parent.email]
    assert "Kitchen tablet" in english.body and "Mum" in english.body
    assert "A device was paired with Mia's profile" in english.subject
    assert "设备" in chinese.subject and "Kitchen tablet" in chinese.body
    assert "/dashboard/children/" in chinese.body


def test_a_failing_channel_layer_does_not_undo_the_pairing(family, django_capture_on_commit_callbacks, monkeypatch):
    parent, child = family
    code = _code(login(parent.email), child.pk)

    class Broken:
        async def group_send(self, group, message):
            raise ConnectionError("channel layer down")

    monkeypatch.setattr("accounts.realtime.get_channel_layer", lambda: Broken())
    with django_capture_on_commit_callbacks(execute=True):
        response = _pair(code, ip="198.51.100.1")
    assert response.status_code == 201
    assert len(mail.outbox) == 1  # the e-mail still went


# --- 5. housekeeping --------------------------------------------------------------------------------------
def test_expired_pairing_requests_are_purged_after_a_days_grace():
    old = _request(name="Old toy")
    recent = _request(name="Recent toy")
    PairingRequest.objects.filter(pk=old["id"]).update(expires_at=timezone.now() - timedelta(days=2))
    PairingRequest.objects.filter(pk=recent["id"]).update(expires_at=timezone.now() - timedelta(hours=1))
    assert purge_expired_credentials.delay().get()["pairing_requests"] == 1
    assert set(PairingRequest.objects.values_list("pk", flat=True)) == {recent["id"]}


@pytest.mark.django_db(transaction=True)
def test_concurrent_guesses_cannot_overshoot_the_budget(settings):
    """The count is taken before the code is looked at, atomically: 24 simultaneous wrong guesses
    from 24 addresses against a budget of 5 give exactly 5 evaluated failures and 19 refusals."""
    settings.PAIRING_SHORT_CODE_BUDGET = (5, 900)

    def guess(n: int) -> int:
        try:
            return _pair(f"{100000 + n:06d}", ip=f"198.51.100.{n + 1}").status_code
        finally:
            connection.close()

    with time_machine.travel(T0, tick=False), ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(guess, range(24)))
    assert sorted(statuses) == [400] * 5 + [429] * 19


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_cannot_get_past_the_parents_lockout(family, monkeypatch):
    """Each claim is counted before its code is looked at: 20 simultaneous wrong claims by one parent
    give exactly 5 examined codes (400) and 15 refusals (429), however slow the lookup is."""
    parent, child = family
    signed_in = APIClient().post("/api/v1/auth/token/", {"email": parent.email, "password": PASSWORD}, format="json")
    access = signed_in.json()["access"]
    digest = pairing_requests.pairing_digest

    def slow_digest(*, value: str) -> str:
        time.sleep(0.2)  # the lookup takes a while: every thread is inside it at once
        return digest(value=value)

    monkeypatch.setattr(pairing_requests, "pairing_digest", slow_digest)

    def claim(n: int):
        try:
            return _claim(bearer(APIClient(), access), child.pk, f"2222-22{CODE_ALPHABET[n]}{CODE_ALPHABET[n + 1]}")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(claim, range(20)))
    assert sorted(response.status_code for response in responses) == [400] * 5 + [429] * 15
    locked = next(response for response in responses if response.status_code == 429)
    assert locked.json()["error"]["code"] == "locked_out"
    assert "UTC" in locked.json()["error"]["message"]  # the time to try again
    assert 0 < int(locked["Retry-After"]) <= 900
