"""Who may do what: every endpoint under /api/v1/ x every persona, with the exact answer.

Read one row of MATRIX as: this request, sent by each persona in turn, must get this answer.
Every cell is its own test in a fresh database built by ``build_cast()`` (see tests/factories.py):

- parent_a owns child_a1 (paired device_a1) and child_a2;
- co_guardian guards child_a1 only (so does ``second.co@example.com``, added here);
- parent_b owns child_b1 (paired device_b1);
- staff is a Django superuser with no children; device_a1 / device_b1 hold child-scoped JWTs.

A bare number is a success status. A 4xx is written as (status, error code), and the body must
then have the project's one error shape {"error": {"code": str, "message": str, "fields": dict}}.
A foreign or sibling child is always 404 "not_found", never 403: an id must not leak existence.
"""

# The matrix is a table; its rows are wider than the line limit on purpose.
# ruff: noqa: E501

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accounts.models import ConsentRecord, ConsentScope, GuardianRole, Guardianship
from accounts.services.controls import controls_update
from accounts.services.guardians import invitation_create
from accounts.services.pairing_requests import pairing_request_create
from tests.factories import Cast, make_co_guardian

PERSONAS = ("anonymous", "parent_a", "parent_b", "co_guardian", "device_a1", "device_b1", "staff")

# --- answers ---------------------------------------------------------------------------------------
OK, CREATED, DELETED = 200, 201, 204
ANON = (401, "not_authenticated")
INVALID = (400, "invalid")
PARENT = (403, "parent_required")
OWNER = (403, "owner_required")
NF = (404, "not_found")
NO_PIN = (409, "pin_not_set")
OWNER_STAYS = (409, "owner_cannot_leave")
BAD_INVITE = (400, "invitation_invalid")

# --- request bodies (valid, so that the permission is what decides) --------------------------------
PIN = "123456"
NEW_CHILD = {"display_name": "Newbie", "age": 7, "consent_scopes": ["chat"]}
CHILD_PATCH = {"display_name": "X"}
CONTROLS_PATCH = {"daily_minutes": 50}
CONTROLS_PUT = {
    "daily_minutes": 45,
    "weekly_minutes": 240,
    "session_minutes": 20,
    "weekday_start": "07:30",
    "weekday_end": "20:00",
    "weekend_start": "08:30",
    "weekend_end": "21:00",
    "time_zone": "Asia/Shanghai",
    "education_enabled": True,
    "emotion_enabled": True,
    "stories_enabled": False,
    "voice_enabled": True,
    "memory_enabled": False,
    "safety_sensitivity": "high",
    "blocked_words": ["stupid"],
    "alert_min_severity": "medium",
    "alert_email": True,
    "alert_realtime": False,
}
CONSENT = {"scope": "memory"}
INVITE = {"email": "someone@example.com"}
VERIFY = {"pin": PIN}
ACCEPT = {"token": "{invite_token}"}  # an invitation to parent.b@example.com for child_a1
EMPTY: dict = {}  # public endpoints: an empty body is refused before any lockout counts
TOY = {"device_name": "Robo Bear"}
CLAIM = {"code": "{preq_code}"}  # the code a device's pending pairing request shows

# Path placeholders (filled from the cast by `_setup_world`): {a1} {a2} {b1} children; {dev_a1} {dev_b1}
# devices; {consent_a1} (voice, active) {consent_b1} (chat, active); guardianships of child_a1:
# {g_owner} (parent_a), {g_co} (co_guardian), {g_second} (second.co@example.com); {inv} a pending invitation;
# {preq} a device's pending pairing request (nobody here holds its secret), showing {preq_code}.
# "given": "pin" sets the parent PIN 123456 on every child before the request.

