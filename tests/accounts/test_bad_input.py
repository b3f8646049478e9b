"""Bad input, endpoint by endpoint: every malformed request to /api/v1/ gets a clear 4xx in the one
error shape ``{"error": {"code", "message", "fields"}}`` and leaves the database exactly as it was.

The tables below are the specification. Each row is one request and what must come back: the
status, the error code and, for field errors, the field named in ``error.fields``. Around every
request the test takes a snapshot of every accounts table, so a refused write that changed
anything (a half-created child, a spent pairing code, a blacklisted token) fails its row.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts.models import (
    ChildProfile,
    ConsentRecord,
    ConsentScope,
    Device,
    GuardianInvitation,
    GuardianRole,
    Guardianship,
    PairingCode,
    PairingRequest,
    ParentalControls,
    User,
)
from accounts.services.consent import consent_withdraw
from accounts.services.controls import controls_update
from accounts.services.devices import device_pair, device_revoke, pairing_code_create
from accounts.services.guardians import invitation_accept, invitation_create, invitation_revoke
from accounts.services.pairing_requests import pairing_request_create
from accounts.tokens import ChildRefreshToken, ParentRefreshToken
from tests.factories import PASSWORD, Cast
from tests.request_tables import DROP, INVALID, MALFORMED, NO_BODY, Raw, client_as, cursor, merged, send, table

pytestmark = pytest.mark.django_db

# --- how requests are written and checked ----------------------------------------------------------


TODAY = datetime.now(UTC).date()


def years_ago(years: int) -> str:
    return (TODAY - timedelta(days=365 * years + 40)).isoformat()


def register(**changes: Any) -> dict[str, Any]:
    base = {"email": "new.parent@example.com", "password": "a-long-secret-phrase", "display_name": "New"}
    return merged(base, changes)


def child(**changes: Any) -> dict[str, Any]:
    return merged({"display_name": "Nia", "age": 7, "consent_scopes": ["chat"]}, changes)


def controls(**changes: Any) -> dict[str, Any]:
    """A complete, valid PUT body for parental controls."""
    base = {
        "daily_minutes": 60,
        "weekly_minutes": 300,
        "session_minutes": 30,
        "weekday_start": "07:00",
        "weekday_end": "20:30",
        "weekend_start": "08:00",
        "weekend_end": "21:00",
        "time_zone": "Asia/Shanghai",
        "education_enabled": True,
        "emotion_enabled": True,
        "stories_enabled": True,
        "voice_enabled": True,
        "memory_enabled": False,
        "safety_sensitivity": "medium",
        "blocked_words": [],
        "alert_min_severity": "medium",
        "alert_email": True,
        "alert_realtime": True,
    }
    return merged(base, changes)


def pair(**changes: Any) -> dict[str, Any]:
    return merged({"code": "123456", "device_name": "Tablet"}, changes)


def assert_error(response, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    """The one error shape, as JSON, with the expected status, code and (if given) field."""
    text = response.content.decode("utf-8", errors="replace")
    assert response.status_code == status, f"expected {status}, got {response.status_code}: {text[:500]}"
    assert response["Content-Type"].startswith("application/json"), (response["Content-Type"], text[:300])
    assert "Traceback" not in text
    assert "<html" not in text.lower()
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}, error
    assert isinstance(error["message"], str) and error["message"], error
    assert isinstance(error["fields"], dict), error
    assert error["code"] == code, error
    if field is not None:
        assert field in error["fields"], error
    if status == 405:
        assert response.has_header("Allow")
    if status == 429:
        assert int(response["Retry-After"]) > 0
    return error


def db_state() -> dict[str, list]:
    """Every row a request to the accounts API could write (but a device's last_seen_at heartbeat)."""
    device_fields = [f.attname for f in Device._meta.concrete_fields if f.name != "last_seen_at"]
    return {
        "users": list(User.objects.order_by("pk").values()),
        "children": list(ChildProfile.objects.order_by("pk").values()),
        "controls": list(ParentalControls.objects.order_by("pk").values()),
        "guardianships": list(Guardianship.objects.order_by("pk").values()),
        "consents": list(ConsentRecord.objects.order_by("pk").values()),
        "devices": list(Device.objects.order_by("pk").values(*device_fields)),
        "pairing_codes": list(PairingCode.objects.order_by("pk").values()),
        "pairing_requests": list(PairingRequest.objects.order_by("pk").values()),
        "invitations": list(GuardianInvitation.objects.order_by("pk").values()),
        "outstanding_tokens": list(OutstandingToken.objects.order_by("pk").values_list("jti", flat=True)),
        "blacklisted_tokens": list(BlacklistedToken.objects.order_by("pk").values_list("token_id", flat=True)),
    }


@pytest.fixture
def ids(cast: Cast) -> dict[str, Any]:
    """Values for the ``{placeholders}`` in the tables' paths."""
    pending, _token = invitation_create(actor=cast.parent_a, child=cast.child_a1, email="pending@example.com")
    pairing_request, pairing_request_code, _secret = pairing_request_create(device_name="Robo Bear")
    return {
        **cast.path_ids(),
        "preq": pairing_request.pk,
        "preq_code": pairing_request_code,
        "consent_a1": ConsentRecord.objects.get(child=cast.child_a1, scope=ConsentScope.CHAT).pk,
        "consent_b1": ConsentRecord.objects.get(child=cast.child_b1, scope=ConsentScope.CHAT).pk,
        "owner_a1": Guardianship.objects.get(child=cast.child_a1, role=GuardianRole.OWNER).pk,
        "co_a1": Guardianship.objects.get(child=cast.child_a1, role=GuardianRole.CO_GUARDIAN).pk,
        "owner_b1": Guardianship.objects.get(child=cast.child_b1, role=GuardianRole.OWNER).pk,
        "inv_pending_a1": pending.pk,
        "inv_accepted_a1": GuardianInvitation.objects.get(child=cast.child_a1, accepted_at__isnull=False).pk,
        "huge": "99999999999999999999999",  # too long for the id converter
        "max18": "999999999999999999",  # passes the converter (18 digits), fits a bigint, exists nowhere
    }


# --- endpoints -------------------------------------------------------------------------------------------
REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
LOGOUT = "/api/v1/auth/logout/"
ME = "/api/v1/me/"
CHILDREN = "/api/v1/children/"
CHILD = "/api/v1/children/{a1}/"
CONTROLS = "/api/v1/children/{a1}/controls/"
VERIFY_PIN = "/api/v1/children/{a1}/controls/verify-pin/"
CONSENTS = "/api/v1/children/{a1}/consents/"
WITHDRAW = "/api/v1/children/{a1}/consents/{consent_a1}/withdraw/"
PAIRING_CODES = "/api/v1/children/{a1}/pairing-codes/"
DEVICES = "/api/v1/children/{a1}/devices/"
DEVICE_REVOKE = "/api/v1/children/{a1}/devices/{dev_a1}/revoke/"
GUARDIANS = "/api/v1/children/{a1}/guardians/"
GUARDIAN = "/api/v1/children/{a1}/guardians/{co_a1}/"
INVITATIONS = "/api/v1/children/{a1}/invitations/"
INVITATION_REVOKE = "/api/v1/children/{a1}/invitations/{inv_pending_a1}/revoke/"
PAIR = "/api/v1/devices/pair/"
PAIRING_REQUESTS = "/api/v1/devices/pairing-requests/"
PAIRING_REQUEST = "/api/v1/devices/pairing-requests/{preq}/"
CLAIM = "/api/v1/children/{a1}/pairing-requests/claim/"
CONSENT_POLICY = "/api/v1/consent-policy/"
ACCEPT = "/api/v1/invitations/accept/"


# --- 1. the body itself is wrong, whatever the endpoint -------------------------------------------------
TOO_BIG = Raw(json.dumps({"display_name": "x" * (3 * 1024 * 1024)}))  # over DATA_UPLOAD_MAX_MEMORY_SIZE

BODY_SHAPES = [
    # (name, body, status, code[, field])
    ("malformed json", Raw('{"display_name": '), 400, MALFORMED),
    ("trailing garbage", Raw("{} }"), 400, MALFORMED),
    ("single-quoted json", Raw("{'email': 'a@b.c'}"), 400, MALFORMED),
    ("NaN literal", Raw('{"age": NaN}'), 400, MALFORMED),
    ("invalid utf-8", Raw(b'{"display_name": "\xff\xfe"}'), 400, MALFORMED),
    ("deeply nested json", Raw("[" * 100_000), 400, MALFORMED),
    ("json array", [], 400, INVALID, "non_field_errors"),
    ("json array of objects", [{"email": "a@b.c"}], 400, INVALID, "non_field_errors"),
    ("json string", "hello", 400, INVALID, "non_field_errors"),
    ("json number", 42, 400, INVALID, "non_field_errors"),
    ("json true", True, 400, INVALID, "non_field_errors"),
    ("json null", None, 400, INVALID, "non_field_errors"),
    ("text/plain", Raw("hello", "text/plain"), 415, "unsupported_media_type"),
    ("form-encoded", Raw("a=1", "application/x-www-form-urlencoded"), 415, "unsupported_media_type"),
    ("xml", Raw("<a/>", "application/xml"), 415, "unsupported_media_type"),
    ("body over 2.5 MiB", TOO_BIG, 413, "request_too_large"),
]

# Endpoints that read a JSON body, each with a caller allowed to use it.
BODY_ENDPOINTS = [
    ("register", "anonymous", "post", REGISTER),
    ("token", "anonymous", "post", TOKEN),
    ("refresh", "anonymous", "post", REFRESH),
    ("logout", "anonymous", "post", LOGOUT),
    ("child create", "parent_a", "post", CHILDREN),
    ("child patch", "parent_a", "patch", CHILD),
    ("controls put", "parent_a", "put", CONTROLS),
    ("controls patch", "parent_a", "patch", CONTROLS),
    ("verify pin", "device_a1", "post", VERIFY_PIN),
    ("consent grant", "parent_a", "post", CONSENTS),
    ("invite", "parent_a", "post", INVITATIONS),
    ("pair", "anonymous", "post", PAIR),
    ("accept invitation", "parent_b", "post", ACCEPT),
    ("pairing code", "parent_a", "post", PAIRING_CODES),
    ("pairing request", "anonymous", "post", PAIRING_REQUESTS),
    ("claim", "parent_a", "post", CLAIM),
]

# Write endpoints that take no body: a body they cannot read is bad input all the same, and the
# action must not go ahead as if it had not been sent.
NO_BODY_ENDPOINTS = [
    ("consent withdraw", "parent_a", "post", WITHDRAW),
    ("device revoke", "parent_a", "post", DEVICE_REVOKE),
    ("invitation revoke", "parent_a", "post", INVITATION_REVOKE),
    ("guardian remove", "parent_a", "delete", GUARDIAN),
    ("child delete", "parent_a", "delete", "/api/v1/children/{a2}/"),
]
NO_BODY_SHAPES = [
    ("malformed json", Raw('{"reason": '), 400, MALFORMED),
    ("text/plain", Raw("hello", "text/plain"), 415, "unsupported_media_type"),
]

BODY_SHAPE_ROWS = [
    *[row for label, *endpoint in BODY_ENDPOINTS for row in table(label, *endpoint, BODY_SHAPES)],
    *[row for label, *endpoint in NO_BODY_ENDPOINTS for row in table(label, *endpoint, NO_BODY_SHAPES)],
]

# --- 2. one bad field (or a bad combination) per row -----------------------------------------------------
TOO_MANY_WORDS = [f"word{i}" for i in range(201)]
TWENTY_ONE = [f"interest{i}" for i in range(21)]
TOMORROW = (TODAY + timedelta(days=1)).isoformat()
ALL_BUT_CHAT = ["voice", "voiceprint", "memory", "emotion_companion"]
ONE_BAD_OF_THREE = {"daily_minutes": 30, "pin": "123456", "session_minutes": 1}

REGISTER_ROWS = [
    ("empty object", {}, 400, INVALID, "email"),
    ("password missing", register(password=DROP), 400, INVALID, "password"),
    ("name missing", register(display_name=DROP), 400, INVALID, "display_name"),
    ("not an email", register(email="not-an-email"), 400, INVALID, "email"),
    ("email int", register(email=42), 400, INVALID, "email"),
    ("email list", register(email=["a@b.c"]), 400, INVALID, "email"),
    ("email null", register(email=None), 400, INVALID, "email"),
    ("email 255 chars", register(email="a" * 243 + "@example.com"), 400, INVALID, "email"),
    ("email NUL", register(email="a\u0000@example.com"), 400, INVALID, "email"),
    ("email taken, other case", register(email="Parent.A@Example.COM"), 400, INVALID, "email"),
    ("password short", register(password="abc"), 400, INVALID, "password"),
    ("password numeric", register(password="83920174652"), 400, INVALID, "password"),
    ("password 129 chars", register(password="p" * 129), 400, INVALID, "password"),
    ("password null", register(password=None), 400, INVALID, "password"),
    ("password NUL", register(password="a-long\u0000secret"), 400, INVALID, "password"),
    ("name 81 chars", register(display_name="n" * 81), 400, INVALID, "display_name"),
    ("name blank", register(display_name="   "), 400, INVALID, "display_name"),
    ("name NUL", register(display_name="Mum\u0000"), 400, INVALID, "display_name"),
    ("name dict", register(display_name={"a": 1}), 400, INVALID, "display_name"),
    ("language fr", register(language="fr"), 400, INVALID, "language"),
    ("language list", register(language=["en"]), 400, INVALID, "language"),
]

LOGIN = {"email": "parent.a@example.com", "password": PASSWORD}
TOKEN_ROWS = [
    ("empty object", {}, 400, INVALID, "email"),
    ("password missing", merged(LOGIN, {"password": DROP}), 400, INVALID, "password"),
    ("not an email", merged(LOGIN, {"email": "parent.a"}), 400, INVALID, "email"),
    ("password list", merged(LOGIN, {"password": [PASSWORD]}), 400, INVALID, "password"),
    ("password NUL", merged(LOGIN, {"password": "x\u0000"}), 400, INVALID, "password"),
    ("wrong password", merged(LOGIN, {"password": "wrong-password"}), 401, "invalid_credentials"),
    ("unknown account", merged(LOGIN, {"email": "nobody@example.com"}), 401, "invalid_credentials"),
]

REFRESH_BODY_ROWS = [
    ("empty object", {}, 400, INVALID, "refresh"),
    ("null", {"refresh": None}, 400, INVALID, "refresh"),
    ("list", {"refresh": ["x"]}, 400, INVALID, "refresh"),
    ("2001 chars", {"refresh": "x" * 2001}, 400, INVALID, "refresh"),
    ("NUL", {"refresh": "x\u0000"}, 400, INVALID, "refresh"),
    ("garbage", {"refresh": "garbage"}, 401, "token_not_valid"),
    ("number", {"refresh": 12345}, 400, INVALID, "refresh"),  # a token is a string
]

CHILD_CREATE_ROWS = [
    ("empty object", {}, 400, INVALID, "display_name"),
    ("name missing", child(display_name=DROP), 400, INVALID, "display_name"),
    ("scopes missing", child(consent_scopes=DROP), 400, INVALID, "consent_scopes"),
    ("neither age nor birth date", child(age=DROP), 400, INVALID, "birth_date"),
    ("both age and birth date", child(birth_date=years_ago(7)), 400, INVALID, "age"),
    ("age 2", child(age=2), 400, INVALID, "age"),
    ("age 99", child(age=99), 400, INVALID, "age"),
    ("age -1", child(age=-1), 400, INVALID, "age"),
    ("age string", child(age="seven"), 400, INVALID, "age"),
    ("age fraction", child(age=7.5), 400, INVALID, "age"),
    ("age boolean", child(age=True), 400, INVALID, "age"),
    ("age null", child(age=None), 400, INVALID, "age"),
    ("age list", child(age=[7]), 400, INVALID, "age"),
    ("age 2**63", child(age=2**63), 400, INVALID, "age"),
    ("age 1e400", Raw('{"display_name": "Nia", "age": 1e400, "consent_scopes": ["chat"]}'), 400, INVALID, "age"),
    ("age 5000 digits", child(age="9" * 5000), 400, INVALID, "age"),
    ("birth date in 2999", child(age=DROP, birth_date="2999-01-01"), 400, INVALID, "birth_date"),
    ("birth date tomorrow", child(age=DROP, birth_date=TOMORROW), 400, INVALID, "birth_date"),
    ("birth date, age 2", child(age=DROP, birth_date=years_ago(2)), 400, INVALID, "birth_date"),
    ("birth date, age 20", child(age=DROP, birth_date=years_ago(20)), 400, INVALID, "birth_date"),
    ("birth date year 1", child(age=DROP, birth_date="0001-01-01"), 400, INVALID, "birth_date"),
    ("birth date 30 February", child(age=DROP, birth_date="2018-02-30"), 400, INVALID, "birth_date"),
    ("birth date garbage", child(age=DROP, birth_date="last spring"), 400, INVALID, "birth_date"),
    ("birth date int", child(age=DROP, birth_date=20180101), 400, INVALID, "birth_date"),
    ("birth date null", child(age=DROP, birth_date=None), 400, INVALID, "birth_date"),
    ("grade 9", child(grade=9), 400, INVALID, "grade"),
    ("grade -1", child(grade=-1), 400, INVALID, "grade"),
    ("grade string", child(grade="first"), 400, INVALID, "grade"),
    ("grade list", child(grade=[1]), 400, INVALID, "grade"),
    ("grade 2**63", child(grade=2**63), 400, INVALID, "grade"),
    ("language fr", child(language="fr"), 400, INVALID, "language"),
    ("language null", child(language=None), 400, INVALID, "language"),
    ("language int", child(language=1), 400, INVALID, "language"),
    ("avatar unicorn", child(avatar="unicorn"), 400, INVALID, "avatar"),
    ("avatar blank", child(avatar=""), 400, INVALID, "avatar"),
    ("avatar null", child(avatar=None), 400, INVALID, "avatar"),
    ("name blank", child(display_name=""), 400, INVALID, "display_name"),
    ("name spaces", child(display_name="   "), 400, INVALID, "display_name"),
    ("name 41 chars", child(display_name="n" * 41), 400, INVALID, "display_name"),
    ("name NUL", child(display_name="Ni\u0000a"), 400, INVALID, "display_name"),
    ("name list", child(display_name=["Nia"]), 400, INVALID, "display_name"),
    ("name dict", child(display_name={"first": "Nia"}), 400, INVALID, "display_name"),
    ("name null", child(display_name=None), 400, INVALID, "display_name"),
    ("interests string", child(interests="dinosaurs"), 400, INVALID, "interests"),
    ("interests dict", child(interests={"a": "dinosaurs"}), 400, INVALID, "interests"),
    ("interests [null]", child(interests=[None]), 400, INVALID, "interests"),
    ("interests [dict]", child(interests=[{"a": 1}]), 400, INVALID, "interests"),
    ("interest 31 chars", child(interests=["x" * 31]), 400, INVALID, "interests"),
    ("interest NUL", child(interests=["lego\u0000"]), 400, INVALID, "interests"),
    ("21 interests", child(interests=TWENTY_ONE), 400, INVALID, "interests"),
    ("500 interests", child(interests=["lego"] * 500), 400, INVALID, "interests"),
    ("scopes empty", child(consent_scopes=[]), 400, INVALID, "consent_scopes"),
    ("scope everything", child(consent_scopes=["chat", "everything"]), 400, INVALID, "consent_scopes"),
    ("scopes string", child(consent_scopes="chat"), 400, INVALID, "consent_scopes"),
    ("scopes dict", child(consent_scopes={"chat": True}), 400, INVALID, "consent_scopes"),
    ("scopes null", child(consent_scopes=None), 400, INVALID, "consent_scopes"),
    ("scopes nested list", child(consent_scopes=[["chat"]]), 400, INVALID, "consent_scopes"),
    ("11 scopes", child(consent_scopes=["chat"] * 11), 400, INVALID, "consent_scopes"),
    ("voice without chat", child(consent_scopes=["voice"]), 400, "consent_required", "consent_scopes"),
    ("every scope but chat", child(consent_scopes=ALL_BUT_CHAT), 400, "consent_required", "consent_scopes"),
    ("policy 21 chars", child(policy_version="v" * 21), 400, INVALID, "policy_version"),
    ("policy outdated", child(policy_version="2000-01"), 409, "policy_outdated", "policy_version"),
]

CHILD_PATCH_ROWS = [
    ("name blank", {"display_name": ""}, 400, INVALID, "display_name"),
    ("name 41 chars", {"display_name": "n" * 41}, 400, INVALID, "display_name"),
    ("name NUL", {"display_name": "\u0000"}, 400, INVALID, "display_name"),
    ("name null", {"display_name": None}, 400, INVALID, "display_name"),
    ("name list", {"display_name": ["Al"]}, 400, INVALID, "display_name"),
    ("birth date in 2999", {"birth_date": "2999-01-01"}, 400, INVALID, "birth_date"),
    ("birth date tomorrow", {"birth_date": TOMORROW}, 400, INVALID, "birth_date"),
    ("birth date, age 20", {"birth_date": years_ago(20)}, 400, INVALID, "birth_date"),
    ("birth date, age 2", {"birth_date": years_ago(2)}, 400, INVALID, "birth_date"),
    ("birth date garbage", {"birth_date": "soon"}, 400, INVALID, "birth_date"),
    ("birth date null", {"birth_date": None}, 400, INVALID, "birth_date"),
    ("grade 9", {"grade": 9}, 400, INVALID, "grade"),
    ("grade string", {"grade": "x"}, 400, INVALID, "grade"),
    ("language fr", {"language": "fr"}, 400, INVALID, "language"),
    ("avatar unicorn", {"avatar": "unicorn"}, 400, INVALID, "avatar"),
    ("interests string", {"interests": "lego"}, 400, INVALID, "interests"),
    ("21 interests", {"interests": TWENTY_ONE}, 400, INVALID, "interests"),
    ("is_active maybe", {"is_active": "maybe"}, 400, INVALID, "is_active"),
    ("is_active 2", {"is_active": 2}, 400, INVALID, "is_active"),
    ("is_active null", {"is_active": None}, 400, INVALID, "is_active"),
    ("one bad field of two", {"display_name": "Ok", "grade": 9}, 400, INVALID, "grade"),
]

CONTROLS_PATCH_ROWS = [
    ("daily 99999", {"daily_minutes": 99999}, 400, INVALID, "daily_minutes"),
    ("daily -1", {"daily_minutes": -1}, 400, INVALID, "daily_minutes"),
    ("daily string", {"daily_minutes": "sixty"}, 400, INVALID, "daily_minutes"),
    ("daily fraction", {"daily_minutes": 60.5}, 400, INVALID, "daily_minutes"),
    ("daily boolean", {"daily_minutes": True}, 400, INVALID, "daily_minutes"),
    ("daily list", {"daily_minutes": [60]}, 400, INVALID, "daily_minutes"),
    ("daily null", {"daily_minutes": None}, 400, INVALID, "daily_minutes"),
    ("daily 2**63", {"daily_minutes": 2**63}, 400, INVALID, "daily_minutes"),
    ("weekly 99999", {"weekly_minutes": 99999}, 400, INVALID, "weekly_minutes"),
    ("session 1", {"session_minutes": 1}, 400, INVALID, "session_minutes"),
    ("session 241", {"session_minutes": 241}, 400, INVALID, "session_minutes"),
    ("daily > weekly", {"daily_minutes": 600, "weekly_minutes": 300}, 400, INVALID, "daily_minutes"),
    ("daily > stored weekly", {"daily_minutes": 301}, 400, INVALID, "daily_minutes"),
    ("weekday end before start", {"weekday_start": "20:00", "weekday_end": "08:00"}, 400, INVALID, "weekday_end"),
    ("weekday start after stored end", {"weekday_start": "21:00"}, 400, INVALID, "weekday_end"),
    ("weekend empty window", {"weekend_start": "10:00", "weekend_end": "10:00"}, 400, INVALID, "weekend_end"),
    ("time 25:00", {"weekday_start": "25:00"}, 400, INVALID, "weekday_start"),
    ("time 7am", {"weekday_start": "7am"}, 400, INVALID, "weekday_start"),
    ("time int", {"weekend_end": 2100}, 400, INVALID, "weekend_end"),
    ("time null", {"weekend_start": None}, 400, INVALID, "weekend_start"),
    ("unknown time zone", {"time_zone": "Mars/Olympus_Mons"}, 400, INVALID, "time_zone"),
    ("time zone blank", {"time_zone": ""}, 400, INVALID, "time_zone"),
    ("time zone 65 chars", {"time_zone": "Z" * 65}, 400, INVALID, "time_zone"),
    ("time zone NUL", {"time_zone": "Asia/Shanghai\u0000"}, 400, INVALID, "time_zone"),
    ("time zone int", {"time_zone": 8}, 400, INVALID, "time_zone"),
    ("feature maybe", {"education_enabled": "maybe"}, 400, INVALID, "education_enabled"),
    ("feature null", {"voice_enabled": None}, 400, INVALID, "voice_enabled"),
    ("alert_email perhaps", {"alert_email": "perhaps"}, 400, INVALID, "alert_email"),
    ("sensitivity extreme", {"safety_sensitivity": "extreme"}, 400, INVALID, "safety_sensitivity"),
    ("alert severity none", {"alert_min_severity": "none"}, 400, INVALID, "alert_min_severity"),
    ("201 blocked words", {"blocked_words": TOO_MANY_WORDS}, 400, INVALID, "blocked_words"),
    ("blocked word 31 chars", {"blocked_words": ["ok", "x" * 31]}, 400, INVALID, "blocked_words"),
    ("blocked words string", {"blocked_words": "bad"}, 400, INVALID, "blocked_words"),
    ("blocked words dict", {"blocked_words": {"bad": 1}}, 400, INVALID, "blocked_words"),
    ("blocked words null", {"blocked_words": None}, 400, INVALID, "blocked_words"),
    ("blocked words [null]", {"blocked_words": [None]}, 400, INVALID, "blocked_words"),
    ("blocked words nested", {"blocked_words": [["bad"]]}, 400, INVALID, "blocked_words"),
    ("blocked word NUL", {"blocked_words": ["ba\u0000d"]}, 400, INVALID, "blocked_words"),
    ("pin 7 digits", {"pin": "1234567"}, 400, INVALID, "pin"),
    ("pin 5 digits", {"pin": "12345"}, 400, INVALID, "pin"),
    ("pin letters", {"pin": "abcdef"}, 400, INVALID, "pin"),
    ("pin full-width digits", {"pin": "\uff11\uff12\uff13\uff14\uff15\uff16"}, 400, INVALID, "pin"),
    ("pin 7-digit int", {"pin": 1234567}, 400, INVALID, "pin"),
    ("pin list", {"pin": [1, 2, 3, 4, 5, 6]}, 400, INVALID, "pin"),
    ("pin boolean", {"pin": True}, 400, INVALID, "pin"),
    ("one bad field of three", ONE_BAD_OF_THREE, 400, INVALID, "session_minutes"),
]

CONTROLS_PUT_ROWS = [
    ("empty object", {}, 400, INVALID, "daily_minutes"),
    ("only one field", {"daily_minutes": 30}, 400, INVALID, "weekly_minutes"),
    ("session 1", controls(session_minutes=1), 400, INVALID, "session_minutes"),
    ("daily > weekly", controls(daily_minutes=400), 400, INVALID, "daily_minutes"),
    ("weekday end before start", controls(weekday_end="06:00"), 400, INVALID, "weekday_end"),
    ("unknown time zone", controls(time_zone="Europe/Atlantis"), 400, INVALID, "time_zone"),
    ("201 blocked words", controls(blocked_words=TOO_MANY_WORDS), 400, INVALID, "blocked_words"),
    ("pin letters", controls(pin="abcdef"), 400, INVALID, "pin"),
]

VERIFY_PIN_ROWS = [
    ("empty object", {}, 400, INVALID, "pin"),
    ("5 digits", {"pin": "12345"}, 400, INVALID, "pin"),
    ("7 digits", {"pin": "1234567"}, 400, INVALID, "pin"),
    ("null", {"pin": None}, 400, INVALID, "pin"),
    ("list", {"pin": ["123456"]}, 400, INVALID, "pin"),
    ("none set yet", {"pin": "123456"}, 409, "pin_not_set"),
]

CONSENT_ROWS = [
    ("empty object", {}, 400, INVALID, "scope"),
    ("scope everything", {"scope": "everything"}, 400, INVALID, "scope"),
    ("scope upper case", {"scope": "CHAT"}, 400, INVALID, "scope"),
    ("scope blank", {"scope": ""}, 400, INVALID, "scope"),
    ("scope null", {"scope": None}, 400, INVALID, "scope"),
    ("scope list", {"scope": ["memory"]}, 400, INVALID, "scope"),
    ("scope int", {"scope": 1}, 400, INVALID, "scope"),
    ("policy 21 chars", {"scope": "memory", "policy_version": "v" * 21}, 400, INVALID, "policy_version"),
    ("policy null", {"scope": "memory", "policy_version": None}, 400, INVALID, "policy_version"),
    ("policy outdated", {"scope": "memory", "policy_version": "2000-01"}, 409, "policy_outdated", "policy_version"),
]

INVITE_ROWS = [
    ("empty object", {}, 400, INVALID, "email"),
    ("not an email", {"email": "grandma"}, 400, INVALID, "email"),
    ("email list", {"email": ["g@example.com"]}, 400, INVALID, "email"),
    ("email null", {"email": None}, 400, INVALID, "email"),
    ("email 255 chars", {"email": "g" * 243 + "@example.com"}, 400, INVALID, "email"),
    ("email NUL", {"email": "g\u0000@example.com"}, 400, INVALID, "email"),
    ("already a guardian, other case", {"email": "CO.Guardian@example.com"}, 409, "already_guardian"),
    ("oneself", {"email": "parent.a@example.com"}, 409, "already_guardian"),
]

PAIR_ROWS = [  # codes with a history are in test_pairing_code_refused
    ("empty object", {}, 400, INVALID, "code"),
    ("code missing", pair(code=DROP), 400, INVALID, "code"),
    ("device name missing", pair(device_name=DROP), 400, INVALID, "device_name"),
    ("code blank", pair(code=""), 400, INVALID, "code"),
    ("code null", pair(code=None), 400, INVALID, "code"),
    ("code list", pair(code=["123456"]), 400, INVALID, "code"),
    ("code 21 chars", pair(code="1" * 21), 400, INVALID, "code"),
    ("code NUL", pair(code="12345\u0000"), 400, INVALID, "code"),
    ("device name blank", pair(device_name=" "), 400, INVALID, "device_name"),
    ("device name 61 chars", pair(device_name="d" * 61), 400, INVALID, "device_name"),
    ("device name NUL", pair(device_name="iPad\u0000"), 400, INVALID, "device_name"),
    ("device name dict", pair(device_name={"n": 1}), 400, INVALID, "device_name"),
    ("alphabetic code", pair(code="abcdef"), 400, "pairing_code_invalid", "code"),
    ("5-digit code", pair(code="12345"), 400, "pairing_code_invalid", "code"),
    ("7-digit code", pair(code="1234567"), 400, "pairing_code_invalid", "code"),
    ("code nobody was given", pair(code="000000"), 400, "pairing_code_invalid", "code"),
    ("long code nobody was given", pair(code="K7QM-3XRT-9HWP"), 400, "pairing_code_invalid", "code"),
    ("long code, a letter not in the alphabet", pair(code="K7QM-3XRT-9HWI"), 400, "pairing_code_invalid", "code"),
    ("11 characters", pair(code="K7QM-3XRT-9HW"), 400, "pairing_code_invalid", "code"),
]

PAIRING_CODE_ROWS = [
    ("kind unknown", {"kind": "medium"}, 400, INVALID, "kind"),
    ("kind upper case", {"kind": "LONG"}, 400, INVALID, "kind"),
    ("kind null", {"kind": None}, 400, INVALID, "kind"),
    ("kind list", {"kind": ["long"]}, 400, INVALID, "kind"),
]

PAIRING_REQUEST_ROWS = [
    ("empty object", {}, 400, INVALID, "device_name"),
    ("device name blank", {"device_name": " "}, 400, INVALID, "device_name"),
    ("device name null", {"device_name": None}, 400, INVALID, "device_name"),
    ("device name 61 chars", {"device_name": "d" * 61}, 400, INVALID, "device_name"),
    ("device name NUL", {"device_name": "Robo\u0000"}, 400, INVALID, "device_name"),
    ("device name list", {"device_name": ["Robo"]}, 400, INVALID, "device_name"),
]

CLAIM_ROWS = [  # the lockout is in test_too_many_attempts
    ("empty object", {}, 400, INVALID, "code"),
    ("code blank", {"code": ""}, 400, INVALID, "code"),
    ("code null", {"code": None}, 400, INVALID, "code"),
    ("code list", {"code": ["2222-3333"]}, 400, INVALID, "code"),
    ("code 21 chars", {"code": "2" * 21}, 400, INVALID, "code"),
    ("code NUL", {"code": "2222-333\u0000"}, 400, INVALID, "code"),
    ("code no device shows", {"code": "2222-3333"}, 400, "pairing_code_invalid", "code"),
    ("letters not in the alphabet", {"code": "IIII-OOOO"}, 400, "pairing_code_invalid", "code"),
    ("a 6-digit code", {"code": "123456"}, 400, "pairing_code_invalid", "code"),
]

ACCEPT_ROWS = [  # tokens with a history are in test_invitation_refused
    ("empty object", {}, 400, INVALID, "token"),
    ("token blank", {"token": ""}, 400, INVALID, "token"),
    ("token null", {"token": None}, 400, INVALID, "token"),
    ("token list", {"token": ["abc"]}, 400, INVALID, "token"),
    ("token 101 chars", {"token": "t" * 101}, 400, INVALID, "token"),
    ("token NUL", {"token": "abc\u0000"}, 400, INVALID, "token"),
    ("unknown token", {"token": "not-a-real-invitation-token"}, 400, "invitation_invalid"),
]

# --- 2b. strict bodies: each field takes only its own JSON type, and nothing else is accepted ----------
# One mechanism for every endpoint (happy_partner.api.serializers): no coercion of 123 into "123" or
# of "7" into 7, no key the endpoint does not write (unknown or read-only), no PATCH that changes nothing.
NON_FIELD = "non_field_errors"
STRICT_ROWS = {
    "register": [
        ("unknown field", register(nickname="Sam"), 400, INVALID, "nickname"),
        ("is_staff sent", register(is_staff=True), 400, INVALID, "is_staff"),
        ("name number", register(display_name=42), 400, INVALID, "display_name"),
        ("password number", register(password=83920174652123), 400, INVALID, "password"),
        ("language boolean", register(language=True), 400, INVALID, "language"),
    ],
    "token": [
        ("unknown field", merged(LOGIN, {"remember_me": True}), 400, INVALID, "remember_me"),
        ("password number", merged(LOGIN, {"password": 12345678}), 400, INVALID, "password"),
    ],
    "refresh": [("unknown field", {"refresh": "x", "access": "y"}, 400, INVALID, "access")],
    "child create": [
        ("unknown field", child(nickname="N"), 400, INVALID, "nickname"),
        ("read-only field", child(is_active=False), 400, INVALID, "is_active"),
        ("name number", child(display_name=7), 400, INVALID, "display_name"),
        ("age string", child(age="7"), 400, INVALID, "age"),
        ("age boolean", child(age=True), 400, INVALID, "age"),
        ("age 7.0", child(age=7.0), 400, INVALID, "age"),
        ("grade string", child(grade="3"), 400, INVALID, "grade"),
        ("interest number", child(interests=["lego", 7]), 400, INVALID, "interests"),
        ("scope number", child(consent_scopes=[1]), 400, INVALID, "consent_scopes"),
    ],
    "child patch": [
        ("empty object", {}, 400, INVALID, NON_FIELD),
        ("only unknown fields", {"nickname": "Al", "favourite": "red"}, 400, INVALID, "nickname"),
        ("known and unknown", {"display_name": "Al", "nickname": "x"}, 400, INVALID, "nickname"),
        ("read-only consent_scopes", {"consent_scopes": ["chat"]}, 400, INVALID, "consent_scopes"),
        ("read-only updated_at", {"updated_at": "2026-01-01T00:00:00Z"}, 400, INVALID, "updated_at"),
        ("name number", {"display_name": 42}, 400, INVALID, "display_name"),
        ("is_active string", {"is_active": "false"}, 400, INVALID, "is_active"),
        ("is_active 0", {"is_active": 0}, 400, INVALID, "is_active"),
        ("grade string", {"grade": "3"}, 400, INVALID, "grade"),
        ("birth date number", {"birth_date": 20190101}, 400, INVALID, "birth_date"),
    ],
    "controls patch": [
        ("empty object", {}, 400, INVALID, NON_FIELD),
        ("only unknown fields", {"bedtime": "20:00"}, 400, INVALID, "bedtime"),
        ("read-only pin_set", {"pin_set": False}, 400, INVALID, "pin_set"),
        ("pin number", {"pin": 123456}, 400, INVALID, "pin"),
        ("daily string", {"daily_minutes": "60"}, 400, INVALID, "daily_minutes"),
        ("feature 1", {"voice_enabled": 1}, 400, INVALID, "voice_enabled"),
        ("feature 'true'", {"voice_enabled": "true"}, 400, INVALID, "voice_enabled"),
        ("sensitivity number", {"safety_sensitivity": 2}, 400, INVALID, "safety_sensitivity"),
        ("blocked word number", {"blocked_words": ["ok", 7]}, 400, INVALID, "blocked_words"),
    ],
    "controls put": [
        ("unknown field", controls(bedtime="20:00"), 400, INVALID, "bedtime"),
        ("read-only updated_at", controls(updated_at="2026-01-01T00:00:00Z"), 400, INVALID, "updated_at"),
        ("pin number", controls(pin=123456), 400, INVALID, "pin"),
    ],
    "verify pin": [
        ("pin number", {"pin": 123456}, 400, INVALID, "pin"),
        ("unknown field", {"pin": "123456", "child": 1}, 400, INVALID, "child"),
    ],
    "consent grant": [
        ("unknown field", {"scope": "memory", "granted": True}, 400, INVALID, "granted"),
        ("policy number", {"scope": "memory", "policy_version": 2026}, 400, INVALID, "policy_version"),
    ],
    "invite": [("role sent", {"email": "g@example.com", "role": "owner"}, 400, INVALID, "role")],
    "pair": [
        ("code number", pair(code=123456), 400, INVALID, "code"),
        ("device name number", pair(device_name=7), 400, INVALID, "device_name"),
        ("child sent", pair(child=1), 400, INVALID, "child"),
    ],
    "accept invitation": [("token number", {"token": 12345}, 400, INVALID, "token")],
}
# Writes that take no body: a body with content is refused the same way, and the action does not happen.
NO_BODY_STRICT_ROWS = [
    ("a field", {"reason": "lost"}, 400, INVALID, "reason"),
    ("a list", [1], 400, INVALID, NON_FIELD),
]
STRICT_ENDPOINTS = {label: (persona, method, path) for label, persona, method, path in BODY_ENDPOINTS}
STRICT_TABLE = [
    *[row for label, rows in STRICT_ROWS.items() for row in table(label, *STRICT_ENDPOINTS[label], rows)],
    *[row for label, *endpoint in NO_BODY_ENDPOINTS for row in table(label, *endpoint, NO_BODY_STRICT_ROWS)],
]

FIELD_ROWS = [
    *table("register", "anonymous", "post", REGISTER, REGISTER_ROWS),
    *table("token", "anonymous", "post", TOKEN, TOKEN_ROWS),
    *table("refresh", "anonymous", "post", REFRESH, REFRESH_BODY_ROWS),
    *table("logout", "anonymous", "post", LOGOUT, REFRESH_BODY_ROWS),
    *table("child create", "parent_a", "post", CHILDREN, CHILD_CREATE_ROWS),
    *table("child patch", "parent_a", "patch", CHILD, CHILD_PATCH_ROWS),
    *table("controls patch", "parent_a", "patch", CONTROLS, CONTROLS_PATCH_ROWS),
    *table("controls put", "parent_a", "put", CONTROLS, CONTROLS_PUT_ROWS),
    *table("verify pin", "device_a1", "post", VERIFY_PIN, VERIFY_PIN_ROWS),
    *table("consent grant", "parent_a", "post", CONSENTS, CONSENT_ROWS),
    *table("invite", "parent_a", "post", INVITATIONS, INVITE_ROWS),
    *table("pair", "anonymous", "post", PAIR, PAIR_ROWS),
    *table("pairing code", "parent_a", "post", PAIRING_CODES, PAIRING_CODE_ROWS),
    *table("pairing request", "anonymous", "post", PAIRING_REQUESTS, PAIRING_REQUEST_ROWS),
    *table("claim", "parent_a", "post", CLAIM, CLAIM_ROWS),
    *table("accept invitation", "parent_b", "post", ACCEPT, ACCEPT_ROWS),
    *STRICT_TABLE,
]


# --- 3. the wrong caller, someone else's things, an action already undone ---------------------------------
B1 = "/api/v1/children/{b1}/"
B1_CONTROLS = B1 + "controls/"
B1_PIN = B1 + "controls/verify-pin/"
A2_PIN = "/api/v1/children/{a2}/controls/verify-pin/"
FOREIGN_WITHDRAW = CONSENTS + "{consent_b1}/withdraw/"
FOREIGN_DEVICE_REVOKE = DEVICES + "{dev_b1}/revoke/"
ACCEPTED_REVOKE = INVITATIONS + "{inv_accepted_a1}/revoke/"
OWNER_A1 = GUARDIANS + "{owner_a1}/"
OWNER_B1 = GUARDIANS + "{owner_b1}/"
PIN = {"pin": "123456"}
MEMORY = {"scope": "memory"}
GRANDMA = {"email": "grandma@example.com"}
RENAME = {"display_name": "Boss"}
LIMIT = {"daily_minutes": 1440}
SHOWN = {"code": "2222-3333"}


def other(name, persona, method, path, body, status, code):
    return pytest.param(persona, method, path, body, status, code, None, id=name)


CALLER_ROWS = [
    other(*row)
    for row in [
        # (name, persona, method, path, body, status, code)
        ("child create: device", "device_a1", "post", CHILDREN, child(), 403, "parent_required"),
        ("child create: anonymous", "anonymous", "post", CHILDREN, child(), 401, "not_authenticated"),
        ("child patch: device", "device_a1", "patch", CHILD, RENAME, 403, "parent_required"),
        ("child patch: foreign child", "parent_a", "patch", B1, RENAME, 404, "not_found"),
        ("child delete: co-guardian", "co_guardian", "delete", CHILD, NO_BODY, 403, "owner_required"),
        ("child delete: foreign child", "parent_a", "delete", B1, NO_BODY, 404, "not_found"),
        ("controls: device", "device_a1", "patch", CONTROLS, LIMIT, 403, "parent_required"),
        ("controls: anonymous", "anonymous", "patch", CONTROLS, LIMIT, 401, "not_authenticated"),
        ("controls: foreign child", "parent_a", "patch", B1_CONTROLS, LIMIT, 404, "not_found"),
        ("verify pin: other child", "device_a1", "post", B1_PIN, PIN, 404, "not_found"),
        ("verify pin: sibling", "device_a1", "post", A2_PIN, PIN, 404, "not_found"),
        ("verify pin: foreign parent", "parent_b", "post", VERIFY_PIN, PIN, 404, "not_found"),
        ("verify pin: anonymous", "anonymous", "post", VERIFY_PIN, PIN, 401, "not_authenticated"),
        ("consent grant: foreign child", "parent_a", "post", B1 + "consents/", MEMORY, 404, "not_found"),
        ("consent grant: device", "device_a1", "post", CONSENTS, MEMORY, 403, "parent_required"),
        ("withdraw: foreign consent", "parent_a", "post", FOREIGN_WITHDRAW, NO_BODY, 404, "not_found"),
        ("pairing code: foreign child", "parent_a", "post", B1 + "pairing-codes/", NO_BODY, 404, "not_found"),
        ("pairing code: device", "device_a1", "post", PAIRING_CODES, NO_BODY, 403, "parent_required"),
        ("claim: foreign child", "parent_a", "post", B1 + "pairing-requests/claim/", SHOWN, 404, "not_found"),
        ("claim: device", "device_a1", "post", CLAIM, SHOWN, 403, "parent_required"),
        ("claim: anonymous", "anonymous", "post", CLAIM, SHOWN, 401, "not_authenticated"),
        ("poll: no secret", "anonymous", "get", PAIRING_REQUEST, NO_BODY, 404, "not_found"),
        ("poll: a parent's token is no secret", "parent_a", "get", PAIRING_REQUEST, NO_BODY, 404, "not_found"),
        ("poll: a device's token is no secret", "device_a1", "get", PAIRING_REQUEST, NO_BODY, 404, "not_found"),
        ("device revoke: foreign device", "parent_a", "post", FOREIGN_DEVICE_REVOKE, NO_BODY, 404, "not_found"),
        ("device revoke: by the device", "device_a1", "post", DEVICE_REVOKE, NO_BODY, 403, "parent_required"),
        ("invite: co-guardian", "co_guardian", "post", INVITATIONS, GRANDMA, 403, "owner_required"),
        ("invite: foreign child", "parent_a", "post", B1 + "invitations/", GRANDMA, 404, "not_found"),
        ("invitation revoke: accepted", "parent_a", "post", ACCEPTED_REVOKE, NO_BODY, 409, "invitation_not_pending"),
        ("invitation revoke: co-guardian", "co_guardian", "post", INVITATION_REVOKE, NO_BODY, 403, "owner_required"),
        ("guardian remove: the owner", "parent_a", "delete", OWNER_A1, NO_BODY, 409, "owner_cannot_leave"),
        ("guardian remove: owner, by co-guardian", "co_guardian", "delete", OWNER_A1, NO_BODY, 403, "owner_required"),
        ("guardian remove: foreign guardianship", "parent_a", "delete", OWNER_B1, NO_BODY, 404, "not_found"),
        ("accept invitation: device", "device_a1", "post", ACCEPT, {"token": "x"}, 403, "parent_required"),
        ("accept invitation: anonymous", "anonymous", "post", ACCEPT, {"token": "x"}, 401, "not_authenticated"),
    ]
]

# --- 4. URLs: unknown paths, ids that do not fit or do not exist ------------------------------------------
ROUTE_ROWS = [
    other(*row)
    for row in [
        ("unknown path", "parent_a", "get", "/api/v1/nope/", NO_BODY, 404, "not_found"),
        ("unknown path, anonymous", "anonymous", "get", "/api/v1/nope/", NO_BODY, 404, "not_found"),
        ("api root", "anonymous", "get", "/api/v1/", NO_BODY, 404, "not_found"),
        ("unknown api version", "parent_a", "get", "/api/v2/children/", NO_BODY, 404, "not_found"),
        ("unknown path, post with body", "parent_a", "post", "/api/v1/kids/", child(), 404, "not_found"),
        ("post without trailing slash", "parent_a", "post", "/api/v1/children", child(), 404, "not_found"),
        ("child id not a number", "parent_a", "get", "/api/v1/children/abc/", NO_BODY, 404, "not_found"),
        ("child id negative", "parent_a", "get", "/api/v1/children/-1/", NO_BODY, 404, "not_found"),
        ("child id NUL", "parent_a", "get", "/api/v1/children/%00/", NO_BODY, 404, "not_found"),
        ("child id 23 digits", "parent_a", "get", "/api/v1/children/{huge}/", NO_BODY, 404, "not_found"),
        ("child id 2**63", "parent_a", "get", f"/api/v1/children/{2**63}/", NO_BODY, 404, "not_found"),
        ("child id 18 digits", "parent_a", "get", "/api/v1/children/{max18}/", NO_BODY, 404, "not_found"),
        ("foreign child", "parent_a", "get", B1, NO_BODY, 404, "not_found"),
        ("foreign child's controls", "parent_a", "get", B1_CONTROLS, NO_BODY, 404, "not_found"),
    ]
]
ID_PATHS = [  # every path with an id, with a request that would be fine if the id existed
    ("get", "/api/v1/children/{id}/", NO_BODY),
    ("patch", "/api/v1/children/{id}/", RENAME),
    ("delete", "/api/v1/children/{id}/", NO_BODY),
    ("patch", "/api/v1/children/{id}/controls/", LIMIT),
    ("put", "/api/v1/children/{id}/controls/", controls()),
    ("post", "/api/v1/children/{id}/controls/verify-pin/", PIN),
    ("get", "/api/v1/children/{id}/consents/", NO_BODY),
    ("post", "/api/v1/children/{id}/consents/", MEMORY),
    ("post", "/api/v1/children/{a1}/consents/{id}/withdraw/", NO_BODY),
    ("post", "/api/v1/children/{id}/pairing-codes/", NO_BODY),
    ("post", "/api/v1/children/{id}/pairing-requests/claim/", SHOWN),
    ("get", "/api/v1/devices/pairing-requests/{id}/", NO_BODY),
    ("get", "/api/v1/children/{id}/devices/", NO_BODY),
    ("post", "/api/v1/children/{a1}/devices/{id}/revoke/", NO_BODY),
    ("get", "/api/v1/children/{id}/guardians/", NO_BODY),
    ("delete", "/api/v1/children/{a1}/guardians/{id}/", NO_BODY),
    ("get", "/api/v1/children/{id}/invitations/", NO_BODY),
    ("post", "/api/v1/children/{id}/invitations/", GRANDMA),
    ("post", "/api/v1/children/{a1}/invitations/{id}/revoke/", NO_BODY),
]
ID_ROWS = [
    other(f"{method.upper()} {path} id={size}", "parent_a", method, sized, body, 404, "not_found")
    for method, path, body in ID_PATHS
    for size in ("huge", "max18")
    for sized in [path.replace("{id}", "{" + size + "}")]
]

# --- 5. methods an endpoint does not have -------------------------------------------------------------------
METHOD_ROWS = [
    other(f"{method.upper()} {path}", "parent_a", method, path, NO_BODY, 405, "method_not_allowed")
    for method, path in [
        ("get", REGISTER),
        ("get", TOKEN),
        ("put", REFRESH),
        ("get", LOGOUT),
        ("post", ME),
        ("delete", ME),
        ("put", CHILDREN),
        ("delete", CHILDREN),
        ("put", CHILD),
        ("post", CHILD),
        ("post", CONTROLS),
        ("delete", CONTROLS),
        ("get", VERIFY_PIN),
        ("delete", CONSENTS),
        ("get", WITHDRAW),
        ("get", PAIRING_CODES),
        ("post", DEVICES),
        ("get", DEVICE_REVOKE),
        ("post", GUARDIANS),
        ("get", GUARDIAN),
        ("patch", INVITATIONS),
        ("get", INVITATION_REVOKE),
        ("get", PAIR),
        ("get", PAIRING_REQUESTS),
        ("post", PAIRING_REQUEST),
        ("delete", PAIRING_REQUEST),
        ("get", CLAIM),
        ("get", ACCEPT),
        ("post", CONSENT_POLICY),
        ("delete", CONSENT_POLICY),
        ("trace", CHILDREN),
        ("brew", CHILDREN),
    ]
]

# --- 6. pagination cursors ------------------------------------------------------------------------------------
LISTS = [CHILDREN, CONSENTS, DEVICES, GUARDIANS, INVITATIONS]
FORGED_CURSORS = [  # well-formed base64, but with a position no list ever produced
    ("position not a time", "p=garbage"),
    ("position NUL", "r=1&p=\u0000"),
    ("position before year 1 in UTC", "p=" + quote("0001-01-01T00:00:00+14:00")),
    ("position after year 9999 in UTC", "p=" + quote("9999-12-31T23:59:59-14:00")),
]


def bad_cursor(name: str, path: str, value: str):
    return other(f"cursor {name}: {path}", "parent_a", "get", f"{path}?cursor={value}", NO_BODY, 400, "invalid_cursor")


CURSOR_ROWS = [
    *[bad_cursor("garbage", path, "garbage") for path in LISTS],
    *[bad_cursor(name, path, cursor(query)) for path in (CHILDREN, CONSENTS) for name, query in FORGED_CURSORS],
]


@pytest.mark.parametrize(
    ("persona", "method", "path", "body", "status", "code", "field"),
    [*BODY_SHAPE_ROWS, *FIELD_ROWS, *CALLER_ROWS, *ROUTE_ROWS, *ID_ROWS, *METHOD_ROWS, *CURSOR_ROWS],
)
def test_bad_request(cast, ids, persona, method, path, body, status, code, field):
    client = client_as(cast, persona)
    before = db_state()
    response = send(client, method, path.format(**ids), body)
    error = assert_error(response, status, code, field)
    if code == "invalid_cursor":
        assert "cursor" in error["fields"], error
    assert db_state() == before


BIG_BLOCK_LIST = {"daily_minutes": 300, "blocked_words": ["x" * 30] * 200}


@pytest.mark.parametrize(
    ("persona", "method", "path", "body", "status"),
    [
        pytest.param("anonymous", "post", REGISTER, register(), 201, id="register"),
        pytest.param("anonymous", "post", TOKEN, LOGIN, 200, id="token"),
        pytest.param("parent_a", "post", CHILDREN, child(), 201, id="child create, age"),
        pytest.param("parent_a", "post", CHILDREN, child(age=DROP, birth_date=years_ago(7)), 201, id="child, birth"),
        pytest.param("parent_a", "patch", CHILD, {"display_name": "Ok", "grade": 7}, 200, id="child patch"),
        pytest.param("parent_a", "put", CONTROLS, controls(pin="123456"), 200, id="controls put"),
        pytest.param("parent_a", "patch", CONTROLS, BIG_BLOCK_LIST, 200, id="controls patch, 200 words of 30"),
        pytest.param("parent_a", "post", CONSENTS, {**MEMORY, "policy_version": "2026-11"}, 201, id="consent grant"),
        pytest.param("parent_a", "post", INVITATIONS, GRANDMA, 201, id="invite"),
        pytest.param("device_a1", "post", VERIFY_PIN, PIN, 409, id="verify pin (none set)"),
        pytest.param("parent_a", "post", PAIRING_CODES, {"kind": "long"}, 201, id="pairing code, long"),
        pytest.param("anonymous", "post", PAIRING_REQUESTS, {"device_name": "Robo"}, 201, id="pairing request"),
    ],
)
def test_the_tables_start_from_valid_requests(cast, ids, persona, method, path, body, status):
    """The control rows: the bodies the tables break are accepted as they are, so each refusal
    above is caused by the one thing its row changed."""
    response = send(client_as(cast, persona), method, path.format(**ids), body)
    assert response.status_code == status, response.content[:500]


def test_not_acceptable_is_in_the_error_shape(cast):
    response = send(client_as(cast, "parent_a"), "get", CHILDREN, HTTP_ACCEPT="application/xml")
    assert_error(response, 406, "not_acceptable")


# --- 7. bearer tokens: garbage, expired, of the wrong kind --------------------------------------------------


def _parent_pair(cast: Cast) -> dict[str, str]:
    refresh = ParentRefreshToken.for_parent(cast.parent_a)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def revoke_device_a1(cast: Cast) -> None:
    device_revoke(actor=cast.parent_a, device=cast.device_a1)


def deactivate_parent_a(cast: Cast) -> None:
    User.objects.filter(pk=cast.parent_a.pk).update(is_active=False)


def garbage(cast: Cast) -> str:
    return "Bearer garbage"


def parent_access(cast: Cast) -> str:
    return f"Bearer {_parent_pair(cast)['access']}"


def parent_refresh(cast: Cast) -> str:
    return f"Bearer {_parent_pair(cast)['refresh']}"


def device_access(cast: Cast) -> str:
    return f"Bearer {cast.device_a1_tokens['access']}"


def device_refresh(cast: Cast) -> str:
    return f"Bearer {cast.device_a1_tokens['refresh']}"


def foreign_signature(cast: Cast) -> str:
    header, payload, _signature = _parent_pair(cast)["access"].split(".")
    return f"Bearer {header}.{payload}.{base64.urlsafe_b64encode(b'x' * 32).decode().rstrip('=')}"


def no_scope_claim(cast: Cast) -> str:
    return f"Bearer {AccessToken.for_user(cast.parent_a)}"


def three_words(cast: Cast) -> str:
    return parent_access(cast) + " extra"


def bearer_alone(cast: Cast) -> str:
    return "Bearer"


def basic_auth(cast: Cast) -> str:
    return "Basic " + base64.b64encode(f"parent.a@example.com:{PASSWORD}".encode()).decode()


def no_header(cast: Cast) -> None:
    return None


def deleted_parent(cast: Cast) -> str:
    gone = User.objects.create_user(email="gone@example.com", password=PASSWORD, display_name="Gone")
    access = ParentRefreshToken.for_parent(gone).access_token
    gone.delete()
    return f"Bearer {access}"


LATER = timedelta(minutes=16)  # past the 15-minute access lifetime
MUCH_LATER = timedelta(days=61)  # past both refresh lifetimes (14 days parent, 60 days device)

BEARER_ROWS = [
    # (Authorization header, then, time travel, code)
    pytest.param(garbage, None, None, "token_not_valid", id="garbage"),
    pytest.param(parent_refresh, None, None, "token_not_valid", id="parent refresh instead of access"),
    pytest.param(device_refresh, None, None, "token_not_valid", id="device refresh instead of access"),
    pytest.param(foreign_signature, None, None, "token_not_valid", id="signed with another key"),
    pytest.param(no_scope_claim, None, None, "token_not_valid", id="no scope claim"),
    pytest.param(parent_access, None, LATER, "token_not_valid", id="expired parent access"),
    pytest.param(device_access, None, LATER, "token_not_valid", id="expired device access"),
    pytest.param(three_words, None, None, "bad_authorization_header", id="three words"),
    pytest.param(bearer_alone, None, None, "bad_authorization_header", id="Bearer and nothing"),
    pytest.param(basic_auth, None, None, "not_authenticated", id="basic auth"),
    pytest.param(no_header, None, None, "not_authenticated", id="no header"),
    pytest.param(device_access, revoke_device_a1, None, "device_revoked", id="revoked device"),
    pytest.param(parent_access, deactivate_parent_a, None, "user_inactive", id="deactivated parent"),
    pytest.param(deleted_parent, None, None, "user_not_found", id="deleted parent"),
]


@pytest.mark.parametrize(("path", "method", "body"), [(ME, "get", NO_BODY), (CONTROLS, "patch", LIMIT)])
@pytest.mark.parametrize(("make_header", "then", "travel", "code"), BEARER_ROWS)
def test_bad_bearer_token(cast, ids, path, method, body, make_header, then, travel, code):
    header = make_header(cast)
    if then:
        then(cast)
    client = APIClient()
    client.raise_request_exception = False
    if header is not None:
        client.credentials(HTTP_AUTHORIZATION=header)
    before = db_state()
    with time_machine.travel(timezone.now() + (travel or timedelta(0)), tick=False):
        response = send(client, method, path.format(**ids), body)
    assert_error(response, 401, code)
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert db_state() == before


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Authorization header must contain two space-delimited values"),
        ("zh-hans", "授权头必须包含两个用空格分隔的值"),
    ],
)
@pytest.mark.parametrize("header", ["Bearer a b", "Bearer"])
def test_bad_authorization_header_in_both_languages(cast, language, message, header):
    """The code is the one API_SPEC §10 documents; the message is in the request's language."""
    client = APIClient()
    client.raise_request_exception = False
    client.credentials(HTTP_AUTHORIZATION=header, HTTP_ACCEPT_LANGUAGE=language)
    error = assert_error(client.get(ME), 401, "bad_authorization_header")
    assert error["message"] == message


