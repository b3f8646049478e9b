"""The chat socket through the real ASGI application: a child device's ticket, the same pipeline as
REST (stored, checked, alerts), events in order, a client_id never answered twice, bad frames and
floods answered with error events, a revoked device stopped."""

from __future__ import annotations

import pytest
import time_machine
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Device
from conversations.consumers import FLOOD_MESSAGES
from conversations.models import Message, MessageRole, SafetyEvent
from conversations.providers.openai import OpenAIProvider
from happy_partner.asgi import application
from tests.factories import bearer, login, make_child, make_parent, pair_device

pytestmark = pytest.mark.django_db(transaction=True)
PATH = "/ws/v1/chat/"


@pytest.fixture(autouse=True)
def _daytime():
    with time_machine.travel(timezone.now().replace(hour=2, minute=0), tick=True):  # 10:00 in Shanghai
        yield


def _device(email: str) -> tuple[APIClient, APIClient, int]:
    parent = make_parent(email)
    child = make_child(parent, name="Sam", age=9, scopes=["chat"])
    device, tokens = pair_device(parent, child)
    return bearer(APIClient(), tokens["access"]), login(parent.email), device.pk


def _ticket(client: APIClient) -> str:
    response = client.post("/api/v1/realtime/ticket/")
    assert response.status_code == 201, response.content
    return response.json()["ticket"]


async def _socket(client: APIClient) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, f"{PATH}?ticket={await sync_to_async(_ticket)(client)}")
    connected, _ = await communicator.connect(timeout=5)
    assert connected  # no Origin header: devices send none
    return communicator


async def _until_done(socket: WebsocketCommunicator) -> list[dict]:
    events = []
    while True:
        event = await socket.receive_json_from(timeout=10)
        events.append(event)
        if event["type"] in ("done", "error"):
            return events


async def test_a_message_is_answered_in_ordered_events_and_stored():
    device, _parent, _device_id = await sync_to_async(_device)("chat.socket@example.com")
    socket = await _socket(device)
    try:
        await socket.send_json_to({"type": "message", "text": "为什么天空是蓝色的？", "client_id": "c-1"})
        events = await _until_done(socket)
        kinds = [e["type"] for e in events]
        assert kinds[:2] == ["accepted", "agent"] and kinds[-1] == "done" and "delta" in kinds
        assert all(e["client_id"] == "c-1" for e in events)
        accepted, done = events[0], events[-1]
        reply = await Message.objects.aget(pk=done["reply"])
        assert reply.role == MessageRole.ASSISTANT and reply.reply_to_id == accepted["message"]
        assert "".join(e["text"] for e in events if e["type"] == "delta").replace(" ", "") == reply.text.replace(
            " ", ""
        ).replace("\n", "")
        assert done["safety"] == {"action": "allow", "severity": "none", "categories": []}
        # The same chat continues with its session id.
        await socket.send_json_to(
            {"type": "message", "text": "那晚上呢？", "client_id": "c-2", "session": accepted["session"]}
        )
        second = await _until_done(socket)
        assert second[0]["session"] == accepted["session"]
    finally:
        await socket.disconnect()


async def test_a_client_id_is_never_answered_twice():
    device, _parent, _device_id = await sync_to_async(_device)("chat.dupe@example.com")
    socket = await _socket(device)
    try:
        message = {"type": "message", "text": "3加5等于几？", "client_id": "same"}
        await socket.send_json_to(message)
        first = await _until_done(socket)
        await socket.send_json_to(message)  # a resend after a lost answer
        again = await _until_done(socket)
        assert again[-1]["replayed"] is True
        assert (again[0]["message"], again[-1]["reply"]) == (first[0]["message"], first[-1]["reply"])
        assert await Message.objects.acount() == 2  # one question, one answer
    finally:
        await socket.disconnect()


