"""Sessions and history: scoped to the caller, one row per message, ordered, searchable."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from rest_framework.test import APIClient

from conversations.models import ChatSession, Message
from tests.factories import bearer, login, make_child, make_parent, pair_device

MORNING = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _daytime():
    with time_machine.travel(MORNING, tick=True):
        yield


@pytest.fixture
def family(db):
    parent = make_parent("hist.parent@example.com")
    child = make_child(parent, name="Hana", age=10)
    _device, tokens = pair_device(parent, child)
    other = make_parent("hist.other@example.com")
    other_child = make_child(other, name="Otto")
    _d2, other_tokens = pair_device(other, other_child, ip="10.9.9.2")
    return parent, child, bearer(APIClient(), tokens["access"]), bearer(APIClient(), other_tokens["access"])


def _chat(client, text, session=None):
    body = {"text": text} if session is None else {"text": text, "session": session}
    response = client.post("/api/v1/chat/", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.django_db
def test_history_pages_newest_first_with_filters_and_search(family):
    parent, child, device, _other = family
    session = _chat(device, "我喜欢恐龙")["session"]["id"]
    _chat(device, "12加30等于几", session)
    _chat(device, "讲个故事吧", session)
    messages = device.get(f"/api/v1/sessions/{session}/messages/?page_size=2").json()
    assert len(messages["results"]) == 2 and messages["next"]
    everything = messages["results"] + device.get(messages["next"]).json()["results"]
    everything += device.get(device.get(messages["next"]).json()["next"]).json()["results"]
    assert len(everything) == 6
    assert [m["id"] for m in everything] == sorted((m["id"] for m in everything), reverse=True)
    found = login(parent.email).get(f"/api/v1/children/{child.pk}/messages/?q=恐龙").json()["results"]
    assert found and all("恐龙" in m["text"] for m in found)
    edu = device.get(f"/api/v1/children/{child.pk}/messages/?agent=edu").json()["results"]
    assert edu and all(m["agent"] == "edu" for m in edu)
    assert any("42" in m["text"] for m in edu)


@pytest.mark.django_db
def test_sessions_are_scoped_and_foreign_ids_are_404(family):
    parent, child, device, other = family
    session = _chat(device, "hello")["session"]["id"]
    assert other.get(f"/api/v1/sessions/{session}/").status_code == 404
    assert other.get(f"/api/v1/sessions/{session}/messages/").status_code == 404
    assert other.post("/api/v1/chat/", {"text": "hi", "session": session}, format="json").status_code == 404
    assert other.get(f"/api/v1/children/{child.pk}/messages/").status_code == 404
    assert login("hist.other@example.com").get(f"/api/v1/children/{child.pk}/messages/").status_code == 404
    assert [s["id"] for s in device.get("/api/v1/sessions/").json()["results"]] == [session]


@pytest.mark.django_db
def test_rename_end_and_soft_delete(family):
    parent, child, device, _other = family
    session = _chat(device, "hello")["session"]["id"]
    assert (
        device.patch(f"/api/v1/sessions/{session}/", {"title": "My chat"}, format="json").json()["title"] == "My chat"
    )
    assert device.post(f"/api/v1/sessions/{session}/end/").json()["is_active"] is False
    ended = device.post("/api/v1/chat/", {"text": "again", "session": session}, format="json")
    assert ended.status_code == 409 and ended.json()["error"]["code"] == "session_ended"
    assert device.delete(f"/api/v1/sessions/{session}/").status_code == 204
    assert device.get(f"/api/v1/sessions/{session}/").status_code == 404
    # The parent still sees what happened, marked deleted.
    parent_view = login(parent.email).get(f"/api/v1/sessions/{session}/").json()
    assert parent_view["deleted_at"] is not None
    assert ChatSession.objects.filter(pk=session).exists()


@pytest.mark.django_db
def test_parent_mode_chat_needs_a_child_of_theirs(family):
    parent, child, _device, _other = family
    client = login(parent.email)
    missing = client.post("/api/v1/chat/", {"text": "hi"}, format="json")
    assert missing.status_code == 400 and "child" in missing.json()["error"]["fields"]
    assert client.post("/api/v1/chat/", {"text": "hi", "child": child.pk}, format="json").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_messages_in_one_session_keep_order_and_lose_nothing(family):
    parent, child, device, _other = family
    session = _chat(device, "start")["session"]["id"]
    access = device._credentials["HTTP_AUTHORIZATION"]
    results: list = []

    def send(text):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=access)
        results.append(client.post("/api/v1/chat/", {"text": text, "session": session}, format="json").status_code)
        connection.close()

    threads = [threading.Thread(target=send, args=(f"message {n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == [200, 200]
    rows = list(Message.objects.filter(session_id=session).order_by("created_at", "id").values_list("role", "reply_to"))
    assert len(rows) == 6
    child_ids = list(
        Message.objects.filter(session_id=session, role="child").order_by("id").values_list("id", flat=True)
    )
    replies = dict(Message.objects.filter(session_id=session, role="assistant").values_list("reply_to", "id"))
    assert set(replies) == set(child_ids)  # every child message got exactly its reply
    assert ChatSession.objects.get(pk=session).message_count == 6
