"""Who may do what in the conversations API: every endpoint x every persona, with the exact answer.

Read one row of MATRIX as: this request, sent by each persona in turn, must get this answer.
Every cell is its own test in a fresh database built by ``build_cast()`` (see tests/factories.py):

- parent_a owns child_a1 (paired device_a1) and child_a2; co_guardian guards child_a1 only;
- parent_b owns child_b1 (paired device_b1);
- staff is a Django superuser with no children; device_a1 / device_b1 hold child-scoped JWTs.

On top of the cast, ``chat_world`` (tests/chat_world.py) has the children talk (through the real pipeline), so every
id a row names exists: chats, their messages, a memory and a safety event per child, and a chat
child_a1 tidied away (soft-deleted) that only its parents still see.

Chatting is refused outside the child's allowed hours (200 with "refusal": "quiet_hours"), so the
whole test, the cast's tokens included, runs on a Wednesday at 10:00 in Shanghai, and every
successful chat cell checks it was really answered.

A bare number is a success status. A 4xx is written as (status, error code[, field named in
error.fields]), and the body must then have the project's one error shape
{"error": {"code": str, "message": str, "fields": dict}}. A foreign child, chat, memory or event
is always 404 "not_found", never 403: an id must not leak existence.
"""

# The matrix is a table; its rows are wider than the line limit on purpose.
# ruff: noqa: E501

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conversations.models import ChatSession, MemoryFact, Message, SafetyEvent
from tests.chat_world import chat_world
from tests.factories import Cast

PERSONAS = ("anonymous", "parent_a", "parent_b", "co_guardian", "device_a1", "device_b1", "staff")
# A Wednesday, 10:00 in Shanghai: inside every child's default weekday window (07:00-20:30).
MORNING = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

# --- answers ---------------------------------------------------------------------------------------
OK, CREATED, DELETED = 200, 201, 204
ANON = (401, "not_authenticated")
PARENT = (403, "parent_required")
DENIED = (403, "permission_denied")
NF = (404, "not_found")
WHICH_CHILD = (400, "invalid", "child")  # a parent must name the child the request is for
ENDED = (409, "session_ended")

# --- request bodies (valid, so that the permission is what decides) --------------------------------
HI = {"text": "你好"}
HI_A1 = {"text": "你好", "child": "{a1}"}
HI_A2 = {"text": "你好", "child": "{a2}"}
HI_B1 = {"text": "你好", "child": "{b1}"}
HI_IN_S_A1 = {"text": "你好", "session": "{s_a1}"}
HI_IN_S_A1_A1 = {"text": "你好", "session": "{s_a1}", "child": "{a1}"}
HI_IN_S_B1 = {"text": "你好", "session": "{s_b1}"}
HI_IN_S_B1_A1 = {"text": "你好", "session": "{s_b1}", "child": "{a1}"}
HI_IN_GONE_A1 = {"text": "你好", "session": "{s_gone}", "child": "{a1}"}
SUM = {"text": "3加5等于几"}
SUM_A1 = {"text": "3加5等于几", "child": "{a1}"}
SUM_B1 = {"text": "3加5等于几", "child": "{b1}"}
SAD = {"text": "我今天有点难过"}
SAD_A1 = {"text": "我今天有点难过", "child": "{a1}"}
SAD_B1 = {"text": "我今天有点难过", "child": "{b1}"}
TITLE = {"title": "Dinosaurs"}
TITLE_A1 = {"title": "Dinosaurs", "child": "{a1}"}
TITLE_B1 = {"title": "Dinosaurs", "child": "{b1}"}
RENAME = {"title": "Renamed"}
NOTE = {"note": "called the family"}

# Path and body placeholders (filled by `chat_world`): {a1} {a2} {b1} children;
# {s_a1} child_a1's open chat (started on device_a1), {s_gone} a chat of child_a1 the child deleted,
# {s_a2} a chat of child_a2 (parent mode), {s_b1} child_b1's chat (device_b1);
# {mem_a1} {mem_b1} a memory of each child; {ev_a1} {ev_b1} an unreviewed safety event of each child.