# fmt: off
MATRIX: list[tuple] = [
    # method    path                                            body            given  anonymous  parent_a     parent_b    co_guardian  device_a1  device_b1  staff
    # ---- public ----------------------------------------------------------------------------------------------------------------------------------------------------
    ("POST",   "auth/register/",                                EMPTY,          "",    INVALID,   INVALID,     INVALID,    INVALID,     INVALID,   INVALID,   INVALID),
    ("POST",   "auth/token/",                                   EMPTY,          "",    INVALID,   INVALID,     INVALID,    INVALID,     INVALID,   INVALID,   INVALID),
    ("POST",   "auth/token/refresh/",                           EMPTY,          "",    INVALID,   INVALID,     INVALID,    INVALID,     INVALID,   INVALID,   INVALID),
    ("POST",   "auth/logout/",                                  EMPTY,          "",    INVALID,   INVALID,     INVALID,    INVALID,     INVALID,   INVALID,   INVALID),
    ("POST",   "devices/pair/",                                 EMPTY,          "",    INVALID,   INVALID,     INVALID,    INVALID,     INVALID,   INVALID,   INVALID),
    ("POST",   "devices/pairing-requests/",                     TOY,            "",    CREATED,   CREATED,     CREATED,    CREATED,     CREATED,   CREATED,   CREATED),
    ("GET",    "devices/pairing-requests/{preq}/",              None,           "",    NF,        NF,          NF,         NF,          NF,        NF,        NF),
    ("GET",    "schema/",                                       None,           "",    OK,        OK,          OK,         OK,          OK,        OK,        OK),
    ("GET",    "docs/",                                         None,           "",    OK,        OK,          OK,         OK,          OK,        OK,        OK),
    ("GET",    "consent-policy/",                               None,           "",    OK,        OK,          OK,         OK,          OK,        OK,        OK),
    # ---- identity, the caller's children, invitations -------------------------------------------------------------------------------------------------------------
    ("GET",    "me/",                                           None,           "",    ANON,      OK,          OK,         OK,          OK,        OK,        OK),
    ("GET",    "children/",                                     None,           "",    ANON,      OK,          OK,         OK,          PARENT,    PARENT,    OK),
    ("POST",   "children/",                                     NEW_CHILD,      "",    ANON,      CREATED,     CREATED,    CREATED,     PARENT,    PARENT,    CREATED),
    ("POST",   "invitations/accept/",                           ACCEPT,         "",    ANON,      BAD_INVITE,  OK,         BAD_INVITE,  PARENT,    PARENT,    BAD_INVITE),
    ("POST",   "realtime/ticket/",                              None,           "",    ANON,      CREATED,     CREATED,    CREATED,     CREATED,   CREATED,   CREATED),
    # ---- child_a1: owner parent_a, co-guardian co_guardian ----------------------------------------------------------------------------------------------------------
    ("GET",    "children/{a1}/",                                None,           "",    ANON,      OK,          NF,         OK,          PARENT,    PARENT,    NF),
    ("PATCH",  "children/{a1}/",                                CHILD_PATCH,    "",    ANON,      OK,          NF,         OK,          PARENT,    PARENT,    NF),
    ("DELETE", "children/{a1}/",                                None,           "",    ANON,      DELETED,     NF,         OWNER,       PARENT,    PARENT,    NF),
    ("GET",    "children/{a1}/controls/",                       None,           "",    ANON,      OK,          NF,         OK,          PARENT,    PARENT,    NF),
    ("PUT",    "children/{a1}/controls/",                       CONTROLS_PUT,   "",    ANON,      OK,          NF,         OK,          PARENT,    PARENT,    NF),
    ("PATCH",  "children/{a1}/controls/",                       CONTROLS_PATCH, "",    ANON,      OK,          NF,         OK,          PARENT,    PARENT,    NF),
    ("POST",   "children/{a1}/controls/verify-pin/",            VERIFY,         "",    ANON,      NO_PIN,      NF,         NO_PIN,      NO_PIN,    NF,        NF),
    ("POST",   "children/{a1}/controls/verify-pin/",            VERIFY,         "pin", ANON,      OK,          NF,         OK,          OK,        NF,        NF),
    ("GET",    "children/{a1}/consents/",                       None,           "",    ANON,      OK,          NF,         OK,          PARENT,    PARENT,    NF),
    ("POST",   "children/{a1}/consents/",                       CONSENT,        "",    ANON,      CREATED,     NF,         CREATED,     PARENT,    PARENT,    NF),
    ("POST",   "children/{a1}/consents/{consent_a1}/withdraw/", None,           "",    ANON,      OK,          NF,         OK,          PARENT,    PARENT,    NF),
    ("POST",   "children/{a1}/pairing-codes/",                  None,           "",    ANON,      CREATED,     NF,         CREATED,     PARENT,    PARENT,    NF),
    ("POST",   "children/{a1}/pairing-requests/claim/",         CLAIM,          "",    ANON,      CREATED,     NF,         CREATED,     PARENT,    PARENT,    NF),
    ("GET",    "children/{a1}/devices/",                        None,           "",    ANON,      OK,          NF,         OK,          PARENT,    PARENT,    NF),
    ("POST",   "children/{a1}/devices/{dev_a1}/revoke/",        None,           "",    ANON,      OK,          NF,         OK,          PARENT,    PARENT,    NF),
    ("GET",    "children/{a1}/guardians/",                      None,           "",    ANON,      OK,          NF,         OK,          PARENT,    PARENT,    NF),
    ("DELETE", "children/{a1}/guardians/{g_co}/",               None,           "",    ANON,      DELETED,     NF,         DELETED,     PARENT,    PARENT,    NF),
    ("DELETE", "children/{a1}/guardians/{g_second}/",           None,           "",    ANON,      DELETED,     NF,         OWNER,       PARENT,    PARENT,    NF),
    ("DELETE", "children/{a1}/guardians/{g_owner}/",            None,           "",    ANON,      OWNER_STAYS, NF,         OWNER,       PARENT,    PARENT,    NF),
    ("GET",    "children/{a1}/invitations/",                    None,           "",    ANON,      OK,          NF,         OK,          PARENT,    PARENT,    NF),
    ("POST",   "children/{a1}/invitations/",                    INVITE,         "",    ANON,      CREATED,     NF,         OWNER,       PARENT,    PARENT,    NF),
    ("POST",   "children/{a1}/invitations/{inv}/revoke/",       None,           "",    ANON,      OK,          NF,         OWNER,       PARENT,    PARENT,    NF),
    # ---- child_a2: parent_a only (the co-guardian of its sibling sees nothing) --------------------------------------------------------------------------------------
    ("GET",    "children/{a2}/",                                None,           "",    ANON,      OK,          NF,         NF,          PARENT,    PARENT,    NF),
    ("DELETE", "children/{a2}/",                                None,           "",    ANON,      DELETED,     NF,         NF,          PARENT,    PARENT,    NF),
    # ---- child_b1: parent_b only -----------------------------------------------------------------------------------------------------------------------------------
    ("GET",    "children/{b1}/",                                None,           "",    ANON,      NF,          OK,         NF,          PARENT,    PARENT,    NF),
    ("POST",   "children/{b1}/controls/verify-pin/",            VERIFY,         "pin", ANON,      NF,          OK,         NF,          NF,        OK,        NF),
    # ---- another child's object under one's own child ---------------------------------------------------------------------------------------------------------------
    ("POST",   "children/{a1}/devices/{dev_b1}/revoke/",        None,           "",    ANON,      NF,          NF,         NF,          PARENT,    PARENT,    NF),
    ("POST",   "children/{a1}/consents/{consent_b1}/withdraw/", None,           "",    ANON,      NF,          NF,         NF,          PARENT,    PARENT,    NF),
]
# fmt: on