# --- 8. refresh tokens sent to refresh and logout -------------------------------------------------------


def access_as_refresh(cast: Cast) -> dict[str, str]:
    return {"refresh": _parent_pair(cast)["access"]}


def parent_refresh_body(cast: Cast) -> dict[str, str]:
    return {"refresh": _parent_pair(cast)["refresh"]}


def device_refresh_body(cast: Cast) -> dict[str, str]:
    return {"refresh": cast.device_a1_tokens["refresh"]}


def refresh_without_scope(cast: Cast) -> dict[str, str]:
    return {"refresh": str(RefreshToken.for_user(cast.parent_a))}


def refresh_used_once(cast: Cast) -> dict[str, str]:
    """A refresh token that was already rotated, so blacklisted."""
    body = parent_refresh_body(cast)
    assert APIClient().post(REFRESH, body, format="json").status_code == 200
    return body


def refresh_logged_out(cast: Cast) -> dict[str, str]:
    body = parent_refresh_body(cast)
    assert APIClient().post(LOGOUT, body, format="json").status_code == 204
    return body


def refresh_of_revoked_device(cast: Cast) -> dict[str, str]:
    revoke_device_a1(cast)
    return device_refresh_body(cast)


def refresh_of_missing_device(cast: Cast) -> dict[str, str]:
    token = ChildRefreshToken.for_device(cast.device_b1)
    token["device_id"] = 999_999_999
    return {"refresh": str(token)}


