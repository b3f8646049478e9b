"""The parent socket through the real ASGI application: tickets (single use, short-lived, no Origin
needed), the dashboard session (origin checked), alerts for the guardian's own children only, and
the re-check on every event."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Device, User
from accounts.realtime import guardian_group
from conversations.models import SafetyEvent, UsageDay
from happy_partner.asgi import application
from tests.factories import bearer, login, make_child, make_parent, pair_device

pytestmark = pytest.mark.django_db(transaction=True)
PATH = "/ws/v1/parent/"


def _family(email: str) -> tuple[User, APIClient, APIClient]:
    parent = make_parent(email)
    child = make_child(parent, name="Sam", age=9, scopes=["chat"])
    _device, tokens = pair_device(parent, child)
    return parent, login(parent.email), bearer(APIClient(), tokens["access"])


def _ticket(client: APIClient) -> str:
    response = client.post("/api/v1/realtime/ticket/")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["expires_in"] == 60 and body["ticket"]
    return body["ticket"]


async def _open(path: str, headers=()) -> tuple[WebsocketCommunicator, bool]:
    communicator = WebsocketCommunicator(application, path, headers=list(headers))
    connected, _ = await communicator.connect(timeout=5)
    return communicator, connected


async def _closed_with(communicator: WebsocketCommunicator) -> int:
    output = await communicator.receive_output(timeout=5)
    assert output["type"] == "websocket.close"
    return output["code"]


@pytest.fixture(autouse=True)
def _daytime():
    with time_machine.travel(timezone.now().replace(hour=2, minute=0), tick=True):  # 10:00 in Shanghai
        yield


async def test_a_parent_app_gets_its_childs_alert_and_no_other_familys():
    parent_a, client_a, device_a = await sync_to_async(_family)("socket.a@example.com")
    _parent_b, client_b, _device_b = await sync_to_async(_family)("socket.b@example.com")
    socket_a, connected_a = await _open(f"{PATH}?ticket={await sync_to_async(_ticket)(client_a)}")
    socket_b, connected_b = await _open(f"{PATH}?ticket={await sync_to_async(_ticket)(client_b)}")
    assert connected_a and connected_b  # no Origin header: a ticket is enough
    try:
        response = await sync_to_async(device_a.post)("/api/v1/chat/", {"text": "我不想活了"}, format="json")
        assert response.json()["safety"]["action"] == "escalate"
        event = await SafetyEvent.objects.aget(message_id=response.json()["message"]["id"])
        alert = await socket_a.receive_json_from(timeout=5)
        assert alert == {
            "type": "alert",
            "event": event.pk,
            "child": event.child_id,
            "severity": "critical",
            "action": "escalate",
            "categories": event.categories,
        }
        # Then the turn itself, as stored (no words: the history API has them, access checked).
        message = response.json()["message"]
        assert await socket_a.receive_json_from(timeout=5) == {
            "type": "message.new",
            "child": event.child_id,
            "session": response.json()["session"]["id"],
            "message": message["id"],
            "reply": response.json()["reply"]["id"],
            "agent": "safety",
            "channel": "text",
            "refusal": None,
            "safety": {"action": "escalate", "severity": "critical"},
            "at": message["created_at"].replace("Z", "+00:00"),
        }
        assert await socket_b.receive_nothing(timeout=0.3)
        await socket_a.send_json_to({"type": "ping"})
        assert await socket_a.receive_json_from(timeout=5) == {"type": "pong"}
        await socket_a.send_to(text_data="not json")
        assert (await socket_a.receive_json_from(timeout=5))["error"]["code"] == "malformed_request"
    finally:
        await socket_a.disconnect()
        await socket_b.disconnect()


async def test_a_ticket_works_once_and_not_after_a_minute():
    _parent, client, device = await sync_to_async(_family)("ticket.once@example.com")
    ticket = await sync_to_async(_ticket)(client)
    first, connected = await _open(f"{PATH}?ticket={ticket}")
    assert connected
    await first.disconnect()
    again, _ = await _open(f"{PATH}?ticket={ticket}")
    assert await _closed_with(again) == 4401
    for bad in ("garbage", ticket[:-3] + "abc"):
        socket, _ = await _open(f"{PATH}?ticket={bad}")
        assert await _closed_with(socket) == 4401
    stale = await sync_to_async(_ticket)(client)
    with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=True):
        socket, _ = await _open(f"{PATH}?ticket={stale}")
        assert await _closed_with(socket) == 4401
    child_ticket = await sync_to_async(_ticket)(device)  # a device may have one, not for this socket
    socket, _ = await _open(f"{PATH}?ticket={child_ticket}")
    assert await _closed_with(socket) == 4403


async def test_the_dashboard_session_needs_an_allowed_origin():
    parent, _client, _device = await sync_to_async(_family)("session.socket@example.com")
    browser = Client()
    await sync_to_async(browser.force_login)(parent)
    cookie = f"sessionid={browser.cookies['sessionid'].value}".encode()
    socket, connected = await _open(PATH, [(b"origin", b"http://127.0.0.1"), (b"cookie", cookie)])
    assert connected
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from(timeout=5) == {"type": "pong"}
    await socket.disconnect()
    foreign, connected = await _open(PATH, [(b"origin", b"http://evil.example"), (b"cookie", cookie)])
    assert not connected  # refused at the handshake
    anonymous, _ = await _open(PATH, [(b"origin", b"http://127.0.0.1")])
    assert await _closed_with(anonymous) == 4401
    # A foreign page cannot skip the origin check with a made-up ticket and ride the cookie.
    borrowed, connected = await _open(
        f"{PATH}?ticket=made-up", [(b"origin", b"http://evil.example"), (b"cookie", cookie)]
    )
    assert connected and await _closed_with(borrowed) == 4401


async def test_every_event_is_rechecked_against_the_database():
    parent, client, _device = await sync_to_async(_family)("recheck.socket@example.com")
    socket, connected = await _open(f"{PATH}?ticket={await sync_to_async(_ticket)(client)}")
    assert connected
    child_id = await sync_to_async(lambda: parent.guardianships.get().child_id)()
    alert = {
        "type": "safety.alert",
        "event": 1,
        "child": child_id,
        "severity": "high",
        "action": "block",
        "categories": ["dangerous"],
    }
    layer = get_channel_layer()
    await layer.group_send(guardian_group(parent.pk), {**alert, "child": child_id + 1000})  # not theirs
    assert await socket.receive_nothing(timeout=0.3)
    await User.objects.filter(pk=parent.pk).aupdate(is_active=False)
    await layer.group_send(guardian_group(parent.pk), alert)
    assert await socket.receive_nothing(timeout=0.3)  # an account switched off hears nothing more
    await socket.disconnect()


async def test_the_parent_socket_hears_presence_limits_and_devices():
    parent, client, device = await sync_to_async(_family)("events.socket@example.com")
    child_id, device_id = await sync_to_async(
        lambda: (parent.guardianships.get().child_id, Device.objects.get(child__guardianships__guardian=parent).pk)
    )()
    socket, connected = await _open(f"{PATH}?ticket={await sync_to_async(_ticket)(client)}")
    assert connected
    try:
        chat = WebsocketCommunicator(application, f"/ws/v1/chat/?ticket={await sync_to_async(_ticket)(device)}")
        assert (await chat.connect(timeout=5))[0]
        assert await socket.receive_json_from(timeout=5) == {
            "type": "child.online",
            "child": child_id,
            "device": device_id,
        }
        await chat.disconnect()
        assert await socket.receive_json_from(timeout=5) == {
            "type": "child.offline",
            "child": child_id,
            "device": device_id,
        }

        today = timezone.localtime(timezone.now(), ZoneInfo("Asia/Shanghai")).date()
        await UsageDay.objects.acreate(child_id=child_id, day=today, seconds=24 * 3600)
        refused = await sync_to_async(device.post)("/api/v1/chat/", {"text": "再聊一会儿"}, format="json")
        code = refused.json()["refusal"]
        assert code in ("daily_limit", "weekly_limit")  # a whole day's use is over both
        assert await socket.receive_json_from(timeout=5) == {"type": "limit.reached", "child": child_id, "code": code}
        told = await socket.receive_json_from(timeout=5)
        refused_id = refused.json()["message"]["id"]
        assert (told["type"], told["refusal"], told["message"]) == ("message.new", code, refused_id)
        again = await sync_to_async(device.post)("/api/v1/chat/", {"text": "就一会儿"}, format="json")
        assert again.json()["refusal"] == code
        told = await socket.receive_json_from(timeout=5)  # the turn, but the limit is told once a day
        assert (told["type"], told["message"]) == ("message.new", again.json()["message"]["id"])
        assert await socket.receive_nothing(timeout=0.3)

        revoked = await sync_to_async(client.post)(f"/api/v1/children/{child_id}/devices/{device_id}/revoke/")
        assert revoked.status_code == 200
        assert await socket.receive_json_from(timeout=5) == {
            "type": "device.revoked",
            "child": child_id,
            "device": device_id,
        }
    finally:
        await socket.disconnect()


async def test_a_dashboard_socket_stops_at_the_next_event_once_its_session_signed_out():
    parent, _client, device = await sync_to_async(_family)("session.signout@example.com")
    browser = Client()
    await sync_to_async(browser.force_login)(parent)
    cookie = f"sessionid={browser.cookies['sessionid'].value}".encode()
    socket, connected = await _open(PATH, [(b"origin", b"http://127.0.0.1"), (b"cookie", cookie)])
    assert connected
    try:
        await sync_to_async(browser.post)("/signout/")  # on this shared computer
        await sync_to_async(device.post)("/api/v1/chat/", {"text": "我不想活了"}, format="json")
        assert await _closed_with(socket) == 4401  # nothing about the child reaches the screen
    finally:
        await socket.disconnect()