# --- the world of one cell -------------------------------------------------------------------------
def _setup_world(cast: Cast, given: str) -> dict[str, Any]:
    """Extra state every cell shares, and the ids the path and body templates refer to."""
    second_co = make_co_guardian(cast.parent_a, cast.child_a1, "second.co@example.com")
    pending, _token = invitation_create(actor=cast.parent_a, child=cast.child_a1, email="pending@example.com")
    _invite_b, invite_token = invitation_create(actor=cast.parent_a, child=cast.child_a1, email=cast.parent_b.email)
    pairing_request, pairing_request_code, _secret = pairing_request_create(device_name="Robo Bear")
    if given == "pin":
        for owner, child in (
            (cast.parent_a, cast.child_a1),
            (cast.parent_a, cast.child_a2),
            (cast.parent_b, cast.child_b1),
        ):
            controls_update(actor=owner, child=child, data={"pin": PIN})
    else:
        assert given == "", f"unknown given: {given!r}"

    def guardianship(user) -> int:
        return Guardianship.objects.get(child=cast.child_a1, guardian=user).pk

    def active_consent(child, scope) -> int:
        return ConsentRecord.objects.get(child=child, scope=scope, withdrawn_at__isnull=True).pk

    return {
        **cast.path_ids(),
        "consent_a1": active_consent(cast.child_a1, ConsentScope.VOICE),
        "consent_b1": active_consent(cast.child_b1, ConsentScope.CHAT),
        "g_owner": guardianship(cast.parent_a),
        "g_co": guardianship(cast.co_guardian),
        "g_second": guardianship(second_co),
        "inv": pending.pk,
        "invite_token": invite_token,
        "preq": pairing_request.pk,
        "preq_code": pairing_request_code,
    }


def _fill(template: Any, ids: dict[str, Any]) -> Any:
    if isinstance(template, dict):
        return {key: _fill(value, ids) for key, value in template.items()}
    if isinstance(template, str):
        return template.format(**ids)
    return template


# --- what a successful answer must also say --------------------------------------------------------
def _check_me(persona: str, ids: dict[str, Any], data: dict) -> None:
    if persona.startswith("device_"):
        assert data["kind"] == "child"
        assert data["child"]["id"] == ids[{"device_a1": "a1", "device_b1": "b1"}[persona]]
        assert data["device"]["id"] == ids[{"device_a1": "dev_a1", "device_b1": "dev_b1"}[persona]]
    else:
        assert data["kind"] == "parent"
        assert "child" not in data


