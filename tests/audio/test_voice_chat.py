"""Voice chat end to end: speech in, the one pipeline on the voice channel, text and speech out, over
REST and over the chat socket (sentence by sentence); the voice switch and consent enforced first."""

from __future__ import annotations

import base64

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import ParentalControls
from accounts.snapshots import child_snapshot_invalidate
from audio.clips import clip_decode
from conversations.models import Message, MessageRole
from happy_partner.asgi import application
from tests.audio.conftest import PHRASES, Family, speak

pytestmark = pytest.mark.django_db(transaction=True)


def _voice(family: Family, text: str, **extra):
    audio = SimpleUploadedFile("q.wav", speak(text))
    return family.device.post("/api/v1/chat/voice/", {"audio": audio, "phrases": PHRASES, **extra}, format="multipart")


def test_a_spoken_question_is_heard_answered_and_spoken(family):
    response = _voice(family, "what is two plus three")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["transcript"]["text"] == "what is two plus three" and body["refusal"] is None
    assert "5" in body["reply"]["text"] or "five" in body["reply"]["text"].lower()
    spoken = clip_decode(base64.b64decode(body["speech"]["audio"]))
    assert spoken.duration == pytest.approx(body["speech"]["duration"], abs=0.01) and spoken.duration > 0.5
    message = Message.objects.get(pk=body["message"]["id"])
    assert message.channel == "voice" and message.role == MessageRole.CHILD and message.text == "what is two plus three"
    # The same chat continues.
    again = _voice(family, "tell me a story about the moon", session=body["session"]["id"])
    assert again.status_code == 200 and again.json()["session"]["id"] == body["session"]["id"]


def test_the_voice_switch_stops_voice_on_every_path(family):
    ParentalControls.objects.filter(child=family.child).update(voice_enabled=False)
    child_snapshot_invalidate(child_id=family.child.pk)
    response = _voice(family, "hello how are you")
    assert response.status_code == 403 and response.json()["error"]["code"] == "voice_disabled"
    assert not Message.objects.exists()  # nothing heard, nothing stored
    typed = family.device.post("/api/v1/chat/", {"text": "hello"}, format="json")
    assert typed.status_code == 200 and typed.json()["refusal"] is None  # typing still works


def test_without_the_voice_consent_nothing_is_heard(quiet_family):
    response = _voice(quiet_family, "hello how are you")
    assert response.status_code == 403 and response.json()["error"]["code"] == "voice_disabled"


def test_noise_is_not_a_message(family):
    from tests.audio.conftest import noise

    response = family.device.post(
        "/api/v1/chat/voice/", {"audio": SimpleUploadedFile("n.wav", noise()), "phrases": PHRASES}, format="multipart"
    )
    # pocketsphinx hears no phrase in noise: an error the app can act on ("say it again, or type it").
    assert response.status_code == 400 and response.json()["error"]["code"] == "speech_unrecognised"
    assert not Message.objects.exists()


def _ticket(client) -> str:
    response = client.post("/api/v1/realtime/ticket/")
    assert response.status_code == 201, response.content
    return response.json()["ticket"]


async def _until_done(socket: WebsocketCommunicator) -> list[dict]:
    events = []
    while True:
        event = await socket.receive_json_from(timeout=20)
        events.append(event)
        if event["type"] in ("done", "error"):
            return events


async def test_a_voice_frame_on_the_chat_socket_is_answered_in_text_and_speech(family):
    socket = WebsocketCommunicator(application, f"/ws/v1/chat/?ticket={await sync_to_async(_ticket)(family.device)}")
    connected, _ = await socket.connect(timeout=5)
    assert connected
    try:
        audio = base64.b64encode(speak("tell me a story about the moon")).decode()
        await socket.send_json_to({"type": "voice", "audio": audio, "client_id": "v-1"})
        events = await _until_done(socket)
        kinds = [e["type"] for e in events]
        assert kinds[0] == "transcript" and events[0]["text"]
        assert kinds[1:3] == ["accepted", "agent"] and kinds[-1] == "done"
        deltas = [e for e in events if e["type"] == "delta"]
        audios = [e for e in events if e["type"] == "audio"]
        assert deltas and [a["text"] for a in audios] == [d["text"] for d in deltas]  # each sentence spoken after it
        for delta in deltas:  # the audio comes right after the delta it speaks
            assert kinds[events.index(delta) + 1] == "audio"
        clip = clip_decode(base64.b64decode(audios[0]["audio"]))
        assert clip.duration == pytest.approx(audios[0]["duration"], abs=0.01)
        message = await Message.objects.aget(pk=events[1]["message"])
        assert message.channel == "voice"
        # A typed message on the same socket is not spoken.
        await socket.send_json_to({"type": "message", "text": "thank you", "client_id": "t-1"})
        typed = await _until_done(socket)
        assert "audio" not in [e["type"] for e in typed]
        # A bad frame is an error event, never a crash.
        await socket.send_json_to({"type": "voice", "audio": "not base64!", "client_id": "v-2"})
        bad = await socket.receive_json_from(timeout=5)
        assert bad["type"] == "error" and bad["error"]["code"] == "invalid" and "audio" in bad["error"]["fields"]
        await socket.send_json_to(
            {"type": "voice", "audio": base64.b64encode(b"garbage" * 50).decode(), "client_id": "v-3"}
        )
        unsupported = await socket.receive_json_from(timeout=5)
        assert unsupported["type"] == "error" and unsupported["error"]["code"] == "unsupported_audio"
    finally:
        await socket.disconnect()


async def test_voice_on_the_socket_needs_the_voice_consent(quiet_family):
    socket = WebsocketCommunicator(
        application, f"/ws/v1/chat/?ticket={await sync_to_async(_ticket)(quiet_family.device)}"
    )
    connected, _ = await socket.connect(timeout=5)
    assert connected
    try:
        audio = base64.b64encode(speak("hello how are you")).decode()
        await socket.send_json_to({"type": "voice", "audio": audio, "client_id": "v-1"})
        event = await socket.receive_json_from(timeout=10)
        assert event["type"] == "error" and event["error"]["code"] == "voice_disabled"
        assert await Message.objects.acount() == 0
    finally:
        await socket.disconnect()


async def test_a_revoked_device_is_not_heard_and_its_socket_closes(family):
    from accounts.models import Device
    from accounts.services.devices import device_revoke

    socket = WebsocketCommunicator(application, f"/ws/v1/chat/?ticket={await sync_to_async(_ticket)(family.device)}")
    connected, _ = await socket.connect(timeout=5)
    assert connected
    try:
        device = await Device.objects.aget(pk=family.device_id)
        await sync_to_async(device_revoke)(actor=family.parent, device=device)
        audio = base64.b64encode(speak("hello how are you")).decode()
        await socket.send_json_to({"type": "voice", "audio": audio, "client_id": "v-1"})
        event = await socket.receive_json_from(timeout=10)
        assert event["type"] == "error" and event["error"]["code"] == "device_revoked"
        assert (await socket.receive_output(timeout=5))["type"] == "websocket.close"
        assert await Message.objects.acount() == 0
    finally:
        await socket.disconnect()
