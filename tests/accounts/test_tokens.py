"""JWT: rotation with blacklist, logout, scopes that never cross, login lockouts."""

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts.models import User
from accounts.services import auth as auth_service
from tests.factories import PASSWORD, bearer, make_child, make_parent, pair_device

pytestmark = pytest.mark.django_db


def _login(email: str, password: str = PASSWORD, ip: str = "10.1.1.1"):
    return APIClient(REMOTE_ADDR=ip).post("/api/v1/auth/token/", {"email": email, "password": password}, format="json")


def _refresh(token: str):
    return APIClient().post("/api/v1/auth/token/refresh/", {"refresh": token}, format="json")


@pytest.fixture
def parent() -> User:
    return make_parent("tok.parent@example.com")


def test_login_is_case_insensitive_and_tokens_carry_the_parent_scope(parent):
    response = _login("Tok.Parent@EXAMPLE.com")
    assert response.status_code == 200
    access = AccessToken(response.json()["access"])
    assert access["scope"] == "parent"
    assert access["user_id"] == str(parent.pk)


def test_refresh_rotates_and_blacklists_the_old_token(parent):
    first = _login(parent.email).json()
    rotated = _refresh(first["refresh"])
    assert rotated.status_code == 200
    pair = rotated.json()
    assert pair["refresh"] != first["refresh"]
    assert bearer(APIClient(), pair["access"]).get("/api/v1/me/").json()["kind"] == "parent"
    reused = _refresh(first["refresh"])
    assert reused.status_code == 401
    assert reused.json()["error"]["code"] == "token_not_valid"
    assert _refresh(pair["refresh"]).status_code == 200


def test_logout_blacklists_the_refresh_token(parent):
    pair = _login(parent.email).json()
    response = APIClient().post("/api/v1/auth/logout/", {"refresh": pair["refresh"]}, format="json")
    assert response.status_code == 204
    assert _refresh(pair["refresh"]).status_code == 401
    again = APIClient().post("/api/v1/auth/logout/", {"refresh": pair["refresh"]}, format="json")
    assert again.status_code == 401


def test_deactivated_parent_cannot_refresh_or_use_access(parent):
    pair = _login(parent.email).json()
    User.objects.filter(pk=parent.pk).update(is_active=False)
    assert _refresh(pair["refresh"]).status_code == 401
    assert bearer(APIClient(), pair["access"]).get("/api/v1/me/").status_code == 401


def test_refresh_token_is_not_an_access_token(parent):
    pair = _login(parent.email).json()
    response = bearer(APIClient(), pair["refresh"]).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_not_valid"


def test_token_without_scope_is_refused(parent):
    """A pair minted without our scope claim (e.g. by a stock simplejwt view) must not authenticate."""
    plain = RefreshToken.for_user(parent)
    assert bearer(APIClient(), str(plain.access_token)).get("/api/v1/me/").status_code == 401
    assert _refresh(str(plain)).status_code == 401


def test_forged_child_claims_on_a_parent_token_do_not_work(parent):
    """Claims are signed: editing a token's scope breaks its signature."""
    access = _login(parent.email).json()["access"]
    header, payload, signature = access.split(".")
    tampered = f"{header}.{payload[:-4]}AAAA.{signature}"
    assert bearer(APIClient(), tampered).get("/api/v1/me/").status_code == 401


def test_child_tokens_rotate_and_keep_their_scope_and_lifetime(parent):
    child = make_child(parent)
    device, tokens = pair_device(parent, child)
    refresh = RefreshToken(tokens["refresh"])
    assert refresh["scope"] == "child" and refresh["child_id"] == child.pk and refresh["device_id"] == device.pk
    assert "user_id" not in refresh.payload
    rotated = _refresh(tokens["refresh"])
    assert rotated.status_code == 200
    new = RefreshToken(rotated.json()["refresh"])
    assert new["scope"] == "child" and new["device_id"] == device.pk
    assert new["exp"] - new["iat"] > timedelta(days=30).total_seconds()
    assert _refresh(tokens["refresh"]).status_code == 401
    me = bearer(APIClient(), rotated.json()["access"]).get("/api/v1/me/").json()
    assert me["kind"] == "child" and me["device"]["id"] == device.pk


def test_access_token_expires(parent):
    access = _login(parent.email).json()["access"]
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = bearer(APIClient(), access).get("/api/v1/me/")
    assert response.status_code == 401


def test_account_locks_after_five_wrong_passwords_even_for_the_right_one(parent):
    for _ in range(5):
        wrong = _login(parent.email, "wrong-password")
        assert wrong.status_code == 401
        assert wrong.json()["error"]["code"] == "invalid_credentials"
    locked = _login(parent.email, ip="10.2.2.2")
    assert locked.status_code == 429
    body = locked.json()["error"]
    assert body["code"] == "locked_out"
    assert "UTC" in body["message"]
    assert 0 < int(locked.headers["Retry-After"]) <= 900
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert _login(parent.email, ip="10.2.2.2").status_code == 200


def test_success_resets_the_account_counter(parent):
    for _ in range(4):
        _login(parent.email, "wrong-password")
    assert _login(parent.email).status_code == 200
    for _ in range(4):
        _login(parent.email, "wrong-password")
    assert _login(parent.email).status_code == 200


def test_one_ip_guessing_many_accounts_is_locked(parent):
    for n in range(20):
        _login(f"nobody{n}@example.com", "x", ip="10.3.3.3")
    locked = _login(parent.email, ip="10.3.3.3")
    assert locked.status_code == 429
    assert _login(parent.email, ip="10.4.4.4").status_code == 200


def test_unknown_account_and_wrong_password_look_the_same(parent):
    unknown = _login("ghost@example.com", "whatever").json()
    wrong = _login(parent.email, "whatever").json()
    assert unknown == wrong


def test_the_database_never_holds_a_usable_refresh_token(parent):
    """Read access to the token tables must not hand out credentials."""
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

    pair = _login(parent.email).json()
    child = make_child(parent)
    _device, child_pair = pair_device(parent, child)
    rotated = _refresh(pair["refresh"]).json()
    stored = list(OutstandingToken.objects.values_list("token", flat=True))
    assert len(stored) == 3
    for token in (pair["refresh"], child_pair["refresh"], rotated["refresh"]):
        assert token not in stored
        assert token.split(".")[2] not in "".join(stored)


def test_a_forged_forwarded_for_header_does_not_escape_the_ip_lock(parent):
    for n in range(20):
        APIClient(REMOTE_ADDR="10.5.5.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").post(
            "/api/v1/auth/token/", {"email": f"x{n}@example.com", "password": "x"}, format="json"
        )
    response = APIClient(REMOTE_ADDR="10.5.5.5", HTTP_X_FORWARDED_FOR="198.51.100.7").post(
        "/api/v1/auth/token/", {"email": parent.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429


@pytest.mark.django_db(transaction=True)
def test_concurrent_wrong_passwords_cannot_get_past_the_account_lockout(parent, monkeypatch):
    """Each sign-in is counted before its password is checked: 20 simultaneous wrong passwords for
    one account give exactly 5 checked passwords (401) and 15 refusals (429)."""
    authenticate = auth_service.authenticate

    def slow_authenticate(**credentials):
        time.sleep(0.2)  # password hashing takes a while: every thread is inside it at once
        return authenticate(**credentials)

    monkeypatch.setattr(auth_service, "authenticate", slow_authenticate)

    def attempt(n: int) -> int:
        try:
            return _login(parent.email, "wrong-password", ip=f"10.3.3.{n + 1}").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(attempt, range(20)))
    assert sorted(statuses) == [401] * 5 + [429] * 15
