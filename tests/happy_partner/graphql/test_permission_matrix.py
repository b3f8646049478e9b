"""Who may read and change what over GraphQL: every root x every persona, with the exact answer, and
every field of every type listed with who may read it (a new root or field without a row fails).

The answers are REST's (tests/*/test_permission_matrix.py): a foreign id is ``not_found``, a device
asking for parents' data ``parent_required``, nobody signed in ``not_authenticated`` (401). Each
row's query selects every field its root's type has (built from the schema), so each field is
resolved for each persona. The world is tests/chat_world.py's."""

# ruff: noqa: E501

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from graphql import GraphQLObjectType, GraphQLUnionType, get_named_type

from happy_partner.graphql.schema import schema
from tests.chat_world import chat_world
from tests.factories import Cast
from tests.happy_partner.graphql.conftest import error_codes, graphql

PERSONAS = ("anonymous", "parent_a", "parent_b", "co_guardian", "device_a1", "device_b1", "staff")
MORNING = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
OK = "ok"
ANON = (401, "not_authenticated")
PARENT = (200, "parent_required")
NF = (200, "not_found")
WHICH_CHILD = (200, "invalid")

# Roots: (operation, root, arguments).  Placeholders as in tests/chat_world.py.
# fmt: off
MATRIX: list[tuple] = [
    # op          root              arguments                                     anonymous  parent_a  parent_b  co_guardian  device_a1  device_b1  staff
    ("query",    "me",             "",                                           ANON,      OK,       OK,       OK,          OK,        OK,        OK),
    ("query",    "children",       "",                                           ANON,      OK,       OK,       OK,          PARENT,    PARENT,    OK),
    ("query",    "child",          'id: "{a1}"',                                 ANON,      OK,       NF,       OK,          PARENT,    PARENT,    NF),
    ("query",    "child",          'id: "{a2}"',                                 ANON,      OK,       NF,       NF,          PARENT,    PARENT,    NF),
    ("query",    "child",          'id: "{b1}"',                                 ANON,      NF,       OK,       NF,          PARENT,    PARENT,    NF),
    ("query",    "sessions",       "",                                           ANON,      OK,       OK,       OK,          OK,        OK,        OK),
    ("query",    "sessions",       'child: "{a1}"',                              ANON,      OK,       NF,       OK,          OK,        NF,        NF),
    ("query",    "sessions",       'child: "{b1}"',                              ANON,      NF,       OK,       NF,          NF,        OK,        NF),
    ("query",    "session",        'id: "{s_a1}"',                               ANON,      OK,       NF,       OK,          OK,        NF,        NF),
    ("query",    "session",        'id: "{s_gone}"',                             ANON,      OK,       NF,       OK,          NF,        NF,        NF),
    ("query",    "session",        'id: "{s_a2}"',                               ANON,      OK,       NF,       NF,          NF,        NF,        NF),
    ("query",    "messages",       "",                                           ANON,      WHICH_CHILD, WHICH_CHILD, WHICH_CHILD, OK,  OK,        WHICH_CHILD),
    ("query",    "messages",       'child: "{a1}"',                              ANON,      OK,       NF,       OK,          OK,        NF,        NF),
    ("query",    "messages",       'session: "{s_a1}"',                          ANON,      OK,       NF,       OK,          OK,        NF,        NF),
    ("query",    "messages",       'session: "{s_b1}"',                          ANON,      NF,       OK,       NF,          NF,        OK,        NF),
    ("query",    "insights",       'child: "{a1}", days: 7',                     ANON,      OK,       NF,       OK,          PARENT,    PARENT,    NF),
    ("query",    "memories",       'child: "{a1}"',                              ANON,      OK,       NF,       OK,          PARENT,    PARENT,    NF),
    ("query",    "safetyEvents",   'child: "{a1}"',                              ANON,      OK,       NF,       OK,          PARENT,    PARENT,    NF),
    ("query",    "safetyEvents",   'child: "{b1}"',                              ANON,      NF,       OK,       NF,          PARENT,    PARENT,    NF),
    ("query",    "alerts",         "",                                           ANON,      OK,       OK,       OK,          PARENT,    PARENT,    OK),
    ("mutation", "controlsUpdate", 'child: "{a1}", input: {{dailyMinutes: 45}}', ANON,      OK,       NF,       OK,          PARENT,    PARENT,    NF),
    ("mutation", "deviceRevoke",   'child: "{a1}", device: "{dev_a1}"',          ANON,      OK,       NF,       OK,          PARENT,    PARENT,    NF),
    ("mutation", "deviceRevoke",   'child: "{a1}", device: "{dev_b1}"',          ANON,      NF,       NF,       NF,          PARENT,    PARENT,    NF),
    ("mutation", "alertsMarkSeen", 'ids: ["{ev_a1}"]',                           ANON,      OK,       NF,       OK,          PARENT,    PARENT,    NF),
    ("mutation", "alertsMarkSeen", 'ids: ["{ev_a1}", "{ev_b1}"]',                ANON,      NF,       NF,       NF,          PARENT,    PARENT,    NF),
]
# fmt: on