# fmt: off
MATRIX: list[tuple] = [
    # method    path                                           body            anonymous  parent_a     parent_b     co_guardian  device_a1  device_b1  staff
    # ---- talking: a device for its own child, parents naming one of theirs --------------------------------------------------------------------------------
    ("POST",   "chat/",                                        HI,             ANON,      WHICH_CHILD, WHICH_CHILD, WHICH_CHILD, OK,        OK,        WHICH_CHILD),
    ("POST",   "chat/",                                        HI_A1,          ANON,      OK,          NF,          OK,          OK,        NF,        NF),
    ("POST",   "chat/",                                        HI_A2,          ANON,      OK,          NF,          NF,          NF,        NF,        NF),
    ("POST",   "chat/",                                        HI_B1,          ANON,      NF,          OK,          NF,          NF,        OK,        NF),
    ("POST",   "chat/",                                        HI_IN_S_A1,     ANON,      WHICH_CHILD, WHICH_CHILD, WHICH_CHILD, OK,        NF,        WHICH_CHILD),
    ("POST",   "chat/",                                        HI_IN_S_A1_A1,  ANON,      OK,          NF,          OK,          OK,        NF,        NF),
    ("POST",   "chat/",                                        HI_IN_S_B1,     ANON,      WHICH_CHILD, WHICH_CHILD, WHICH_CHILD, NF,        OK,        WHICH_CHILD),
    ("POST",   "chat/",                                        HI_IN_S_B1_A1,  ANON,      NF,          NF,          NF,          NF,        NF,        NF),
    ("POST",   "chat/",                                        HI_IN_GONE_A1,  ANON,      NF,          NF,          NF,          NF,        NF,        NF),
    ("POST",   "edu/ask/",                                     SUM,            ANON,      WHICH_CHILD, WHICH_CHILD, WHICH_CHILD, OK,        OK,        WHICH_CHILD),
    ("POST",   "edu/ask/",                                     SUM_A1,         ANON,      OK,          NF,          OK,          OK,        NF,        NF),
    ("POST",   "edu/ask/",                                     SUM_B1,         ANON,      NF,          OK,          NF,          NF,        OK,        NF),
    ("POST",   "emotion/support/",                             SAD,            ANON,      WHICH_CHILD, WHICH_CHILD, WHICH_CHILD, OK,        OK,        WHICH_CHILD),
    ("POST",   "emotion/support/",                             SAD_A1,         ANON,      OK,          NF,          OK,          OK,        NF,        NF),
    ("POST",   "emotion/support/",                             SAD_B1,         ANON,      NF,          OK,          NF,          NF,        OK,        NF),
    # Without a child the check uses the default sensitivity (a grown-up trying a sentence out).
    ("POST",   "safety/check/",                                HI,             ANON,      OK,          OK,          OK,          OK,        OK,        OK),
    ("POST",   "safety/check/",                                HI_A1,          ANON,      OK,          NF,          OK,          OK,        NF,        NF),
    ("POST",   "safety/check/",                                HI_B1,          ANON,      NF,          OK,          NF,          NF,        OK,        NF),
    # ---- chats (sessions) ---------------------------------------------------------------------------------------------------------------------------------
    ("GET",    "sessions/",                                    None,           ANON,      OK,          OK,          OK,          OK,        OK,        OK),
    ("GET",    "sessions/?child={a1}",                         None,           ANON,      OK,          NF,          OK,          OK,        NF,        NF),
    ("GET",    "sessions/?child={a2}",                         None,           ANON,      OK,          NF,          NF,          NF,        NF,        NF),
    ("GET",    "sessions/?child={b1}",                         None,           ANON,      NF,          OK,          NF,          NF,        OK,        NF),
    ("POST",   "sessions/",                                    TITLE,          ANON,      WHICH_CHILD, WHICH_CHILD, WHICH_CHILD, CREATED,   CREATED,   WHICH_CHILD),
    ("POST",   "sessions/",                                    TITLE_A1,       ANON,      CREATED,     NF,          CREATED,     CREATED,   NF,        NF),
    ("POST",   "sessions/",                                    TITLE_B1,       ANON,      NF,          CREATED,     NF,          NF,        CREATED,   NF),
    ("GET",    "sessions/{s_a1}/",                             None,           ANON,      OK,          NF,          OK,          OK,        NF,        NF),
    ("PATCH",  "sessions/{s_a1}/",                             RENAME,         ANON,      OK,          NF,          OK,          OK,        NF,        NF),
    ("DELETE", "sessions/{s_a1}/",                             None,           ANON,      DELETED,     NF,          DELETED,     DELETED,   NF,        NF),
    ("POST",   "sessions/{s_a1}/end/",                         None,           ANON,      OK,          NF,          OK,          OK,        NF,        NF),
    ("GET",    "sessions/{s_a1}/messages/",                    None,           ANON,      OK,          NF,          OK,          OK,        NF,        NF),
    # the chat child_a1 deleted: gone for the child, still there (marked deleted) for its parents
    ("GET",    "sessions/{s_gone}/",                           None,           ANON,      OK,          NF,          OK,          NF,        NF,        NF),
    ("PATCH",  "sessions/{s_gone}/",                           RENAME,         ANON,      OK,          NF,          OK,          NF,        NF,        NF),
    ("DELETE", "sessions/{s_gone}/",                           None,           ANON,      DELETED,     NF,          DELETED,     NF,        NF,        NF),
    ("POST",   "sessions/{s_gone}/end/",                       None,           ANON,      ENDED,       NF,          ENDED,       NF,        NF,        NF),
    ("GET",    "sessions/{s_gone}/messages/",                  None,           ANON,      OK,          NF,          OK,          NF,        NF,        NF),
    # child_a2's chat: parent_a only (the co-guardian of its sibling sees nothing)
    ("GET",    "sessions/{s_a2}/",                             None,           ANON,      OK,          NF,          NF,          NF,        NF,        NF),
    ("GET",    "sessions/{s_a2}/messages/",                    None,           ANON,      OK,          NF,          NF,          NF,        NF,        NF),
    # child_b1's chat
    ("GET",    "sessions/{s_b1}/",                             None,           ANON,      NF,          OK,          NF,          NF,        OK,        NF),
    ("PATCH",  "sessions/{s_b1}/",                             RENAME,         ANON,      NF,          OK,          NF,          NF,        OK,        NF),
    ("DELETE", "sessions/{s_b1}/",                             None,           ANON,      NF,          DELETED,     NF,          NF,        DELETED,   NF),
    ("POST",   "sessions/{s_b1}/end/",                         None,           ANON,      NF,          OK,          NF,          NF,        OK,        NF),
    ("GET",    "sessions/{s_b1}/messages/",                    None,           ANON,      NF,          OK,          NF,          NF,        OK,        NF),
    # ---- a child's messages across chats ------------------------------------------------------------------------------------------------------------------
    ("GET",    "children/{a1}/messages/",                      None,           ANON,      OK,          NF,          OK,          OK,        NF,        NF),
    ("GET",    "children/{a2}/messages/",                      None,           ANON,      OK,          NF,          NF,          NF,        NF,        NF),
    ("GET",    "children/{b1}/messages/",                      None,           ANON,      NF,          OK,          NF,          NF,        OK,        NF),
    # ---- memories, insights, safety events: parents only ----------------------------------------------------------------------------------------------------
    ("GET",    "children/{a1}/memories/",                      None,           ANON,      OK,          NF,          OK,          PARENT,    PARENT,    NF),
    ("GET",    "children/{a2}/memories/",                      None,           ANON,      OK,          NF,          NF,          PARENT,    PARENT,    NF),
    ("GET",    "children/{b1}/memories/",                      None,           ANON,      NF,          OK,          NF,          PARENT,    PARENT,    NF),
    ("DELETE", "children/{a1}/memories/{mem_a1}/",             None,           ANON,      DELETED,     NF,          DELETED,     PARENT,    PARENT,    NF),
    ("DELETE", "children/{b1}/memories/{mem_b1}/",             None,           ANON,      NF,          DELETED,     NF,          PARENT,    PARENT,    NF),
    ("DELETE", "children/{a1}/memories/{mem_b1}/",             None,           ANON,      NF,          NF,          NF,          PARENT,    PARENT,    NF),
    ("DELETE", "children/{b1}/memories/{mem_a1}/",             None,           ANON,      NF,          NF,          NF,          PARENT,    PARENT,    NF),
    ("GET",    "children/{a1}/insights/activity/",             None,           ANON,      OK,          NF,          OK,          PARENT,    PARENT,    NF),
    ("GET",    "children/{a1}/insights/learning/",             None,           ANON,      OK,          NF,          OK,          PARENT,    PARENT,    NF),
    ("GET",    "children/{a1}/insights/emotions/",             None,           ANON,      OK,          NF,          OK,          PARENT,    PARENT,    NF),
    ("GET",    "children/{a2}/insights/activity/",             None,           ANON,      OK,          NF,          NF,          PARENT,    PARENT,    NF),
    ("GET",    "children/{b1}/insights/activity/",             None,           ANON,      NF,          OK,          NF,          PARENT,    PARENT,    NF),
    ("GET",    "children/{b1}/insights/learning/",             None,           ANON,      NF,          OK,          NF,          PARENT,    PARENT,    NF),
    ("GET",    "children/{b1}/insights/emotions/",             None,           ANON,      NF,          OK,          NF,          PARENT,    PARENT,    NF),
    ("GET",    "children/{a1}/safety-events/",                 None,           ANON,      OK,          NF,          OK,          PARENT,    PARENT,    NF),
    ("GET",    "children/{a2}/safety-events/",                 None,           ANON,      OK,          NF,          NF,          PARENT,    PARENT,    NF),
    ("GET",    "children/{b1}/safety-events/",                 None,           ANON,      NF,          OK,          NF,          PARENT,    PARENT,    NF),
    # ---- staff: the review queue ------------------------------------------------------------------------------------------------------------------------------
    ("GET",    "safety-events/",                               None,           ANON,      DENIED,      DENIED,      DENIED,      DENIED,    DENIED,    OK),
    ("GET",    "safety-events/?reviewed=false",                None,           ANON,      DENIED,      DENIED,      DENIED,      DENIED,    DENIED,    OK),
    ("POST",   "safety-events/{ev_a1}/review/",                NOTE,           ANON,      DENIED,      DENIED,      DENIED,      DENIED,    DENIED,    OK),
    ("POST",   "safety-events/{ev_b1}/review/",                NOTE,           ANON,      DENIED,      DENIED,      DENIED,      DENIED,    DENIED,    OK),
]
# fmt: on