def refresh_of_inactive_parent(cast: Cast) -> dict[str, str]:
    body = parent_refresh_body(cast)
    deactivate_parent_a(cast)
    return body


BOTH = (REFRESH, LOGOUT)
REFRESH_ROWS = [
    # (body, time travel, code, endpoints, name)
    (access_as_refresh, None, "token_not_valid", BOTH, "access instead of refresh"),
    (refresh_used_once, None, "token_not_valid", BOTH, "already rotated"),
    (refresh_logged_out, None, "token_not_valid", BOTH, "logged out"),
    (parent_refresh_body, MUCH_LATER, "token_not_valid", BOTH, "expired parent"),
    (device_refresh_body, MUCH_LATER, "token_not_valid", BOTH, "expired device"),
    # Logging out needs only a well-formed, unexpired token; renewing one needs a live account or device.
    (refresh_without_scope, None, "token_not_valid", (REFRESH,), "no scope claim"),
    (refresh_of_revoked_device, None, "device_revoked", (REFRESH,), "revoked device"),
    (refresh_of_missing_device, None, "device_revoked", (REFRESH,), "device that does not exist"),
    (refresh_of_inactive_parent, None, "token_not_valid", (REFRESH,), "deactivated parent"),
]


@pytest.mark.parametrize(
    ("path", "make_body", "travel", "code"),
    [
        pytest.param(path, make_body, travel, code, id=f"{path.split('/')[-2]}: {name}")
        for make_body, travel, code, paths, name in REFRESH_ROWS
        for path in paths
    ],
)
def test_bad_refresh_token(cast, path, make_body, travel, code):
    body = make_body(cast)
    client = APIClient()
    client.raise_request_exception = False
    before = db_state()
    with time_machine.travel(timezone.now() + (travel or timedelta(0)), tick=False):
        response = client.post(path, body, format="json")
    assert_error(response, 401, code)
    assert db_state() == before