# Every field of every type, by who may read it: "family" types only parents reach (their roots
# answer a device parent_required); "shared" types a device reaches too, for its own child.
FAMILY, SHARED = "parents", "parents and devices"
FIELDS: dict[str, tuple[str, set[str]]] = {
    "ParentMe": (SHARED, {"user"}),
    "User": (SHARED, {"id", "email", "displayName", "language", "dateJoined"}),
    "DeviceMe": (SHARED, {"child", "device", "features"}),
    "ChildSelf": (SHARED, {"id", "displayName", "ageBand", "grade", "language", "avatar", "interests"}),
    "Features": (SHARED, {"chat", "education", "emotion", "stories", "voice", "memory"}),
    "Device": (SHARED, {"id", "name", "createdAt", "lastSeenAt", "revokedAt", "isActive"}),
    "Session": (
        SHARED,
        {"id", "title", "startedAt", "lastActivityAt", "endedAt", "deletedAt", "messageCount", "isActive", "child"},
    ),
    "Message": (
        SHARED,
        {
            "id",
            "role",
            "agent",
            "text",
            "channel",
            "piiMasked",
            "refusalCode",
            "emotion",
            "emotionIntensity",
            "subject",
            "provider",
            "latencyMs",
            "createdAt",
            "session",
            "replyTo",
            "safety",
        },
    ),
    "Verdict": (SHARED, {"action", "severity", "categories"}),
    "PageInfo": (SHARED, {"hasNextPage", "endCursor"}),
    "SessionConnection": (SHARED, {"edges", "pageInfo", "nodes"}),
    "SessionEdge": (SHARED, {"cursor", "node"}),
    "MessageConnection": (SHARED, {"edges", "pageInfo", "nodes"}),
    "MessageEdge": (SHARED, {"cursor", "node"}),
    "Child": (
        FAMILY,
        {
            "id",
            "displayName",
            "birthDate",
            "birthDateEstimated",
            "age",
            "ageBand",
            "grade",
            "language",
            "avatar",
            "isActive",
            "createdAt",
            "updatedAt",
            "interests",
            "role",
            "consentScopes",
            "controls",
            "consents",
            "devices",
            "today",
            "recentSessions",
        },
    ),
    "Controls": (
        FAMILY,
        {
            "dailyMinutes",
            "weeklyMinutes",
            "sessionMinutes",
            "timeZone",
            "educationEnabled",
            "emotionEnabled",
            "storiesEnabled",
            "voiceEnabled",
            "memoryEnabled",
            "safetySensitivity",
            "alertMinSeverity",
            "alertEmail",
            "alertRealtime",
            "pinSet",
            "updatedAt",
            "weekdayStart",
            "weekdayEnd",
            "weekendStart",
            "weekendEnd",
            "blockedWords",
        },
    ),
    "Consent": (
        FAMILY,
        {"id", "scope", "policyVersion", "method", "guardianEmail", "grantedAt", "withdrawnAt", "isActive"},
    ),
    "Today": (FAMILY, {"minutes", "dailyMinutes", "mood", "openAlerts", "lastActivity"}),
    "Insights": (FAMILY, {"child", "days", "activity", "learning", "emotions"}),
    "Activity": (FAMILY, {"days", "agents", "totals"}),
    "ActivityDay": (FAMILY, {"date", "messages", "minutes", "flagged"}),
    "ActivityTotals": (FAMILY, {"messages", "minutes", "flagged"}),
    "Count": (FAMILY, {"name", "count"}),
    "Learning": (FAMILY, {"subjects", "days"}),
    "LearningDay": (FAMILY, {"date", "questions"}),
    "Emotions": (FAMILY, {"days"}),
    "EmotionDay": (FAMILY, {"date", "emotions"}),
    "EmotionSeen": (FAMILY, {"emotion", "count", "intensity"}),
    "Memory": (FAMILY, {"id", "kind", "text", "importance", "createdAt", "lastUsedAt"}),
    "MemoryConnection": (FAMILY, {"edges", "pageInfo", "nodes"}),
    "MemoryEdge": (FAMILY, {"cursor", "node"}),
    "SafetyEvent": (
        FAMILY,
        {
            "id",
            "direction",
            "severity",
            "action",
            "createdAt",
            "parentNotifiedAt",
            "acknowledgedAt",
            "reviewedAt",
            "reviewNote",
            "reviewMark",
            "child",
            "message",
            "categories",
            "reviewCategories",
            "evidence",
            "severityText",
            "categoriesText",
            "actionText",
        },
    ),
    "SafetyEventConnection": (FAMILY, {"edges", "pageInfo", "nodes"}),
    "SafetyEventEdge": (FAMILY, {"cursor", "node"}),
}
ROOT_TYPES = ("Query", "Mutation")