async def test_an_escalation_over_the_socket_is_stored_and_alerted_like_rest():
    device, _parent, _device_id = await sync_to_async(_device)("chat.escalate@example.com")
    socket = await _socket(device)
    try:
        await socket.send_json_to({"type": "message", "text": "我不想活了", "client_id": "sos"})
        events = await _until_done(socket)
        assert events[1] == {"type": "agent", "client_id": "sos", "agent": "safety", "subject": ""}
        assert events[-1]["safety"]["action"] == "escalate"
        event = await SafetyEvent.objects.aget(message_id=events[0]["message"])
        assert event.action == "escalate"
    finally:
        await socket.disconnect()


async def test_bad_frames_and_floods_get_error_events_and_the_socket_stays_open():
    device, _parent, _device_id = await sync_to_async(_device)("chat.bad@example.com")
    socket = await _socket(device)
    try:
        await socket.send_to(text_data="{not json")
        assert (await socket.receive_json_from(timeout=5))["error"]["code"] == "malformed_request"
        await socket.send_to(bytes_data=b"\x00\x01")
        assert (await socket.receive_json_from(timeout=5))["error"]["code"] == "malformed_request"
        await socket.send_json_to({"type": "message", "text": "   ", "client_id": "blank"})
        invalid = await socket.receive_json_from(timeout=5)
        assert invalid["error"]["code"] == "invalid" and "text" in invalid["error"]["fields"]
        await socket.send_json_to({"type": "message", "text": "hi"})
        assert "client_id" in (await socket.receive_json_from(timeout=5))["error"]["fields"]
        await socket.send_json_to({"type": "message", "text": "hi", "client_id": "x", "session": 999999})
        assert (await socket.receive_json_from(timeout=5))["error"]["code"] == "not_found"
        for i in range(FLOOD_MESSAGES):
            await socket.send_json_to({"type": "message", "text": f"{i}加1等于几？", "client_id": f"f{i}"})
            await _until_done(socket)
        await socket.send_json_to({"type": "message", "text": "还有吗", "client_id": "one-too-many"})
        assert (await socket.receive_json_from(timeout=5))["error"]["code"] == "throttled"
        await socket.send_json_to({"type": "ping"})
        assert await socket.receive_json_from(timeout=5) == {"type": "pong"}
    finally:
        await socket.disconnect()


@pytest.mark.parametrize(
    "frame",
    [{"type": "message", "text": "你好", "client_id": "late"}, {"type": "resume", "session": 1, "after": 0}],
)
async def test_a_revoked_device_is_stopped_at_its_next_frame(frame):
    device, _parent, device_id = await sync_to_async(_device)("chat.revoked@example.com")
    socket = await _socket(device)
    await Device.objects.filter(pk=device_id).aupdate(revoked_at=timezone.now())
    await socket.send_json_to(frame)
    assert (await socket.receive_json_from(timeout=5))["error"]["code"] == "device_revoked"
    assert (await socket.receive_output(timeout=5))["code"] == 4403
    assert not await Message.objects.aexists()


async def test_only_a_child_devices_ticket_opens_the_chat_socket():
    _device_client, parent, _device_id = await sync_to_async(_device)("chat.parent@example.com")
    socket = WebsocketCommunicator(application, f"{PATH}?ticket={await sync_to_async(_ticket)(parent)}")
    assert (await socket.connect(timeout=5))[0]
    assert (await socket.receive_output(timeout=5))["code"] == 4403
    nobody = WebsocketCommunicator(application, PATH, headers=[(b"origin", b"http://127.0.0.1")])
    assert (await nobody.connect(timeout=5))[0]
    assert (await nobody.receive_output(timeout=5))["code"] == 4401
    for refused in (socket, nobody):  # the server still delivers the disconnect: handled, not a crash
        await refused.send_input({"type": "websocket.disconnect", "code": 4401})
        await refused.wait(timeout=5)  # re-raises what the consumer raised


async def test_a_refusal_by_the_gate_comes_as_refused():
    device, _parent, _device_id = await sync_to_async(_device)("chat.night@example.com")
    socket = await _socket(device)
    try:
        with time_machine.travel(timezone.now().replace(hour=15, minute=30), tick=True):  # 23:30 in Shanghai
            await socket.send_json_to({"type": "message", "text": "讲个故事吧", "client_id": "late-night"})
            events = await _until_done(socket)
        assert [e["type"] for e in events] == ["accepted", "refused", "done"]
        assert events[1]["code"] == events[-1]["refusal"] and events[1]["text"]
        stored = await Message.objects.aget(pk=events[0]["message"])
        assert stored.refusal_code == events[1]["code"]
    finally:
        await socket.disconnect()