# How a route's <id:...> converters are spelled in the MATRIX path templates.
URL_PLACEHOLDERS = {
    "child_id": "{a1}",
    "session_id": "{s_a1}",
    "memory_id": "{mem_a1}",
    "event_id": "{ev_a1}",
}


# --- the world of one cell -------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _daytime():
    """The cast (tokens included), the world and the request all happen at a time chatting is allowed."""
    with time_machine.travel(MORNING, tick=False):
        yield


def _fill(template: Any, ids: dict[str, Any]) -> Any:
    """Placeholders in a body: a whole ``"{name}"`` becomes the (integer) id, as a client sends it."""
    if isinstance(template, dict):
        return {key: _fill(value, ids) for key, value in template.items()}
    if isinstance(template, str) and template.startswith("{") and template.endswith("}"):
        return ids[template[1:-1]]
    return template


# --- what a successful answer must also say --------------------------------------------------------
OWN_CHILD = {"device_a1": "a1", "device_b1": "b1"}
VISIBLE_SESSIONS = {  # GET sessions/: the chats each persona sees
    "parent_a": {"s_a1", "s_gone", "s_a2"},
    "parent_b": {"s_b1"},
    "co_guardian": {"s_a1", "s_gone"},
    "device_a1": {"s_a1"},
    "device_b1": {"s_b1"},
    "staff": set(),
}