# --- 9. pairing codes with a history ---------------------------------------------------------------------


def withdraw_chat_of_a2(cast: Cast) -> None:
    consent = ConsentRecord.objects.get(child=cast.child_a2, scope=ConsentScope.CHAT)
    consent_withdraw(actor=cast.parent_a, consent=consent)


def switch_off_a2(cast: Cast) -> None:
    ChildProfile.objects.filter(pk=cast.child_a2.pk).update(is_active=False)


def new_code(cast: Cast) -> tuple[PairingCode, str]:
    return pairing_code_create(actor=cast.parent_a, child=cast.child_a2)


def code_fresh(cast: Cast) -> str:
    return new_code(cast)[1]


def code_wrong(cast: Cast) -> str:
    _pairing, code = new_code(cast)
    return f"{(int(code) + 1) % 1_000_000:06d}"


def code_used(cast: Cast) -> str:
    _pairing, code = new_code(cast)
    device_pair(code=code, device_name="First tablet", ip="10.1.1.1")
    return code


def code_expired_in_db(cast: Cast) -> str:
    pairing, code = new_code(cast)
    PairingCode.objects.filter(pk=pairing.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    return code


def code_replaced(cast: Cast) -> str:
    _old, code = new_code(cast)
    new_code(cast)
    return code


def code_then_consent_withdrawn(cast: Cast) -> str:
    _pairing, code = new_code(cast)
    withdraw_chat_of_a2(cast)
    return code


def code_then_child_switched_off(cast: Cast) -> str:
    _pairing, code = new_code(cast)
    switch_off_a2(cast)
    return code


PAIRING_ROWS = [
    # (code, time travel, status, error code, field)
    pytest.param(code_wrong, None, 400, "pairing_code_invalid", "code", id="wrong code"),
    pytest.param(code_used, None, 400, "pairing_code_invalid", "code", id="already used"),
    pytest.param(code_expired_in_db, None, 400, "pairing_code_invalid", "code", id="expired (moved in the database)"),
    pytest.param(code_fresh, timedelta(minutes=11), 400, "pairing_code_invalid", "code", id="expired (11 min later)"),
    pytest.param(code_replaced, None, 400, "pairing_code_invalid", "code", id="replaced by a newer code"),
    pytest.param(code_then_consent_withdrawn, None, 409, "consent_required", None, id="chat consent withdrawn since"),
    pytest.param(code_then_child_switched_off, None, 409, "child_inactive", None, id="child switched off since"),
]


@pytest.mark.parametrize(("make_code", "travel", "status", "code", "field"), PAIRING_ROWS)
def test_pairing_code_refused(cast, make_code, travel, status, code, field):
    pairing_code = make_code(cast)
    client = APIClient()
    client.raise_request_exception = False
    before = db_state()
    with time_machine.travel(timezone.now() + (travel or timedelta(0)), tick=False):
        response = client.post(PAIR, {"code": pairing_code, "device_name": "Tablet"}, format="json")
    assert_error(response, status, code, field)
    assert db_state() == before  # no device, and the code is not spent


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        pytest.param(withdraw_chat_of_a2, "consent_required", id="chat consent withdrawn"),
        pytest.param(switch_off_a2, "child_inactive", id="child switched off"),
    ],
)
def test_pairing_code_not_issued(cast, setup, code):
    """A code for a child who cannot chat is refused when asked for, not only when used."""
    setup(cast)
    client = client_as(cast, "parent_a")
    before = db_state()
    response = client.post(f"/api/v1/children/{cast.child_a2.pk}/pairing-codes/")
    assert_error(response, 409, code)
    assert db_state() == before