async def test_an_unexpected_failure_is_an_error_event_without_details(monkeypatch, caplog):
    from conversations import consumers

    device, _parent, _device_id = await sync_to_async(_device)("chat.boom@example.com")
    socket = await _socket(device)

    def broken(**kwargs):
        raise RuntimeError("the child's words must not reach a log: 我不想活了")

    monkeypatch.setattr(consumers, "message_send", broken)  # the builtin engine: the whole turn at once
    try:
        await socket.send_json_to({"type": "message", "text": "你好", "client_id": "boom"})
        error = await socket.receive_json_from(timeout=5)
        assert error["error"]["code"] == "internal_error" and "RuntimeError" not in error["error"]["message"]
        assert "我不想活了" not in caplog.text and "RuntimeError" in caplog.text
        await socket.send_json_to({"type": "ping"})
        assert await socket.receive_json_from(timeout=5) == {"type": "pong"}
    finally:
        await socket.disconnect()


async def test_a_reconnecting_app_gets_what_it_missed():
    device, _parent, _device_id = await sync_to_async(_device)("chat.resume@example.com")
    other, _other_parent, _other_id = await sync_to_async(_device)("chat.resume.other@example.com")
    socket = await _socket(device)
    await socket.send_json_to({"type": "message", "text": "恐龙是怎么灭绝的？", "client_id": "r-1"})
    first = await _until_done(socket)
    session = first[0]["session"]
    await socket.send_json_to({"type": "message", "text": "那鸟是恐龙吗？", "client_id": "r-2", "session": session})
    second = await _until_done(socket)
    await socket.disconnect()  # the app saw r-1's question only, then lost the connection

    again = await _socket(device)
    try:
        await again.send_json_to({"type": "resume", "session": session, "after": first[0]["message"]})
        missed = await again.receive_json_from(timeout=5)
        assert missed["type"] == "missed" and missed["session"] == session and missed["more"] is False
        ids = [m["id"] for m in missed["messages"]]
        assert ids == [first[-1]["reply"], second[0]["message"], second[-1]["reply"]]
        assert missed["messages"][1]["text"] == "那鸟是恐龙吗？" and missed["messages"][1]["role"] == "child"
        await again.send_json_to({"type": "resume", "session": session, "after": second[-1]["reply"]})
        assert (await again.receive_json_from(timeout=5))["messages"] == []
        await again.send_json_to({"type": "resume", "session": session})
        assert "after" in (await again.receive_json_from(timeout=5))["error"]["fields"]
    finally:
        await again.disconnect()
    stranger = await _socket(other)
    try:
        await stranger.send_json_to({"type": "resume", "session": session, "after": 0})
        assert (await stranger.receive_json_from(timeout=5))["error"]["code"] == "not_found"
    finally:
        await stranger.disconnect()


async def _llm(settings, fake_openai, **mode):
    settings.LLM_PROVIDER = "openai"
    settings.LLM_BASE_URL = fake_openai.base_url
    fake_openai.set_mode("normal", **mode)


async def test_an_llm_reply_streams_sentence_by_sentence_each_checked(settings, fake_openai):
    await _llm(
        settings,
        fake_openai,
        text="Dinosaurs lived long ago. A big rock hit the Earth. Then it got very cold.",
        chunks=["Dinosaurs lived ", "long ago. A big rock ", "hit the Earth. Then it ", "got very cold."],
    )
    device, _parent, _device_id = await sync_to_async(_device)("chat.stream@example.com")
    socket = await _socket(device)
    try:
        await socket.send_json_to({"type": "message", "text": "why did dinosaurs die out?", "client_id": "s-1"})
        events = await _until_done(socket)
        deltas = [e["text"] for e in events if e["type"] == "delta"]
        assert deltas == ["Dinosaurs lived long ago.", "A big rock hit the Earth.", "Then it got very cold."]
        reply = await Message.objects.aget(pk=events[-1]["reply"])
        assert reply.text == " ".join(deltas) and reply.provider != "builtin"
        assert fake_openai.requests[-1].json["stream"] is True
    finally:
        await socket.disconnect()