def _object_types() -> dict[str, GraphQLObjectType]:
    return {
        name: kind
        for name, kind in schema._schema.type_map.items()
        if isinstance(kind, GraphQLObjectType) and not name.startswith("__") and name not in ROOT_TYPES
    }


def selection(kind: Any, seen: tuple[str, ...] = ()) -> str:
    """Every field of ``kind``, nested (each type once per path; edges' nodes left to ``nodes``)."""
    if isinstance(kind, GraphQLUnionType):
        return (
            "{ __typename "
            + " ".join(f"... on {member.name} {selection(member, seen)}" for member in kind.types)
            + " }"
        )
    parts = []
    for name, field in kind.fields.items():
        inner = get_named_type(field.type)
        if name == "node" and kind.name.endswith("Edge"):
            parts.append("node { __typename }")
        elif isinstance(inner, (GraphQLObjectType, GraphQLUnionType)):
            if inner.name not in seen:
                parts.append(f"{name} {selection(inner, (*seen, kind.name))}")
        else:
            parts.append(name)
    return "{ " + " ".join(parts) + " }"


def operation(op: str, root: str, arguments: str, ids: dict[str, int]) -> str:
    owner = schema._schema.query_type if op == "query" else schema._schema.mutation_type
    field = owner.fields[root]
    inner = get_named_type(field.type)
    args = f"({arguments.format(**ids)})" if arguments else ""
    body = selection(inner) if isinstance(inner, (GraphQLObjectType, GraphQLUnionType)) else ""
    return f"{op} {{ {root}{args} {body} }}"


def test_matrix_lists_every_root():
    covered = {(op, root) for op, root, *_rest in MATRIX}
    for op, owner in (("query", schema._schema.query_type), ("mutation", schema._schema.mutation_type)):
        for root in owner.fields:
            assert (op, root) in covered, f"no row for {op} {root}"


def test_every_field_says_who_may_read_it():
    types = _object_types()
    assert sorted(set(types) - set(FIELDS)) == [], "types without a row in FIELDS"
    assert sorted(set(FIELDS) - set(types)) == [], "rows of FIELDS for types the schema no longer has"
    for name, kind in types.items():
        assert set(kind.fields) == FIELDS[name][1], f"{name}: fields differ from its row"


def test_a_device_reaches_only_shared_types():
    """What a root a device may call answers is built only of types a device may read."""
    device_roots = {(op, root) for op, root, _args, *answers in MATRIX if answers[PERSONAS.index("device_a1")] == OK}
    reached: set[str] = set()

    def walk(kind: Any) -> None:
        if kind.name in reached:
            return
        reached.add(kind.name)
        members = (
            kind.types if isinstance(kind, GraphQLUnionType) else [get_named_type(f.type) for f in kind.fields.values()]
        )
        for member in members:
            if isinstance(member, (GraphQLObjectType, GraphQLUnionType)):
                walk(member)

    for op, root in device_roots:
        owner = schema._schema.query_type if op == "query" else schema._schema.mutation_type
        walk(get_named_type(owner.fields[root].type))
    family = {name for name in reached if name in FIELDS and FIELDS[name][0] == FAMILY}
    assert family == set(), "types only parents may read, reachable by a device"


@pytest.fixture(autouse=True)
def _daytime():
    with time_machine.travel(MORNING, tick=False):
        yield


def _cells():
    for op, root, arguments, *answers in MATRIX:
        assert len(answers) == len(PERSONAS)
        for persona, expected in zip(PERSONAS, answers, strict=True):
            yield pytest.param(op, root, arguments, persona, expected, id=f"{root}({arguments}) as {persona}")


@pytest.mark.django_db
@pytest.mark.parametrize(("op", "root", "arguments", "persona", "expected"), list(_cells()))
def test_permission_matrix(cast: Cast, op, root, arguments, persona, expected):
    ids = chat_world(cast)
    status, body = graphql(cast.client_for(persona), operation(op, root, arguments, ids))
    if expected == OK:
        assert status == 200 and "errors" not in body, body
        assert body["data"][root] is not None
        return
    expected_status, code = expected
    assert status == expected_status, (status, body)
    assert error_codes(body) == [code], body
    assert body["errors"][0]["message"]
    if status == 200:
        assert body["data"] == {root: None}