# --- 10. invitations with a history -----------------------------------------------------------------------


def invite_parent_b(cast: Cast) -> tuple[GuardianInvitation, str]:
    return invitation_create(actor=cast.parent_a, child=cast.child_a2, email="parent.b@example.com")


def token_for_someone_else(cast: Cast) -> str:
    return invitation_create(actor=cast.parent_a, child=cast.child_a2, email="grandpa@example.com")[1]


def token_expired_in_db(cast: Cast) -> str:
    invitation, token = invite_parent_b(cast)
    GuardianInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    return token


def token_revoked(cast: Cast) -> str:
    invitation, token = invite_parent_b(cast)
    invitation_revoke(actor=cast.parent_a, invitation=invitation)
    return token


def token_already_accepted(cast: Cast) -> str:
    _invitation, token = invite_parent_b(cast)
    invitation_accept(actor=cast.parent_b, token=token)
    return token


INVITATION_ROWS = [
    pytest.param(token_for_someone_else, None, id="addressed to someone else"),
    pytest.param(token_expired_in_db, None, id="expired (moved in the database)"),
    pytest.param(lambda cast: invite_parent_b(cast)[1], timedelta(days=8), id="expired (8 days later)"),
    pytest.param(token_revoked, None, id="revoked"),
    pytest.param(token_already_accepted, None, id="already accepted"),
    pytest.param(lambda cast: invite_parent_b(cast)[1][:-1], None, id="truncated"),
]