def _check_children_list(persona: str, ids: dict[str, Any], data: dict) -> None:
    expected = {"parent_a": ["a1", "a2"], "parent_b": ["b1"], "co_guardian": ["a1"], "staff": []}[persona]
    assert sorted(child["id"] for child in data["results"]) == sorted(ids[name] for name in expected)


def _check_child_a1(persona: str, ids: dict[str, Any], data: dict) -> None:
    assert data["id"] == ids["a1"]
    assert data["role"] == {"parent_a": GuardianRole.OWNER, "co_guardian": GuardianRole.CO_GUARDIAN}[persona]


def _check_pin_valid(persona: str, ids: dict[str, Any], data: dict) -> None:
    assert data == {"valid": True}


def _check_claimed(persona: str, ids: dict[str, Any], data: dict) -> None:
    assert data["child"]["id"] == ids["a1"]
    assert data["device"]["name"] == "Robo Bear"


def _check_accepted(persona: str, ids: dict[str, Any], data: dict) -> None:
    assert data["id"] == ids["a1"]
    assert data["role"] == GuardianRole.CO_GUARDIAN


CHECKS: dict[tuple[str, str], Callable[[str, dict[str, Any], dict], None]] = {
    ("GET", "me/"): _check_me,
    ("GET", "children/"): _check_children_list,
    ("GET", "children/{a1}/"): _check_child_a1,
    ("POST", "children/{a1}/controls/verify-pin/"): _check_pin_valid,
    ("POST", "children/{b1}/controls/verify-pin/"): _check_pin_valid,
    ("POST", "invitations/accept/"): _check_accepted,
    ("POST", "children/{a1}/pairing-requests/claim/"): _check_claimed,
}


# --- the test --------------------------------------------------------------------------------------
def _cells():
    for method, path, body, given, *answers in MATRIX:
        assert len(answers) == len(PERSONAS), f"{method} {path}: one answer per persona"
        for persona, expected in zip(PERSONAS, answers, strict=True):
            label = f"{method} {path}{' [pin set]' if given else ''} as {persona}"
            yield pytest.param(method, path, body, given, persona, expected, id=label)


# How a route's <id:...> converters are spelled in the MATRIX path templates.
URL_PLACEHOLDERS = {
    "child_id": "{a1}",
    "consent_id": "{consent_a1}",
    "device_id": "{dev_a1}",
    "guardianship_id": "{g_co}",
    "invitation_id": "{inv}",
    "request_id": "{preq}",
}


def test_matrix_lists_every_route():
    """Every route of accounts/api/urls.py (and every method its view serves) has a row."""
    from accounts.api.urls import urlpatterns

    covered = {(method, path) for method, path, *_rest in MATRIX}
    covered_paths = {path for _method, path in covered}
    for pattern in urlpatterns:
        template = str(pattern.pattern)
        for name, placeholder in URL_PLACEHOLDERS.items():
            template = template.replace(f"<id:{name}>", placeholder)
        assert template in covered_paths, f"no row for {template}"
        view = pattern.callback.view_class
        for method in ("get", "post", "put", "patch", "delete"):
            if hasattr(view, method):
                assert (method.upper(), template) in covered, f"no row for {method.upper()} {template}"
    assert {"schema/", "docs/"} <= covered_paths


@pytest.mark.parametrize(("method", "path", "body", "given", "persona", "expected"), list(_cells()))
def test_permission_matrix(cast: Cast, method, path, body, given, persona, expected):
    ids = _setup_world(cast, given)
    client = cast.client_for(persona)
    url = "/api/v1/" + path.format(**ids)
    kwargs = {"format": "json"} if body is not None else {}
    response = getattr(client, method.lower())(url, _fill(body, ids), **kwargs)

    status, code = expected if isinstance(expected, tuple) else (expected, None)
    assert response.status_code == status, (
        f"{method} {url} as {persona}: {response.status_code} {response.content[:300]!r}"
    )
    if status >= 400:
        body_json = response.json()
        assert set(body_json) == {"error"}, body_json
        error = body_json["error"]
        assert set(error) == {"code", "message", "fields"}, error
        assert isinstance(error["code"], str)
        assert isinstance(error["message"], str) and error["message"]
        assert isinstance(error["fields"], dict)
        assert error["code"] == code, f"{method} {url} as {persona}: code {error['code']!r}, expected {code!r}"
    elif (method, path) in CHECKS:
        CHECKS[(method, path)](persona, ids, response.json())
