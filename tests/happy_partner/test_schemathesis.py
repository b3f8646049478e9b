"""schemathesis — a client nobody here wrote — against a running server: every operation of the
OpenAPI schema, as a parent and as a child device, with requests generated from the schema.

Every answer must be no server error (5xx), have a status the schema documents (success codes, and
``4XX`` in the one error shape), the declared content type, and a body valid against the schema.
And the schema must say what the API accepts: a schema-valid request is accepted (2xx), or refused
for a reason a schema cannot express and the test names below (:data:`MAY_REFUSE`): the caller may
not do that (401/403), an id that is not theirs (404), the state of things (409), a limit (429), or
one of a few listed 400s (a wrong pairing code, a weak password, a parent not naming the child, ...).

The server is pytest-django's live server (a real HTTP server in a thread, on the test database),
so the run works on both backends. It is bounded: a fixed number of examples per operation,
derandomized (the same requests every run), no shrinking: 51 operations, up to 12 requests each,
in 10–30 s per persona on these machines (SQLite or PostgreSQL).
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import ConsentRecord, GuardianInvitation, Guardianship
from conversations.models import ChatSession, MemoryFact
from tests.factories import PASSWORD, Cast

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads what the test wrote

MAX_EXAMPLES = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# Refusals of schema-valid requests that no schema can express, per operation: the error codes
# (and for "invalid", the field at fault) the API may answer 400 with.
MAY_REFUSE: dict[str, set[str]] = {
    # the first page has no cursor; any other cursor is one the list produced
    "*": {"invalid_cursor"},
    # Django's password validators (not too common, not all digits, not like the e-mail)
    # (and an e-mail address an earlier example registered)
    "POST /api/v1/auth/register/": {
        "invalid:password",
        "invalid:email:An account with this e-mail address already exists.",
    },
    # a parent says which child; a device never needs to (one schema for both)
    "POST /api/v1/chat/": {"invalid:child", "invalid:text"},
    "POST /api/v1/edu/ask/": {"invalid:child", "invalid:text"},
    "POST /api/v1/emotion/support/": {"invalid:child", "invalid:text"},
    "POST /api/v1/safety/check/": {"invalid:text"},  # text must have a visible character
    "POST /api/v1/sessions/": {"invalid:child"},
    # a birth date or an age, not both; "chat" among the scopes; a birth date of a child 4 to 13
    "POST /api/v1/children/": {"invalid:age", "invalid:birth_date", "consent_required"},
    "PATCH /api/v1/children/{child_id}/": {"invalid:birth_date"},
    # the controls' rules across fields (daily ≤ weekly, end after start, a real time zone)
    "PUT /api/v1/children/{child_id}/controls/": {
        "invalid:daily_minutes",
        "invalid:weekday_end",
        "invalid:weekend_end",
        "invalid:time_zone",
    },
    "PATCH /api/v1/children/{child_id}/controls/": {
        "invalid:daily_minutes",
        "invalid:weekday_end",
        "invalid:weekend_end",
        "invalid:time_zone",
    },
    # secrets: only the right one is accepted
    "POST /api/v1/devices/pair/": {"pairing_code_invalid"},
    "POST /api/v1/children/{child_id}/pairing-requests/claim/": {"pairing_code_invalid"},
    "POST /api/v1/invitations/accept/": {"invitation_invalid"},
}
# What a recording holds is beyond any schema: not audio at all (415), damaged, silent, no words or
# no voice in it (400), or in a language no recogniser here serves.
_NOT_A_RECORDING = {
    "unsupported_audio",
    "corrupt_audio",
    "silent_audio",
    "no_speech",
    "speech_unrecognised",
    "language_unsupported",
    "invalid:audio",
    "invalid:samples",
    "invalid_phrases",
}
MAY_REFUSE |= {
    "POST /api/v1/audio/process/": _NOT_A_RECORDING,
    "POST /api/v1/audio/transcribe/": _NOT_A_RECORDING,
    "POST /api/v1/chat/voice/": _NOT_A_RECORDING | {"invalid:child"},
    "POST /api/v1/children/{child_id}/voiceprint/": _NOT_A_RECORDING,
    "POST /api/v1/me/voiceprint/": _NOT_A_RECORDING,
    "POST /api/v1/voice/verify/": _NOT_A_RECORDING,
    "POST /api/v1/voice/identify/": _NOT_A_RECORDING,
    # the address typed again must be the account's; a period among the offered ones (settings)
    "POST /api/v1/me/erase/": {"invalid:confirm"},
    "PUT /api/v1/children/{child_id}/retention/": {"invalid:transcript_days"},
    # a string is a GraphQL document only if it parses and names what the schema has
    "POST /api/v1/graphql/": {"invalid_query", "invalid:variables", "invalid:operationName"},
}
ALWAYS_MAY_REFUSE = {401, 403, 404, 409, 429}
# As the TLS proxy in front of the server says it (the server redirects plain HTTP to HTTPS); messages
# in English, so that MAY_REFUSE can name one.
BEHIND_TLS = {"X-Forwarded-Proto": "https", "Accept-Language": "en"}


def refusal_is_expected(label: str, response) -> bool:
    if 200 <= response.status_code < 300 or response.status_code in ALWAYS_MAY_REFUSE:
        return True
    if response.status_code not in (400, 413, 415):
        return False
    body = response.json()
    # GraphQL answers in its own shape, with the same codes and fields
    error = body["errors"][0]["extensions"] if "errors" in body else body["error"]
    reasons = {error["code"], *(f"{error['code']}:{field}" for field in error["fields"])}
    for field, messages in error["fields"].items():
        if isinstance(messages, list):
            reasons.update(f"{error['code']}:{field}:{message}" for message in messages)
    return bool(reasons & (MAY_REFUSE.get(label, set()) | MAY_REFUSE["*"]))


@pytest.fixture
def generous_rates(monkeypatch):
    """The run sends hundreds of requests a minute from one address: rates must not hide the answers."""
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", dict.fromkeys(SimpleRateThrottle.THROTTLE_RATES, "100000/min")
    )


def world(cast: Cast) -> dict[str, int]:
    """Real ids for the path parameters, so operations reach their objects instead of 404s."""
    a1 = cast.child_a1
    chat = cast.client_for("device_a1").post("/api/v1/chat/", {"text": "我喜欢恐龙"}, format="json")
    assert chat.status_code == 200, chat.content  # a refusal (quiet hours) is a 200 in a chat too
    return {
        "child_id": a1.pk,
        "session_id": chat.json()["session"]["id"],
        "consent_id": ConsentRecord.objects.filter(child=a1).first().pk,
        "device_id": cast.device_a1.pk,
        "guardianship_id": Guardianship.objects.filter(child=a1, role="co_guardian").first().pk,
        "invitation_id": GuardianInvitation.objects.filter(child=a1).first().pk,
        "memory_id": getattr(MemoryFact.objects.filter(child=a1).first(), "pk", 1),
        "event_id": 1,
    }


def run_operation(operation, *, base_url: str, token: str, path_ids: dict[str, int]) -> tuple[Counter, list[str]]:
    statuses: Counter = Counter()
    failures: list[str] = []
    names = {parameter.name for parameter in operation.path_parameters}
    fixed = {name: path_ids[name] for name in names if name in path_ids}
    if operation.label == "DELETE /api/v1/children/{child_id}/":
        fixed["child_id"] = path_ids["other_child_id"]  # keep the child the other operations use
    label = operation.label

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(path_parameters=fixed))
    def check(case):
        response = case.call(base_url=base_url, headers={**BEHIND_TLS, "Authorization": f"Bearer {token}"}, timeout=30)
        statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except (AssertionError, FailureGroup) as exc:  # every failure is collected, and reported together
            detail = " | ".join(line.strip() for line in str(exc).splitlines() if line.strip())
            failures.append(f"{label}: {type(exc).__name__}: {detail[:1200]}")
            return
        if not refusal_is_expected(label, response):
            sent = case.body if not isinstance(case.body, bytes) else "<bytes>"
            failures.append(
                f"{label}: schema-valid request refused: {response.status_code} {response.text[:300]} "
                f"(query {case.query}, body {json.dumps(sent, default=str, ensure_ascii=False)[:300]})"
            )

    check()
    return statuses, failures


@pytest.mark.parametrize("persona", ["parent_a", "device_a1"])
def test_every_operation_as(persona, cast, live_server, generous_rates):
    ids = {**world(cast), "other_child_id": cast.child_a2.pk}
    if persona == "parent_a":
        login = APIClient().post("/api/v1/auth/token/", {"email": cast.parent_a.email, "password": PASSWORD})
        token = login.json()["access"]
    else:
        token = cast.device_a1_tokens["access"]
    raw = requests.get(f"{live_server.url}/api/v1/schema/?format=json&lang=en", headers=BEHIND_TLS, timeout=30)
    schema = schemathesis.openapi.from_dict(raw.json())
    operations = [result.ok() for result in schema.get_all_operations()]
    statuses: Counter = Counter()
    failures: list[str] = []
    for operation in operations:
        op_statuses, op_failures = run_operation(operation, base_url=live_server.url, token=token, path_ids=ids)
        statuses += op_statuses
        failures += op_failures
    assert len(operations) >= 40, [op.label for op in operations]
    assert sum(statuses.values()) >= len(operations) * 5, statuses
    assert not failures, "\n\n".join(failures[:30])
    # The run reached the API's objects, not only its refusals.
    assert sum(n for status, n in statuses.items() if 200 <= status < 300) > len(operations), statuses
    assert ChatSession.objects.exists()