@pytest.mark.parametrize(("make_token", "travel"), INVITATION_ROWS)
def test_invitation_refused(cast, make_token, travel):
    token = make_token(cast)
    with time_machine.travel(timezone.now() + (travel or timedelta(0)), tick=False):
        client = client_as(cast, "parent_b")  # signed in after the journey, so the token is fresh
        before = db_state()
        response = client.post(ACCEPT, {"token": token}, format="json")
    assert_error(response, 400, "invitation_invalid")
    assert db_state() == before


# --- 11. things already done --------------------------------------------------------------------------------


def withdraw_chat_of_a1(cast: Cast, ids: dict) -> None:
    consent_withdraw(actor=cast.parent_a, consent=ConsentRecord.objects.get(pk=ids["consent_a1"]))


def revoke_pending_invitation(cast: Cast, ids: dict) -> None:
    invitation_revoke(actor=cast.parent_a, invitation=GuardianInvitation.objects.get(pk=ids["inv_pending_a1"]))


ALREADY_DONE_ROWS = [
    pytest.param(withdraw_chat_of_a1, WITHDRAW, "already_withdrawn", id="consent withdrawn twice"),
    pytest.param(lambda cast, ids: revoke_device_a1(cast), DEVICE_REVOKE, "already_revoked", id="device revoked twice"),
    pytest.param(revoke_pending_invitation, INVITATION_REVOKE, "invitation_not_pending", id="invitation revoked twice"),
]


