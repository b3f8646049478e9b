"""Bad input to the conversations API, endpoint by endpoint: every malformed request gets a clear 4xx
in the one error shape ``{"error": {"code", "message", "fields"}}`` (as JSON) and leaves the database
exactly as it was.

The tables below are the specification. Each row is one request and what must come back: the
status, the error code and, for field errors, the field named in ``error.fields``. Around every
request the test takes a snapshot of every conversations table a request could write (chats,
messages, safety events, memories, usage days, transcript access), so a refused message that still
opened a chat, stored a row or counted minutes fails its row.

Chatting is refused outside the child's allowed hours with a 200, which would hide what these rows
test; so every test, the cast's tokens included, runs on a Wednesday at 10:00 in Shanghai.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import ConsentScope
from accounts.services.consent import consent_grant
from conversations.models import ChatSession, MemoryFact, Message, SafetyEvent, TranscriptAccess, UsageDay
from conversations.services.moderation import safety_event_review
from conversations.services.sessions import session_delete, session_end
from tests.chat_world import child_says, switch_memory_on
from tests.factories import Cast
from tests.request_tables import DROP, INVALID, MALFORMED, NO_BODY, Raw, client_as, cursor, merged, send, table

pytestmark = pytest.mark.django_db

# A Wednesday, 10:00 in Shanghai: inside every child's default weekday window (07:00-20:30).
MORNING = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _daytime():
    with time_machine.travel(MORNING, tick=False):
        yield


# --- how requests are written and checked ----------------------------------------------------------


NF = "not_found"
BAD_CURSOR = "invalid_cursor"


def say(**changes: Any) -> dict[str, Any]:
    """A valid chat body from a device; ``"{name}"`` values are ids filled in from the world."""
    return merged({"text": "你好"}, changes)


def fill(template: Any, ids: dict[str, Any]) -> Any:
    """A whole-string ``"{name}"`` in a body becomes that id (an integer, as a client sends it)."""
    if isinstance(template, dict):
        return {key: fill(value, ids) for key, value in template.items()}
    if isinstance(template, str) and template.startswith("{") and template.endswith("}") and template[1:-1] in ids:
        return ids[template[1:-1]]
    return template


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
    if code == BAD_CURSOR:
        assert "cursor" in error["fields"], error
    return error


def db_state() -> dict[str, list]:
    """Every row a request to the conversations API could write."""
    return {
        "sessions": list(ChatSession.objects.order_by("pk").values()),
        "messages": list(Message.objects.order_by("pk").values()),
        "safety_events": list(SafetyEvent.objects.order_by("pk").values()),
        "memories": list(MemoryFact.objects.order_by("pk").values()),
        "usage_days": list(UsageDay.objects.order_by("pk").values()),
        "transcript_access": list(TranscriptAccess.objects.order_by("pk").values()),
    }


@pytest.fixture
def ids(cast: Cast) -> dict[str, Any]:
    """The world every row runs against, and the values for the ``{placeholders}`` in its paths.

    Both children have the memory and emotion-companion consents (and memory switched on), so
    emotion/support is answered by its agent, not refused.
    child_a1 (device_a1): {s_a1} an open chat with a memory {mem_a1} and a safety event {ev_a1};
    {s_ended} a chat that ended, whose event {ev_done} staff already reviewed; {s_gone} a chat the
    child deleted. child_b1 (device_b1): {s_b1} with the memory {mem_b1}.
    """
    for owner, child in ((cast.parent_a, cast.child_a1), (cast.parent_b, cast.child_b1)):
        consent_grant(actor=owner, child=child, scope=ConsentScope.MEMORY)
        consent_grant(actor=owner, child=child, scope=ConsentScope.EMOTION_COMPANION)
        switch_memory_on(child)
    a1, dev_a1 = cast.child_a1, cast.device_a1
    s_a1 = child_says(a1, "我喜欢恐龙", device=dev_a1).session
    child_says(a1, "我不想活了", device=dev_a1, session=s_a1.pk)
    s_ended = child_says(a1, "我不想活了", device=dev_a1).session
    events = list(SafetyEvent.objects.filter(child=a1).order_by("pk"))
    assert len(events) >= 2, "the distress messages raised no safety events"
    ev_a1, ev_done = events[0], events[-1]
    assert ev_done.message.session_id == s_ended.pk
    safety_event_review(actor=cast.staff, event=ev_done, note="seen")
    session_end(actor=cast.parent_a, session=s_ended)
    s_gone = child_says(a1, "今天天气很好", device=dev_a1).session
    session_delete(actor=cast.parent_a, session=s_gone)
    s_b1 = child_says(cast.child_b1, "我喜欢恐龙", device=cast.device_b1).session
    return {
        **cast.path_ids(),
        "s_a1": s_a1.pk,
        "s_ended": s_ended.pk,
        "s_gone": s_gone.pk,
        "s_b1": s_b1.pk,
        "mem_a1": MemoryFact.objects.get(child=a1).pk,
        "mem_b1": MemoryFact.objects.get(child=cast.child_b1).pk,
        "ev_a1": ev_a1.pk,
        "ev_done": ev_done.pk,
        "huge": "99999999999999999999999",  # too long for the id converter
        "big63": str(2**63),  # 19 digits: too long for the converter, and past a bigint
        "max18": "999999999999999999",  # passes the converter (18 digits), fits a bigint, exists nowhere
    }


# --- endpoints -------------------------------------------------------------------------------------------
API = "/api/v1/"
CHAT = API + "chat/"
EDU = API + "edu/ask/"
EMOTION = API + "emotion/support/"
CHECK = API + "safety/check/"
SESSIONS = API + "sessions/"
SESSION = API + "sessions/{s_a1}/"
SESSION_END = API + "sessions/{s_a1}/end/"
SESSION_MESSAGES = API + "sessions/{s_a1}/messages/"
CHILD_MESSAGES = API + "children/{a1}/messages/"
MEMORIES = API + "children/{a1}/memories/"
MEMORY = API + "children/{a1}/memories/{mem_a1}/"
ACTIVITY = API + "children/{a1}/insights/activity/"
LEARNING = API + "children/{a1}/insights/learning/"
EMOTIONS = API + "children/{a1}/insights/emotions/"
CHILD_EVENTS = API + "children/{a1}/safety-events/"
EVENTS = API + "safety-events/"
REVIEW = API + "safety-events/{ev_a1}/review/"


# --- 1. the body itself is wrong, whatever the endpoint -------------------------------------------------
TOO_BIG = Raw(json.dumps({"text": "x" * (3 * 1024 * 1024)}))  # over DATA_UPLOAD_MAX_MEMORY_SIZE

BODY_SHAPES = [
    # (name, body, status, code[, field])
    ("malformed json", Raw('{"text": '), 400, MALFORMED),
    ("trailing garbage", Raw('{"text": "hi"} }'), 400, MALFORMED),
    ("single-quoted json", Raw("{'text': 'hi'}"), 400, MALFORMED),
    ("NaN literal", Raw('{"text": "hi", "session": NaN}'), 400, MALFORMED),
    ("invalid utf-8", Raw(b'{"text": "\xff\xfe"}'), 400, MALFORMED),
    ("deeply nested json", Raw("[" * 100_000), 400, MALFORMED),
    ("json array", [], 400, INVALID, "non_field_errors"),
    ("json array of objects", [{"text": "hi"}], 400, INVALID, "non_field_errors"),
    ("json string", "hello", 400, INVALID, "non_field_errors"),
    ("json number", 42, 400, INVALID, "non_field_errors"),
    ("json true", True, 400, INVALID, "non_field_errors"),
    ("json null", None, 400, INVALID, "non_field_errors"),
    ("text/plain", Raw("hello", "text/plain"), 415, "unsupported_media_type"),
    ("form-encoded", Raw("text=hello", "application/x-www-form-urlencoded"), 415, "unsupported_media_type"),
    ("xml", Raw("<text>hello</text>", "application/xml"), 415, "unsupported_media_type"),
    ("body over 2.5 MiB", TOO_BIG, 413, "request_too_large"),
]

# Endpoints that read a JSON body, each with a caller allowed to use it.
BODY_ENDPOINTS = [
    ("chat", "device_a1", "post", CHAT),
    ("chat, parent mode", "parent_a", "post", CHAT),
    ("edu ask", "device_a1", "post", EDU),
    ("emotion support", "device_a1", "post", EMOTION),
    ("safety check", "device_a1", "post", CHECK),
    ("session create", "device_a1", "post", SESSIONS),
    ("session rename", "device_a1", "patch", SESSION),
    ("event review", "staff", "post", REVIEW),
]

# Writes that take no body: a body they cannot read is bad input all the same, and the action must
# not go ahead as if it had not been sent.
NO_BODY_ENDPOINTS = [
    ("session end", "device_a1", "post", SESSION_END),
    ("session delete", "device_a1", "delete", SESSION),
    ("session delete, parent", "parent_a", "delete", SESSION),
    ("memory delete", "parent_a", "delete", MEMORY),
]
NO_BODY_SHAPES = [
    ("malformed json", Raw('{"reason": '), 400, MALFORMED),
    ("text/plain", Raw("hello", "text/plain"), 415, "unsupported_media_type"),
]

BODY_SHAPE_ROWS = [
    *[row for label, *endpoint in BODY_ENDPOINTS for row in table(label, *endpoint, BODY_SHAPES)],
    *[row for label, *endpoint in NO_BODY_ENDPOINTS for row in table(label, *endpoint, NO_BODY_SHAPES)],
]

# --- 2. one bad field per row ----------------------------------------------------------------------------
TOO_LONG = "字" * 2001
BIG = 2**63
BEYOND = 2**62  # the largest id the serializers accept; no row has it

TEXT_ROWS = [
    ("empty object", {}, 400, INVALID, "text"),
    ("text missing", say(text=DROP, session="{s_a1}"), 400, INVALID, "text"),
    ("text empty", say(text=""), 400, INVALID, "text"),
    ("text only spaces", say(text="  \n\t "), 400, INVALID, "text"),
    ("text only invisible characters", say(text="\u200b\u200c\ufeff"), 400, INVALID, "text"),
    ("text only control characters", say(text="\x01\x02\x1b"), 400, INVALID, "text"),
    ("text null", say(text=None), 400, INVALID, "text"),
    ("text 2001 chars", say(text=TOO_LONG), 400, INVALID, "text"),
    ("text 2001 ascii chars", say(text="a" * 2001), 400, INVALID, "text"),
    ("text list", say(text=["你好"]), 400, INVALID, "text"),
    ("text dict", say(text={"zh": "你好"}), 400, INVALID, "text"),
    ("text boolean", say(text=True), 400, INVALID, "text"),
    ("text NUL", say(text="你\u0000好"), 400, INVALID, "text"),
    ("text lone surrogate", say(text="hi \ud800"), 400, INVALID, "text"),
]
CHILD_FIELD_ROWS = [
    ("child string", say(child="abc"), 400, INVALID, "child"),
    ("child fraction", say(child=1.5), 400, INVALID, "child"),
    ("child boolean", say(child=True), 400, INVALID, "child"),
    ("child list", say(child=["{a1}"]), 400, INVALID, "child"),
    ("child null", say(child=None), 400, INVALID, "child"),
    ("child 0", say(child=0), 400, INVALID, "child"),
    ("child negative", say(child=-1), 400, INVALID, "child"),
    ("child 2**63", say(child=BIG), 400, INVALID, "child"),
    ("child 5000 digits", say(child="9" * 5000), 400, INVALID, "child"),
    ("child of another family", say(child="{b1}"), 404, NF),
    ("child: the sibling", say(child="{a2}"), 404, NF),
    ("child nobody has", say(child=BEYOND), 404, NF),
]
SESSION_FIELD_ROWS = [
    ("session string", say(session="abc"), 400, INVALID, "session"),
    ("session fraction", say(session=1.5), 400, INVALID, "session"),
    ("session boolean", say(session=True), 400, INVALID, "session"),
    ("session list", say(session=["{s_a1}"]), 400, INVALID, "session"),
    ("session dict", say(session={"id": "{s_a1}"}), 400, INVALID, "session"),
    ("session 0", say(session=0), 400, INVALID, "session"),
    ("session negative", say(session=-1), 400, INVALID, "session"),
    ("session 2**63", say(session=BIG), 400, INVALID, "session"),
    ("session 1e400", Raw('{"text": "hi", "session": 1e400}'), 400, INVALID, "session"),
    ("session nobody has", say(session=BEYOND), 404, NF),
    ("session 18 digits", say(session=999_999_999_999_999_999), 404, NF),
    ("session of another family", say(session="{s_b1}"), 404, NF),
    ("session the child deleted", say(session="{s_gone}"), 404, NF),
    ("session ended", say(session="{s_ended}"), 409, "session_ended"),
]
CHAT_ROWS = TEXT_ROWS + CHILD_FIELD_ROWS + SESSION_FIELD_ROWS
PARENT_CHAT_ROWS = [
    ("no child named", say(), 400, INVALID, "child"),
    ("no child named, with a session", say(session="{s_a1}"), 400, INVALID, "child"),
    ("child string", say(child="abc"), 400, INVALID, "child"),
    ("child negative", say(child=-1), 400, INVALID, "child"),
    ("child 2**63", say(child=BIG), 400, INVALID, "child"),
    ("child of another family", say(child="{b1}"), 404, NF),
    ("child nobody has", say(child=BEYOND), 404, NF),
    ("child nobody has, 18 digits", say(child=999_999_999_999_999_999), 404, NF),
    ("another family's session, own child", say(child="{a1}", session="{s_b1}"), 404, NF),
    ("text 2001 chars, own child", say(child="{a1}", text=TOO_LONG), 400, INVALID, "text"),
    ("session ended, own child", say(child="{a1}", session="{s_ended}"), 409, "session_ended"),
]
# The direct endpoints share the chat's request: a sample of the same rows.
DIRECT_ROWS = [
    row
    for row in CHAT_ROWS
    if row[0]
    in {
        "empty object",
        "text empty",
        "text 2001 chars",
        "text list",
        "text NUL",
        "child string",
        "child of another family",
        "session negative",
        "session 2**63",
        "session of another family",
        "session ended",
    }
]
CHECK_ROWS = [
    row
    for row in TEXT_ROWS + CHILD_FIELD_ROWS
    if row[0] != "text missing"  # that row sends a session, which the check does not read
]

SESSION_CREATE_ROWS = [
    ("title 81 chars", {"title": "t" * 81}, 400, INVALID, "title"),
    ("title null", {"title": None}, 400, INVALID, "title"),
    ("title list", {"title": ["Dinosaurs"]}, 400, INVALID, "title"),
    ("title dict", {"title": {"zh": "恐龙"}}, 400, INVALID, "title"),
    ("title boolean", {"title": True}, 400, INVALID, "title"),
    ("title NUL", {"title": "Dino\u0000"}, 400, INVALID, "title"),
    ("child string", {"child": "abc"}, 400, INVALID, "child"),
    ("child negative", {"child": -1}, 400, INVALID, "child"),
    ("child 2**63", {"child": BIG}, 400, INVALID, "child"),
    ("child null", {"child": None}, 400, INVALID, "child"),
    ("child of another family", {"child": "{b1}"}, 404, NF),
    ("child: the sibling", {"child": "{a2}"}, 404, NF),
]
PARENT_SESSION_CREATE_ROWS = [
    ("no child named", {"title": "Dinosaurs"}, 400, INVALID, "child"),
    ("empty object", {}, 400, INVALID, "child"),
    ("child of another family", {"child": "{b1}"}, 404, NF),
    ("child nobody has", {"child": BEYOND}, 404, NF),
    ("title 81 chars, own child", {"child": "{a1}", "title": "t" * 81}, 400, INVALID, "title"),
]
SESSION_RENAME_ROWS = [
    ("empty object", {}, 400, INVALID, "title"),
    ("title null", {"title": None}, 400, INVALID, "title"),
    ("title 81 chars", {"title": "t" * 81}, 400, INVALID, "title"),
    ("title list", {"title": ["x"]}, 400, INVALID, "title"),
    ("title NUL", {"title": "\u0000"}, 400, INVALID, "title"),
]
REVIEW_ROWS = [
    ("note 501 chars", {"note": "n" * 501}, 400, INVALID, "note"),
    ("note null", {"note": None}, 400, INVALID, "note"),
    ("note list", {"note": ["ok"]}, 400, INVALID, "note"),
    ("note dict", {"note": {"text": "ok"}}, 400, INVALID, "note"),
    ("note boolean", {"note": False}, 400, INVALID, "note"),
    ("note NUL", {"note": "ok\u0000"}, 400, INVALID, "note"),
]

# --- 2b. strict bodies: each field takes only its own JSON type, and nothing else is accepted ----------
# One mechanism for every endpoint (happy_partner.api.serializers): {"text": 123} was stored as "123".
NON_FIELD = "non_field_errors"
STRICT_CHAT_ROWS = [
    ("text number", say(text=123), 400, INVALID, "text"),
    ("text 0", say(text=0), 400, INVALID, "text"),
    ("session digits string", say(session="1"), 400, INVALID, "session"),
    ("child digits string", say(child="1"), 400, INVALID, "child"),
    ("unknown field", say(mood="happy"), 400, INVALID, "mood"),
    ("agent sent", say(agent="story"), 400, INVALID, "agent"),
]
STRICT_ROWS = [
    *table("chat", "device_a1", "post", CHAT, STRICT_CHAT_ROWS),
    *table(
        "chat, parent mode", "parent_a", "post", CHAT, [("unknown field", say(child="{a1}", x=1), 400, INVALID, "x")]
    ),
    *table("edu ask", "device_a1", "post", EDU, STRICT_CHAT_ROWS[:1]),
    *table("emotion support", "device_a1", "post", EMOTION, STRICT_CHAT_ROWS[:1]),
    *table("safety check", "device_a1", "post", CHECK, STRICT_CHAT_ROWS[:1] + STRICT_CHAT_ROWS[-2:-1]),
    *table(
        "session create",
        "device_a1",
        "post",
        SESSIONS,
        [
            ("title number", {"title": 42}, 400, INVALID, "title"),
            ("child digits string", {"child": "1"}, 400, INVALID, "child"),
            ("unknown field", {"title": "Dinosaurs", "device": 1}, 400, INVALID, "device"),
        ],
    ),
    *table(
        "session rename",
        "device_a1",
        "patch",
        SESSION,
        [
            ("title number", {"title": 42}, 400, INVALID, "title"),
            ("only unknown fields", {"name": "Dinosaurs"}, 400, INVALID, "name"),
            ("read-only field", {"title": "Ok", "ended_at": None}, 400, INVALID, "ended_at"),
        ],
    ),
    *table(
        "event review",
        "staff",
        "post",
        REVIEW,
        [
            ("note number", {"note": 1}, 400, INVALID, "note"),
            ("unknown field", {"note": "ok", "severity": "low"}, 400, INVALID, "severity"),
        ],
    ),
    # Writes that take no body: a body with content is refused the same way, and nothing happens.
    *[
        row
        for label, *endpoint in NO_BODY_ENDPOINTS
        for row in table(
            label,
            *endpoint,
            [("a field", {"reason": "x"}, 400, INVALID, "reason"), ("a list", [1], 400, INVALID, NON_FIELD)],
        )
    ],
]

FIELD_ROWS = [
    *table("chat", "device_a1", "post", CHAT, CHAT_ROWS),
    *table("chat, parent mode", "parent_a", "post", CHAT, PARENT_CHAT_ROWS),
    *table("edu ask", "device_a1", "post", EDU, DIRECT_ROWS),
    *table("edu ask, parent mode", "parent_a", "post", EDU, PARENT_CHAT_ROWS[:1]),
    *table("emotion support", "device_a1", "post", EMOTION, DIRECT_ROWS),
    *table("emotion support, parent mode", "parent_a", "post", EMOTION, PARENT_CHAT_ROWS[:1]),
    *table("safety check", "device_a1", "post", CHECK, CHECK_ROWS),
    *table("session create", "device_a1", "post", SESSIONS, SESSION_CREATE_ROWS),
    *table("session create, parent", "parent_a", "post", SESSIONS, PARENT_SESSION_CREATE_ROWS),
    *table("session rename", "device_a1", "patch", SESSION, SESSION_RENAME_ROWS),
    *table("event review", "staff", "post", REVIEW, REVIEW_ROWS),
    *STRICT_ROWS,
]

# --- 3. query strings: filters, pages, periods -------------------------------------------------------------
HISTORY_QUERIES = [
    # (name, query, field or None for a cursor)
    ("agent unknown", "agent=unknown", "agent"),
    ("agent upper case", "agent=EDU", "agent"),
    ("agent NUL", "agent=%00", "agent"),
    ("since not a date", "since=not-a-date", "since"),
    ("since 30 February", "since=2026-02-30T00:00:00Z", "since"),
    ("since before year 1 in UTC", "since=" + quote("0001-01-01T00:00:00+14:00"), "since"),
    ("until not a date", "until=yesterday", "until"),
    ("until after year 9999 in UTC", "until=" + quote("9999-12-31T23:59:59-14:00"), "until"),
    ("flagged maybe", "flagged=maybe", "flagged"),
    ("flagged 2", "flagged=2", "flagged"),
    ("q 101 chars", "q=" + "q" * 101, "q"),
    ("q 101 Chinese chars", "q=" + quote("恐" * 101), "q"),
    ("q NUL", "q=%00", "q"),
    ("cursor garbage", "cursor=garbage", None),
    ("cursor position not a time", "cursor=" + cursor("p=garbage"), None),
    ("cursor position after year 9999 in UTC", "cursor=" + cursor("p=" + quote("9999-12-31T23:59:59-14:00")), None),
    ("one bad of three", "agent=chat&flagged=true&since=soon", "since"),
]


def query_rows(label: str, persona: str, path: str, queries: list[tuple]) -> list:
    return [
        pytest.param(
            persona,
            "get",
            f"{path}?{query}",
            NO_BODY,
            400,
            INVALID if field else BAD_CURSOR,
            field or "cursor",
            id=f"{label}: {name}",
        )
        for name, query, field in queries
    ]


DAYS_QUERIES = [
    ("days 0", "days=0", "days"),
    ("days 91", "days=91", "days"),
    ("days abc", "days=abc", "days"),
    ("days negative", "days=-1", "days"),
    ("days fraction", "days=1.5", "days"),
    ("days 2**63", f"days={BIG}", "days"),
    ("days NUL", "days=%00", "days"),
]
LIST_CURSOR = [("cursor garbage", "cursor=garbage", None), ("cursor forged", "cursor=" + cursor("p=garbage"), None)]

QUERY_ROWS = [
    *query_rows("chat messages", "device_a1", SESSION_MESSAGES, HISTORY_QUERIES),
    *query_rows("chat messages, parent", "parent_a", SESSION_MESSAGES, HISTORY_QUERIES[:1]),
    *query_rows("child messages", "parent_a", CHILD_MESSAGES, HISTORY_QUERIES),
    *query_rows("child messages, device", "device_a1", CHILD_MESSAGES, HISTORY_QUERIES[:1]),
    *query_rows("insights activity", "parent_a", ACTIVITY, DAYS_QUERIES),
    *query_rows("insights learning", "parent_a", LEARNING, DAYS_QUERIES[:3]),
    *query_rows("insights emotions", "parent_a", EMOTIONS, DAYS_QUERIES[:3]),
    *query_rows("sessions", "device_a1", SESSIONS, LIST_CURSOR),
    *query_rows("sessions, parent", "parent_a", SESSIONS, LIST_CURSOR),
    *query_rows("memories", "parent_a", MEMORIES, LIST_CURSOR),
    *query_rows("child safety events", "parent_a", CHILD_EVENTS, LIST_CURSOR),
    *query_rows("safety events", "staff", EVENTS, LIST_CURSOR),
]


# --- 4. the wrong thing's id: someone else's, gone, never there ------------------------------------------
def other(name, persona, method, path, body, status, code):
    return pytest.param(persona, method, path, body, status, code, None, id=name)


B1 = API + "children/{b1}/"
RENAME = {"title": "Renamed"}
NOTE = {"note": "ok"}

CALLER_ROWS = [
    other(*row)
    for row in [
        # (name, persona, method, path, body, status, code)
        ("chat: another family's", "device_a1", "get", API + "sessions/{s_b1}/", NO_BODY, 404, NF),
        ("chat rename: another family's", "device_a1", "patch", API + "sessions/{s_b1}/", RENAME, 404, NF),
        ("chat delete: another family's", "device_a1", "delete", API + "sessions/{s_b1}/", NO_BODY, 404, NF),
        ("chat end: another family's", "device_a1", "post", API + "sessions/{s_b1}/end/", NO_BODY, 404, NF),
        ("chat messages: another family's", "device_a1", "get", API + "sessions/{s_b1}/messages/", NO_BODY, 404, NF),
        ("chat: another family's, parent", "parent_a", "get", API + "sessions/{s_b1}/", NO_BODY, 404, NF),
        ("chat: deleted, by the child", "device_a1", "get", API + "sessions/{s_gone}/", NO_BODY, 404, NF),
        ("chat rename: deleted, by the child", "device_a1", "patch", API + "sessions/{s_gone}/", RENAME, 404, NF),
        ("chat end: deleted, by the child", "device_a1", "post", API + "sessions/{s_gone}/end/", NO_BODY, 404, NF),
        (
            "chat end: already ended",
            "device_a1",
            "post",
            API + "sessions/{s_ended}/end/",
            NO_BODY,
            409,
            "session_ended",
        ),
        (
            "chat end: deleted, by a parent",
            "parent_a",
            "post",
            API + "sessions/{s_gone}/end/",
            NO_BODY,
            409,
            "session_ended",
        ),
        (
            "messages: deleted chat, by the child",
            "device_a1",
            "get",
            API + "sessions/{s_gone}/messages/",
            NO_BODY,
            404,
            NF,
        ),
        ("sessions: ?child another family's", "device_a1", "get", SESSIONS + "?child={b1}", NO_BODY, 404, NF),
        ("sessions: ?child the sibling", "device_a1", "get", SESSIONS + "?child={a2}", NO_BODY, 404, NF),
        ("sessions: ?child not a number", "device_a1", "get", SESSIONS + "?child=abc", NO_BODY, 404, NF),
        ("sessions: ?child another family's, parent", "parent_a", "get", SESSIONS + "?child={b1}", NO_BODY, 404, NF),
        ("sessions: ?child not a number, parent", "parent_a", "get", SESSIONS + "?child=abc", NO_BODY, 404, NF),
        ("sessions: ?child negative, parent", "parent_a", "get", SESSIONS + "?child=-1", NO_BODY, 404, NF),
        ("sessions: ?child NUL, parent", "parent_a", "get", SESSIONS + "?child=%00", NO_BODY, 404, NF),
        ("sessions: ?child 18 digits, parent", "parent_a", "get", SESSIONS + "?child={max18}", NO_BODY, 404, NF),
        ("sessions: ?child 2**63, parent", "parent_a", "get", SESSIONS + "?child={big63}", NO_BODY, 404, NF),
        ("sessions: ?child 23 digits, parent", "parent_a", "get", SESSIONS + "?child={huge}", NO_BODY, 404, NF),
        ("child messages: another family's", "device_a1", "get", B1 + "messages/", NO_BODY, 404, NF),
        ("child messages: the sibling", "device_a1", "get", API + "children/{a2}/messages/", NO_BODY, 404, NF),
        ("child messages: another family's, parent", "parent_a", "get", B1 + "messages/", NO_BODY, 404, NF),
        ("memories: another family's", "parent_a", "get", B1 + "memories/", NO_BODY, 404, NF),
        (
            "memory: another family's, under one's own child",
            "parent_a",
            "delete",
            MEMORIES + "{mem_b1}/",
            NO_BODY,
            404,
            NF,
        ),
        ("memory: another family's, under theirs", "parent_a", "delete", B1 + "memories/{mem_b1}/", NO_BODY, 404, NF),
        (
            "memory: one's own, under the sibling",
            "parent_a",
            "delete",
            API + "children/{a2}/memories/{mem_a1}/",
            NO_BODY,
            404,
            NF,
        ),
        ("memory: by the device", "device_a1", "delete", MEMORY, NO_BODY, 403, "parent_required"),
        ("insights: another family's", "parent_a", "get", B1 + "insights/activity/", NO_BODY, 404, NF),
        ("insights: bad days, another family's", "parent_a", "get", B1 + "insights/activity/?days=0", NO_BODY, 404, NF),
        ("safety events: another family's", "parent_a", "get", B1 + "safety-events/", NO_BODY, 404, NF),
        (
            "review: already reviewed",
            "staff",
            "post",
            API + "safety-events/{ev_done}/review/",
            NOTE,
            409,
            "already_reviewed",
        ),
        ("review: by a parent", "parent_a", "post", REVIEW, NOTE, 403, "permission_denied"),
        ("review: bad note, by a parent", "parent_a", "post", REVIEW, {"note": "n" * 501}, 403, "permission_denied"),
        ("chat: bad body, anonymous", "anonymous", "post", CHAT, Raw('{"text": '), 401, "not_authenticated"),
    ]
]

# --- 5. URLs: ids that do not fit or do not exist, paths that are not there ----------------------------------
ID_PATHS = [  # every path with an id, with a caller and a request that would be fine if the id existed
    ("device_a1", "get", API + "sessions/{id}/", NO_BODY),
    ("device_a1", "patch", API + "sessions/{id}/", RENAME),
    ("device_a1", "delete", API + "sessions/{id}/", NO_BODY),
    ("device_a1", "post", API + "sessions/{id}/end/", NO_BODY),
    ("device_a1", "get", API + "sessions/{id}/messages/", NO_BODY),
    ("parent_a", "get", API + "sessions/{id}/", NO_BODY),
    ("parent_a", "get", API + "children/{id}/messages/", NO_BODY),
    ("device_a1", "get", API + "children/{id}/messages/", NO_BODY),
    ("parent_a", "get", API + "children/{id}/memories/", NO_BODY),
    ("parent_a", "delete", API + "children/{id}/memories/{mem_a1}/", NO_BODY),
    ("parent_a", "delete", API + "children/{a1}/memories/{id}/", NO_BODY),
    ("parent_a", "get", API + "children/{id}/insights/activity/", NO_BODY),
    ("parent_a", "get", API + "children/{id}/insights/learning/", NO_BODY),
    ("parent_a", "get", API + "children/{id}/insights/emotions/", NO_BODY),
    ("parent_a", "get", API + "children/{id}/safety-events/", NO_BODY),
    ("staff", "post", API + "safety-events/{id}/review/", NOTE),
]
ID_SIZES = {
    "not a number": "abc",
    "negative": "-1",
    "NUL": "%00",
    "23 digits": "{huge}",
    "2**63": "{big63}",
    "18 digits": "{max18}",
    "0": "0",
}
ID_ROWS = [
    other(
        f"{method.upper()} {path} as {persona}, id {size}", persona, method, path.replace("{id}", value), body, 404, NF
    )
    for persona, method, path, body in ID_PATHS
    for size, value in ID_SIZES.items()
]
ROUTE_ROWS = [
    other(*row)
    for row in [
        ("unknown path", "device_a1", "get", API + "chats/", NO_BODY, 404, NF),
        ("unknown path, anonymous", "anonymous", "post", API + "talk/", say(), 404, NF),
        ("post without trailing slash", "device_a1", "post", API + "chat", say(), 404, NF),
        ("edu without ask", "device_a1", "post", API + "edu/", say(), 404, NF),
        ("edu ask, one level deeper", "device_a1", "post", EDU + "more/", say(), 404, NF),
        ("emotion without support", "device_a1", "post", API + "emotion/", say(), 404, NF),
        ("safety without check", "device_a1", "post", API + "safety/", say(), 404, NF),
        ("unknown under a chat", "device_a1", "get", SESSION + "replies/", NO_BODY, 404, NF),
        ("a message by id", "device_a1", "get", SESSION_MESSAGES + "1/", NO_BODY, 404, NF),
        ("all messages", "parent_a", "get", API + "messages/", NO_BODY, 404, NF),
        ("insights without a report", "parent_a", "get", API + "children/{a1}/insights/", NO_BODY, 404, NF),
        ("unknown insights report", "parent_a", "get", ACTIVITY.replace("activity", "sleep"), NO_BODY, 404, NF),
        ("memory, singular", "parent_a", "get", API + "children/{a1}/memory/", NO_BODY, 404, NF),
        ("one safety event", "staff", "get", EVENTS + "{ev_a1}/", NO_BODY, 404, NF),
        ("review without an event", "staff", "post", EVENTS + "review/", NOTE, 404, NF),
        ("chat under a child", "parent_a", "post", API + "children/{a1}/chat/", say(), 404, NF),
    ]
]

# --- 6. methods an endpoint does not have -------------------------------------------------------------------
METHOD_ROWS = [
    other(f"{method.upper()} {path} as {persona}", persona, method, path, NO_BODY, 405, "method_not_allowed")
    for persona, method, path in [
        ("device_a1", "get", CHAT),
        ("device_a1", "put", CHAT),
        ("device_a1", "delete", CHAT),
        ("device_a1", "get", EDU),
        ("device_a1", "patch", EDU),
        ("device_a1", "get", EMOTION),
        ("device_a1", "get", CHECK),
        ("device_a1", "put", SESSIONS),
        ("device_a1", "delete", SESSIONS),
        ("device_a1", "post", SESSION),
        ("device_a1", "put", SESSION),
        ("device_a1", "get", SESSION_END),
        ("device_a1", "delete", SESSION_END),
        ("device_a1", "post", SESSION_MESSAGES),
        ("device_a1", "delete", SESSION_MESSAGES),
        ("device_a1", "post", CHILD_MESSAGES),
        ("parent_a", "delete", CHILD_MESSAGES),
        ("parent_a", "post", MEMORIES),
        ("parent_a", "delete", MEMORIES),
        ("parent_a", "get", MEMORY),
        ("parent_a", "patch", MEMORY),
        ("parent_a", "post", ACTIVITY),
        ("parent_a", "delete", LEARNING),
        ("parent_a", "put", EMOTIONS),
        ("parent_a", "post", CHILD_EVENTS),
        ("staff", "post", EVENTS),
        ("staff", "delete", EVENTS),
        ("staff", "get", REVIEW),
        ("staff", "put", REVIEW),
        ("device_a1", "trace", CHAT),
        ("device_a1", "brew", SESSIONS),
    ]
]


@pytest.mark.parametrize(
    ("persona", "method", "path", "body", "status", "code", "field"),
    [*BODY_SHAPE_ROWS, *FIELD_ROWS, *QUERY_ROWS, *CALLER_ROWS, *ID_ROWS, *ROUTE_ROWS, *METHOD_ROWS],
)
def test_bad_request(cast, ids, persona, method, path, body, status, code, field):
    client = client_as(cast, persona)
    before = db_state()
    response = send(client, method, path.format(**ids), fill(body, ids))
    assert_error(response, status, code, field)
    assert db_state() == before


@pytest.mark.parametrize(
    ("persona", "method", "path", "allowed"),
    [
        pytest.param("device_a1", "get", CHAT, {"POST"}, id="chat"),
        pytest.param("device_a1", "put", SESSIONS, {"GET", "POST"}, id="sessions"),
        pytest.param("device_a1", "post", SESSION, {"GET", "PATCH", "DELETE"}, id="session"),
        pytest.param("parent_a", "get", MEMORY, {"DELETE"}, id="memory"),
        pytest.param("staff", "get", REVIEW, {"POST"}, id="review"),
    ],
)
def test_method_not_allowed_names_the_methods(cast, ids, persona, method, path, allowed):
    response = send(client_as(cast, persona), method, path.format(**ids))
    assert_error(response, 405, "method_not_allowed")
    offered = {word.strip() for word in response["Allow"].split(",")}
    assert allowed <= offered and method.upper() not in offered, response["Allow"]


MAX_TEXT = "字" * 2000
VALID_HISTORY = "agent=chat&since=2026-11-01T00:00:00Z&until=2026-12-01T00:00:00%2B08:00&flagged=true&q=" + quote(
    "恐龙"
)


@pytest.mark.parametrize(
    ("persona", "method", "path", "body", "status"),
    [
        pytest.param("device_a1", "post", CHAT, say(), 200, id="chat"),
        pytest.param("device_a1", "post", CHAT, say(text=MAX_TEXT), 200, id="chat, 2000 chars"),
        pytest.param("device_a1", "post", CHAT, say(session="{s_a1}", child="{a1}"), 200, id="chat, session and child"),
        pytest.param("device_a1", "post", CHAT, say(session=None), 200, id="chat, session null"),
        pytest.param("parent_a", "post", CHAT, say(child="{a1}"), 200, id="chat, parent mode"),
        pytest.param("parent_a", "post", CHAT, say(child="{a1}", session="{s_a1}"), 200, id="chat, parent, session"),
        pytest.param("device_a1", "post", EDU, say(text="3加5等于几"), 200, id="edu ask"),
        pytest.param("device_a1", "post", EMOTION, say(text="我有点难过"), 200, id="emotion support"),
        pytest.param("device_a1", "post", CHECK, say(text=MAX_TEXT, child="{a1}"), 200, id="safety check"),
        pytest.param("device_a1", "post", SESSIONS, {"title": "t" * 80, "child": "{a1}"}, 201, id="session create"),
        pytest.param("device_a1", "post", SESSIONS, {}, 201, id="session create, empty"),
        pytest.param("parent_a", "post", SESSIONS, {"child": "{a1}"}, 201, id="session create, parent"),
        pytest.param("device_a1", "patch", SESSION, {"title": "t" * 80}, 200, id="session rename"),
        pytest.param("device_a1", "post", SESSION_END, NO_BODY, 200, id="session end"),
        pytest.param("device_a1", "delete", SESSION, NO_BODY, 204, id="session delete"),
        pytest.param("parent_a", "delete", MEMORY, NO_BODY, 204, id="memory delete"),
        pytest.param("staff", "post", REVIEW, {"note": "n" * 500}, 200, id="review, 500 chars"),
        pytest.param("staff", "post", REVIEW, NO_BODY, 200, id="review, no body"),
        pytest.param("device_a1", "get", SESSION_MESSAGES + "?" + VALID_HISTORY, NO_BODY, 200, id="history filters"),
        pytest.param("parent_a", "get", CHILD_MESSAGES + "?" + VALID_HISTORY, NO_BODY, 200, id="child history filters"),
        pytest.param("parent_a", "get", SESSIONS + "?child={a1}", NO_BODY, 200, id="sessions of a child"),
        pytest.param("parent_a", "get", ACTIVITY + "?days=1", NO_BODY, 200, id="insights, 1 day"),
        pytest.param("parent_a", "get", EMOTIONS + "?days=90", NO_BODY, 200, id="insights, 90 days"),
        pytest.param("staff", "get", EVENTS + "?reviewed=false", NO_BODY, 200, id="review queue"),
    ],
)
def test_the_tables_start_from_valid_requests(cast, ids, persona, method, path, body, status):
    """The control rows: the requests the tables break are accepted as they are, so each refusal
    above is caused by the one thing its row changed."""
    response = send(client_as(cast, persona), method, path.format(**ids), fill(body, ids))
    assert response.status_code == status, response.content[:500]
    if path in (CHAT, EDU, EMOTION):
        assert response.json()["refusal"] is None, response.json()  # daytime: really answered


def test_not_acceptable_is_in_the_error_shape(cast, ids):
    before = db_state()
    response = send(client_as(cast, "device_a1"), "post", CHAT, say(), HTTP_ACCEPT="application/xml")
    assert_error(response, 406, "not_acceptable")
    assert db_state() == before