async def test_an_unsafe_sentence_stops_the_stream_and_a_safe_ending_replaces_the_rest(settings, fake_openai):
    await _llm(
        settings,
        fake_openai,
        text="Science is fun. You can make gunpowder at home by mixing a few things from the kitchen. Try it!",
        chunks=[
            "Science is fun. ",
            "You can make gunpowder at home by mixing a few things ",
            "from the kitchen. Try it!",
        ],
    )
    device, _parent, _device_id = await sync_to_async(_device)("chat.unsafe.stream@example.com")
    socket = await _socket(device)
    try:
        await socket.send_json_to({"type": "message", "text": "tell me a science fact", "client_id": "s-2"})
        events = await _until_done(socket)
        deltas = [e["text"] for e in events if e["type"] == "delta"]
        assert deltas[0] == "Science is fun." and len(deltas) == 2  # shown, then the safe ending
        assert "gunpowder" not in " ".join(deltas) and "Try it" not in " ".join(deltas)
        reply = await Message.objects.aget(pk=events[-1]["reply"])
        assert reply.text.startswith("Science is fun.") and "gunpowder" not in reply.text
        event = await SafetyEvent.objects.aget(message_id=reply.pk)
        assert event.direction == "out" and "dangerous" in event.categories
    finally:
        await socket.disconnect()


async def test_an_llm_that_fails_before_its_first_sentence_is_replaced_by_the_builtin_reply(settings, fake_openai):
    await _llm(settings, fake_openai, text="unused")
    fake_openai.set_mode("error_500")
    device, _parent, _device_id = await sync_to_async(_device)("chat.llm.down@example.com")
    socket = await _socket(device)
    try:
        await socket.send_json_to({"type": "message", "text": "3加5等于几？", "client_id": "s-3"})
        events = await _until_done(socket)
        assert events[-1]["type"] == "done" and [e for e in events if e["type"] == "delta"]
        reply = await Message.objects.aget(pk=events[-1]["reply"])
        assert reply.provider == "builtin-fallback" and "8" in reply.text
    finally:
        await socket.disconnect()


async def test_the_socket_awaits_the_llm_on_the_event_loop_and_records_the_device_channel(
    settings, fake_openai, monkeypatch
):
    await _llm(
        settings,
        fake_openai,
        text="Stars are suns. They are far away.",
        chunks=["Stars are suns. ", "They are far away."],
    )

    def blocking(*args, **kwargs):
        raise AssertionError("the chat socket must not block a thread on the LLM")

    monkeypatch.setattr(OpenAIProvider, "complete", blocking)  # the classifier's blocking call
    device, _parent, _device_id = await sync_to_async(_device)("chat.async.llm@example.com")
    socket = await _socket(device)
    try:
        await socket.send_json_to({"type": "message", "text": "are stars like the sun?", "client_id": "a-1"})
        events = await _until_done(socket)
        assert [e["text"] for e in events if e["type"] == "delta"] == ["Stars are suns.", "They are far away."]
        message = await Message.objects.aget(pk=events[0]["message"])
        reply = await Message.objects.aget(pk=events[-1]["reply"])
        assert message.channel == "device" and reply.provider == "openai"
    finally:
        await socket.disconnect()


async def test_a_masked_message_keeps_its_reminder_and_gets_the_builtin_reply_when_the_llm_fails(settings, fake_openai):
    await _llm(settings, fake_openai, text="unused")
    fake_openai.set_mode("error_500")
    device, _parent, _device_id = await sync_to_async(_device)("chat.masked.down@example.com")
    socket = await _socket(device)
    try:
        text = "我的电话是13812345678，3加5等于几？"
        await socket.send_json_to({"type": "message", "text": text, "client_id": "m-1"})
        events = await _until_done(socket)
        deltas = [e["text"] for e in events if e["type"] == "delta"]
        assert len(deltas) >= 2  # the privacy reminder, then the builtin answer
        reply = await Message.objects.aget(pk=events[-1]["reply"])
        assert reply.provider == "builtin-fallback" and "8" in reply.text and "13812345678" not in reply.text
    finally:
        await socket.disconnect()