def _for_child(persona: str, ids: dict[str, Any], body: dict | None) -> int:
    """The child a request is about: the one it names, else the device's own."""
    if body and "child" in body:
        return body["child"]
    return ids[OWN_CHILD[persona]]


def _check_chat(persona, ids, body, path, data) -> None:
    assert data["refusal"] is None, data  # answered: not quiet hours, not a limit, not a switched-off feature
    assert data["reply"]["text"]
    message = Message.objects.get(pk=data["message"]["id"])
    assert message.child_id == _for_child(persona, ids, body)
    assert message.session_id == data["session"]["id"]
    if "session" in body:
        assert data["session"]["id"] == body["session"]
    device = ChatSession.objects.get(pk=message.session_id).device_id
    if "session" not in body:  # a new chat remembers the device it was started on
        assert device == (ids["dev_" + OWN_CHILD[persona]] if persona in OWN_CHILD else None)
    if path == "edu/ask/":
        assert data["reply"]["agent"] == "edu"
    if path == "emotion/support/":
        assert data["reply"]["agent"] == "emotion"


def _check_safety_check(persona, ids, body, path, data) -> None:
    assert data["action"] == "allow", data
    assert data["masked_text"] == body["text"]


def _session_names(ids: dict[str, Any], results: list[dict]) -> set[str]:
    by_id = {ids[name]: name for name in ("s_a1", "s_gone", "s_a2", "s_b1")}
    return {by_id.get(session["id"], f"unexpected {session['id']}") for session in results}


def _check_session_list(persona, ids, body, path, data) -> None:
    expected = VISIBLE_SESSIONS[persona]
    if "?child=" in path:
        child = path.split("=")[1]
        expected = {name for name in expected if ChatSession.objects.get(pk=ids[name]).child_id == int(child)}
        assert expected
    assert _session_names(ids, data["results"]) == expected
    gone = [session for session in data["results"] if session["id"] == ids["s_gone"]]
    assert all(session["deleted_at"] for session in gone)