@pytest.mark.parametrize(("setup", "path", "code"), ALREADY_DONE_ROWS)
def test_already_done(cast, ids, setup, path, code):
    setup(cast, ids)
    client = client_as(cast, "parent_a")
    before = db_state()
    response = client.post(path.format(**ids))
    assert_error(response, 409, code)
    assert db_state() == before


# --- 12. too many attempts ----------------------------------------------------------------------------------


def login_attempt(client: APIClient, ids: dict, n: int):
    # The last attempt has the right password: a lock is not lifted by guessing right.
    password = PASSWORD if n == 5 else f"wrong-{n}"
    return client.post(TOKEN, {"email": "parent.a@example.com", "password": password}, format="json")


def pairing_attempt(client: APIClient, ids: dict, n: int):
    return client.post(PAIR, {"code": f"{900000 + n:06d}", "device_name": "Tablet"}, format="json")


def pin_attempt(client: APIClient, ids: dict, n: int):
    pin = "246810" if n == 5 else f"{100000 + n:06d}"
    return client.post(VERIFY_PIN.format(**ids), {"pin": pin}, format="json")


def claim_attempt(client: APIClient, ids: dict, n: int):
    code = ids["preq_code"] if n == 5 else f"2222-{n + 2}{n + 2}{n + 2}{n + 2}"
    return client.post(CLAIM.format(**ids), {"code": code}, format="json")