async def test_one_message_in_flight_per_chat_across_sockets(settings, fake_openai):
    await _llm(settings, fake_openai, text="One. Two. Three.", chunks=["One. ", "Two. ", "Three."], chunk_delay=0.3)
    device, _parent, _device_id = await sync_to_async(_device)("chat.in.flight@example.com")
    first, second = await _socket(device), await _socket(device)
    try:
        await first.send_json_to({"type": "message", "text": "count with me", "client_id": "f-1"})
        session = (await _until_done(first))[0]["session"]
        await first.send_json_to({"type": "message", "text": "again", "client_id": "f-2", "session": session})
        assert (await first.receive_json_from(timeout=10))["type"] == "accepted"  # now being answered
        await second.send_json_to({"type": "message", "text": "me too", "client_id": "s-1", "session": session})
        busy = await second.receive_json_from(timeout=10)
        assert (busy["type"], busy["client_id"], busy["error"]["code"]) == ("error", "s-1", "session_busy")
        assert (await _until_done(first))[-1]["type"] == "done"
        await second.send_json_to({"type": "message", "text": "me too", "client_id": "s-2", "session": session})
        assert (await _until_done(second))[-1]["type"] == "done"  # free again once answered
    finally:
        await first.disconnect()
        await second.disconnect()


async def test_a_ping_is_answered_while_a_reply_streams_and_a_reply_outlives_its_socket(settings, fake_openai):
    await _llm(settings, fake_openai, text="One. Two. Three.", chunks=["One. ", "Two. ", "Three."], chunk_delay=0.4)
    device, _parent, _device_id = await sync_to_async(_device)("chat.ping.mid.reply@example.com")
    socket = await _socket(device)
    try:
        await socket.send_json_to({"type": "message", "text": "count with me", "client_id": "p-1"})
        assert (await socket.receive_json_from(timeout=10))["type"] == "accepted"
        await socket.send_json_to({"type": "ping"})
        seen = []
        while (event := await socket.receive_json_from(timeout=10))["type"] != "pong":
            seen.append(event["type"])
        assert "done" not in seen  # the pong did not wait for the model
        assert (await _until_done(socket))[-1]["type"] == "done"

        await socket.send_json_to({"type": "message", "text": "count again", "client_id": "p-2"})
        assert (await socket.receive_json_from(timeout=10))["type"] == "accepted"
    finally:
        await socket.disconnect(timeout=10)  # mid-reply: the app went away (the server lets the reply finish)
    stored = await sync_to_async(lambda: list(Message.objects.order_by("pk").values_list("role", "text")))()
    assert stored[-1] == (MessageRole.ASSISTANT, "One. Two. Three.")  # finished and stored all the same


async def test_a_client_id_resent_on_another_socket_while_it_is_answered_is_in_progress(settings, fake_openai):
    await _llm(settings, fake_openai, text="One. Two.", chunks=["One. ", "Two."], chunk_delay=0.3)
    device, _parent, _device_id = await sync_to_async(_device)("chat.resend.busy@example.com")
    first, second = await _socket(device), await _socket(device)
    try:
        message = {"type": "message", "text": "count with me", "client_id": "r-1"}
        await first.send_json_to(message)
        assert (await first.receive_json_from(timeout=10))["type"] == "accepted"
        await second.send_json_to(message)  # the app reconnected and resent it
        busy = await second.receive_json_from(timeout=10)
        assert (busy["type"], busy["error"]["code"]) == ("error", "in_progress")
        assert (await _until_done(first))[-1]["type"] == "done"
        await second.send_json_to(message)
        assert (await _until_done(second))[-1]["replayed"] is True  # answered once, replayed after
        assert await Message.objects.acount() == 2
    finally:
        await first.disconnect()
        await second.disconnect()