def _check_session_created(persona, ids, body, path, data) -> None:
    assert data["child"] == _for_child(persona, ids, body)
    assert data["title"] == body["title"]
    assert ChatSession.objects.filter(pk=data["id"], child_id=data["child"]).exists()


def _check_session(persona, ids, body, path, data) -> None:
    assert data["id"] == int(path.split("/")[1])


def _check_renamed(persona, ids, body, path, data) -> None:
    assert data["title"] == "Renamed"
    assert ChatSession.objects.get(pk=data["id"]).title == "Renamed"


def _check_ended(persona, ids, body, path, data) -> None:
    assert data["ended_at"] and data["is_active"] is False


def _check_session_messages(persona, ids, body, path, data) -> None:
    session = int(path.split("/")[1])
    expected = set(Message.objects.filter(session_id=session).values_list("pk", flat=True))
    assert len(expected) >= 2
    assert {message["id"] for message in data["results"]} == expected


def _check_child_messages(persona, ids, body, path, data) -> None:
    child = int(path.split("/")[1])
    messages = Message.objects.filter(child_id=child)
    if persona in OWN_CHILD:  # a child does not see the chats it deleted
        messages = messages.filter(session__deleted_at__isnull=True)
    expected = set(messages.values_list("pk", flat=True))
    assert expected
    assert {message["id"] for message in data["results"]} == expected
    if child == ids["a1"]:
        gone = set(Message.objects.filter(session_id=ids["s_gone"]).values_list("pk", flat=True))
        assert (gone <= expected) is (persona not in OWN_CHILD)


def _check_memories(persona, ids, body, path, data) -> None:
    child = int(path.split("/")[1])
    expected = {ids["a1"]: [ids["mem_a1"]], ids["a2"]: [], ids["b1"]: [ids["mem_b1"]]}[child]
    assert [memory["id"] for memory in data["results"]] == expected


def _check_insights(persona, ids, body, path, data) -> None:
    assert data["child"] == int(path.split("/")[1])
    assert data["days"] == 30
    assert isinstance(data["report"], dict)


def _check_child_events(persona, ids, body, path, data) -> None:
    child = int(path.split("/")[1])
    events = {event["id"] for event in data["results"]}
    assert events == set(SafetyEvent.objects.filter(child_id=child).values_list("pk", flat=True))
    assert all(event["child"] == child for event in data["results"])
    if child in (ids["a1"], ids["b1"]):
        assert ids["ev_a1" if child == ids["a1"] else "ev_b1"] in events


def _check_staff_events(persona, ids, body, path, data) -> None:
    events = {event["id"] for event in data["results"]}
    assert events == set(SafetyEvent.objects.values_list("pk", flat=True))
    assert {ids["ev_a1"], ids["ev_b1"]} <= events


def _check_reviewed(persona, ids, body, path, data) -> None:
    assert data["id"] == int(path.split("/")[1])
    assert data["reviewed_at"] and data["review_note"] == NOTE["note"]
    assert SafetyEvent.objects.get(pk=data["id"]).reviewed_by_id is not None


CHECKS: dict[tuple[str, str], Callable[[str, dict[str, Any], Any, str, Any], None]] = {
    ("POST", "chat/"): _check_chat,
    ("POST", "edu/ask/"): _check_chat,
    ("POST", "emotion/support/"): _check_chat,
    ("POST", "safety/check/"): _check_safety_check,
    ("GET", "sessions/"): _check_session_list,
    ("POST", "sessions/"): _check_session_created,
    ("GET", "sessions/{id}/"): _check_session,
    ("PATCH", "sessions/{id}/"): _check_renamed,
    ("POST", "sessions/{id}/end/"): _check_ended,
    ("GET", "sessions/{id}/messages/"): _check_session_messages,
    ("GET", "children/{id}/messages/"): _check_child_messages,
    ("GET", "children/{id}/memories/"): _check_memories,
    ("GET", "children/{id}/insights/activity/"): _check_insights,
    ("GET", "children/{id}/insights/learning/"): _check_insights,
    ("GET", "children/{id}/insights/emotions/"): _check_insights,
    ("GET", "children/{id}/safety-events/"): _check_child_events,
    ("GET", "safety-events/"): _check_staff_events,
    ("POST", "safety-events/{id}/review/"): _check_reviewed,
}