def register_attempt(client: APIClient, ids: dict, n: int):
    return client.post(REGISTER, {}, format="json")


TOO_MANY_ROWS = [
    # (attempt, persona, attempts allowed, code)
    pytest.param(login_attempt, "anonymous", 5, "locked_out", id="login: 5 wrong passwords, then the right one"),
    pytest.param(pairing_attempt, "anonymous", 10, "locked_out", id="pairing: 10 wrong codes"),
    pytest.param(pin_attempt, "device_a1", 5, "locked_out", id="verify pin: 5 wrong PINs, then the right one"),
    pytest.param(claim_attempt, "parent_a", 5, "locked_out", id="claim: 5 wrong codes, then the right one"),
    pytest.param(register_attempt, "anonymous", 30, "throttled", id="register: over 30 a minute"),
]


@pytest.mark.parametrize(("attempt", "persona", "allowed", "code"), TOO_MANY_ROWS)
def test_too_many_attempts(cast, ids, attempt, persona, allowed, code):
    controls_update(actor=cast.parent_a, child=cast.child_a1, data={"pin": "246810"})
    client = client_as(cast, persona)
    before = db_state()
    for n in range(allowed):
        assert attempt(client, ids, n).status_code in (200, 400, 401), n
    response = attempt(client, ids, allowed)
    assert_error(response, 429, code)
    assert db_state() == before