def _route_of(path: str) -> str:
    """``sessions/12/end/?x=1`` -> ``sessions/{id}/end/``: the key of CHECKS."""
    parts = path.split("?")[0].split("/")
    return "/".join("{id}" if part.isdigit() else part for part in parts)


def _check_deleted(method: str, route: str, ids: dict[str, Any], path: str) -> None:
    """What a 204 must have done."""
    if route == "sessions/{id}/":
        assert ChatSession.objects.get(pk=int(path.split("/")[1])).deleted_at is not None
    elif route == "children/{id}/memories/{id}/":
        assert not MemoryFact.objects.filter(pk=int(path.split("/")[3])).exists()
    else:  # pragma: no cover - a new DELETE row needs its check here
        raise AssertionError(f"no check for DELETE {route}")


# --- the test --------------------------------------------------------------------------------------
def _cells():
    for method, path, body, *answers in MATRIX:
        assert len(answers) == len(PERSONAS), f"{method} {path}: one answer per persona"
        for persona, expected in zip(PERSONAS, answers, strict=True):
            label = f"{method} {path} {_body_label(body)}as {persona}"
            yield pytest.param(method, path, body, persona, expected, id=label)


def _body_label(body: dict | None) -> str:
    if not body:
        return ""
    named = [f"{key}={value}" for key, value in body.items() if key in ("child", "session")]
    return f"[{' '.join(named)}] " if named else ""


def test_matrix_lists_every_route():
    """Every route of conversations/api/urls.py (and every method its view serves) has a row."""
    import happy_partner.urls  # noqa: F401  (registers the <id:...> converter, even when this test runs alone)
    from conversations.api.urls import urlpatterns

    covered = {(method, path.split("?")[0]) for method, path, *_rest in MATRIX}
    covered_paths = {path for _method, path in covered}
    for pattern in urlpatterns:
        template = str(pattern.pattern)
        for name, placeholder in URL_PLACEHOLDERS.items():
            template = template.replace(f"<id:{name}>", placeholder)
        assert "<" not in template, f"no placeholder for a converter in {template}"
        assert template in covered_paths, f"no row for {template}"
        view = pattern.callback.view_class
        for method in ("get", "post", "put", "patch", "delete"):
            if hasattr(view, method):
                assert (method.upper(), template) in covered, f"no row for {method.upper()} {template}"
    fake_ids = dict.fromkeys(_ID_NAMES, 1)
    for method, path, _body, *answers in MATRIX:  # every success has its check
        route = _route_of(path.format(**fake_ids))
        if any(not isinstance(answer, tuple) for answer in answers) and method != "DELETE":
            assert (method, route) in CHECKS, f"no success check for {method} {route}"


_ID_NAMES = ("a1", "a2", "b1", "s_a1", "s_gone", "s_a2", "s_b1", "mem_a1", "mem_b1", "ev_a1", "ev_b1")


@pytest.mark.parametrize(("method", "path", "body", "persona", "expected"), list(_cells()))
def test_permission_matrix(cast: Cast, method, path, body, persona, expected):
    ids = chat_world(cast)
    client = cast.client_for(persona)
    client.raise_request_exception = False  # an unhandled error must show as the 500 a client gets
    filled_path = path.format(**ids)
    url = "/api/v1/" + filled_path
    sent = _fill(body, ids)
    kwargs = {"format": "json"} if body is not None else {}
    response = getattr(client, method.lower())(url, sent, **kwargs)

    status, code, *field = expected if isinstance(expected, tuple) else (expected, None)
    assert response.status_code == status, (
        f"{method} {url} {sent} as {persona}: {response.status_code} {response.content[:300].decode(errors='replace')}"
    )
    if status >= 400:
        assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
        body_json = response.json()
        assert set(body_json) == {"error"}, body_json
        error = body_json["error"]
        assert set(error) == {"code", "message", "fields"}, error
        assert isinstance(error["code"], str)
        assert isinstance(error["message"], str) and error["message"]
        assert isinstance(error["fields"], dict)
        assert error["code"] == code, f"{method} {url} as {persona}: code {error['code']!r}, expected {code!r}"
        if field:
            assert field[0] in error["fields"], error
        if status == 401:
            assert response["WWW-Authenticate"].startswith("Bearer")
        return
    route = _route_of(filled_path)
    if status == DELETED:
        assert not response.content
        _check_deleted(method, route, ids, filled_path)
        return
    CHECKS[(method, route)](persona, ids, sent, filled_path, response.json())
