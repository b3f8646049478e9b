"""Voice chat end to end: speech in, the one pipeline on the voice channel, text and speech out, over
REST and over the chat socket (sentence by sentence, each spoken only after its check); the device,
the gate's rules and the voice switch and consent enforced before a recording is heard.

The recogniser is pocketsphinx (free speech: its words are often wrong, so those tests check the path,
not the words) or, where the words matter, the local OpenAI-compatible server: it answers with the
transcript the test sets, as a real recognition server would answer with what it heard."""

from __future__ import annotations

import base64
from datetime import time

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Device, ParentalControls
from accounts.services.devices import device_revoke
from accounts.snapshots import child_snapshot_invalidate
from audio.clips import clip_decode
from conversations.models import Message, MessageRole, SafetyEvent
from happy_partner.asgi import application
from tests.audio.conftest import Family, noise, speak

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def heard(settings, fake_openai):
    """Recognition by the local server: ``heard("words")`` sets what it hears next."""
    settings.STT_ENGINE_EN = "openai"
    settings.STT_BASE_URL = fake_openai.base_url

    def hear(text: str) -> None:
        fake_openai.set_audio(transcript=text, language="english")

    return hear


def _voice(family: Family, text: str, **extra):
    audio = SimpleUploadedFile("q.wav", speak(text))
    return family.device.post("/api/v1/chat/voice/", {"audio": audio, **extra}, format="multipart")


def test_a_spoken_question_is_heard_answered_and_spoken(family, heard):
    heard("what is two plus three")
    response = _voice(family, "what is two plus three")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["transcript"]["text"] == "what is two plus three" and body["refusal"] is None
    assert "5" in body["reply"]["text"] or "five" in body["reply"]["text"].lower()
    spoken = clip_decode(base64.b64decode(body["speech"]["audio"]))
    assert spoken.duration == pytest.approx(body["speech"]["duration"], abs=0.01) and spoken.duration > 0.5
    message = Message.objects.get(pk=body["message"]["id"])
    assert message.channel == "voice" and message.role == MessageRole.CHILD and message.text == "what is two plus three"
    heard("tell me a story about the moon")
    again = _voice(family, "tell me a story about the moon", session=body["session"]["id"])
    assert again.status_code == 200 and again.json()["session"]["id"] == body["session"]["id"]


def test_a_spoken_cry_for_help_is_escalated_like_a_typed_one(family, heard):
    heard("我不想活了")
    response = _voice(family, "i do not want to live")
    assert response.status_code == 200 and response.json()["safety"]["action"] == "escalate"
    event = SafetyEvent.objects.get(message_id=response.json()["message"]["id"])
    assert "self_harm" in event.categories and Message.objects.get(pk=event.message_id).channel == "voice"


def test_free_speech_with_the_offline_recogniser_goes_through_the_pipeline(family):
    response = _voice(family, "tell me a story about the moon")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["transcript"]["engine"] == "pocketsphinx" and body["transcript"]["text"]
    assert body["reply"]["text"] and base64.b64decode(body["speech"]["audio"])[:4] == b"RIFF"


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/v1/chat/voice/", {}),
        ("/api/v1/audio/transcribe/", {}),
        ("/api/v1/audio/process/", {}),
        ("/api/v1/voice/identify/", {}),
        ("/api/v1/voice/verify/", {"child": "{child}"}),
    ],
)
def test_the_voice_switch_stops_every_path_before_anything_is_heard(family, path, body):
    ParentalControls.objects.filter(child=family.child).update(voice_enabled=False)
    child_snapshot_invalidate(child_id=family.child.pk)
    sent = {key: family.child.pk if value == "{child}" else value for key, value in body.items()}
    response = family.device.post(
        path, {"audio": SimpleUploadedFile("q.wav", speak("hello")), **sent}, format="multipart"
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "voice_disabled"
    assert not Message.objects.exists()
    typed = family.device.post("/api/v1/chat/", {"text": "hello"}, format="json")
    assert typed.status_code == 200 and typed.json()["refusal"] is None  # typing still works


def test_quiet_hours_stop_a_recording_before_it_is_heard(family, heard):
    heard("hello")
    evening = {"weekday_start": time(19, 0), "weekend_start": time(19, 0)}  # it is 10:00 in Shanghai
    ParentalControls.objects.filter(child=family.child).update(**evening)
    child_snapshot_invalidate(child_id=family.child.pk)
    response = _voice(family, "hello")
    assert response.status_code == 403 and response.json()["error"]["code"] == "quiet_hours"
    assert not Message.objects.exists()


def test_without_the_voice_consent_nothing_is_heard(quiet_family):
    response = _voice(quiet_family, "hello how are you")
    assert response.status_code == 403 and response.json()["error"]["code"] == "voice_disabled"


def test_nothing_heard_is_not_a_message(family, heard):
    heard("")
    response = family.device.post(
        "/api/v1/chat/voice/", {"audio": SimpleUploadedFile("n.wav", noise())}, format="multipart"
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "speech_unrecognised"
    assert not Message.objects.exists()


def test_a_long_transcript_is_cut_to_a_typed_messages_length(family, heard):
    heard("ha " * 1500)
    response = _voice(family, "ha")
    assert response.status_code == 200 and len(response.json()["message"]["text"]) <= 2000


def _ticket(client) -> str:
    response = client.post("/api/v1/realtime/ticket/")
    assert response.status_code == 201, response.content
    return response.json()["ticket"]


async def _socket(family: Family) -> WebsocketCommunicator:
    socket = WebsocketCommunicator(application, f"/ws/v1/chat/?ticket={await sync_to_async(_ticket)(family.device)}")
    connected, _ = await socket.connect(timeout=5)
    assert connected
    return socket


async def _until_done(socket: WebsocketCommunicator) -> list[dict]:
    events = []
    while True:
        event = await socket.receive_json_from(timeout=20)
        events.append(event)
        if event["type"] in ("done", "error"):
            return events


def _frame(text: str, client_id: str) -> dict:
    return {"type": "voice", "audio": base64.b64encode(speak(text)).decode(), "client_id": client_id}


async def test_a_voice_frame_on_the_chat_socket_is_answered_in_text_and_speech(family, heard):
    heard("tell me a story about the moon")
    socket = await _socket(family)
    try:
        await socket.send_json_to(_frame("tell me a story about the moon", "v-1"))
        events = await _until_done(socket)
        kinds = [e["type"] for e in events]
        assert events[0] == {
            "type": "transcript", "client_id": "v-1", "text": "tell me a story about the moon",
            "language": "en", "confidence": pytest.approx(0.819, abs=0.001),
        }  # fmt: skip
        assert kinds[1:3] == ["accepted", "agent"] and kinds[-1] == "done"
        deltas = [e for e in events if e["type"] == "delta"]
        audios = [e for e in events if e["type"] == "audio"]
        assert deltas and [a["text"] for a in audios] == [d["text"] for d in deltas]
        for delta in deltas:  # each sentence's audio right after the sentence
            assert kinds[events.index(delta) + 1] == "audio"
        clip = clip_decode(base64.b64decode(audios[0]["audio"]))
        assert clip.duration == pytest.approx(audios[0]["duration"], abs=0.01)
        message = await Message.objects.aget(pk=events[1]["message"])
        assert message.channel == "voice"
        # A resend of the same recording is answered again from what was stored, not heard again.
        await socket.send_json_to(_frame("tell me a story about the moon", "v-1"))
        again = await _until_done(socket)
        assert again[-1]["replayed"] is True and "transcript" not in [e["type"] for e in again]
        assert await Message.objects.acount() == 2
        # A typed message on the same socket is not spoken.
        await socket.send_json_to({"type": "message", "text": "thank you", "client_id": "t-1"})
        typed = await _until_done(socket)
        assert "audio" not in [e["type"] for e in typed]
    finally:
        await socket.disconnect()


async def test_bad_voice_frames_are_error_events_never_a_crash(family):
    socket = await _socket(family)
    try:
        await socket.send_json_to({"type": "voice", "audio": "not base64!", "client_id": "v-2"})
        bad = await socket.receive_json_from(timeout=5)
        assert bad["type"] == "error" and bad["error"]["code"] == "invalid" and "audio" in bad["error"]["fields"]
        await socket.send_json_to(
            {"type": "voice", "audio": base64.b64encode(b"garbage" * 50).decode(), "client_id": "v-3"}
        )
        unsupported = await socket.receive_json_from(timeout=5)
        assert unsupported["type"] == "error" and unsupported["error"]["code"] == "unsupported_audio"
        for odd in (["voice"], {"a": 1}, 7, None):
            await socket.send_json_to({"type": odd, "audio": "", "client_id": "v-4"})
            answer = await socket.receive_json_from(timeout=5)
            assert answer["type"] == "error" and answer["error"]["code"] == "unknown_event"
        await socket.send_json_to({"type": "ping"})
        assert (await socket.receive_json_from(timeout=5))["type"] == "pong"  # still serving
    finally:
        await socket.disconnect()


async def test_one_recording_at_a_time_per_socket(family, heard):
    heard("hello how are you")
    socket = await _socket(family)
    try:
        await socket.send_json_to(_frame("hello how are you", "v-1"))
        await socket.send_json_to(_frame("hello how are you", "v-2"))  # while the first is heard
        events = []
        while not any(e["type"] == "done" for e in events):
            events.append(await socket.receive_json_from(timeout=20))
        busy = [e for e in events if e["type"] == "error"]
        assert [(e["client_id"], e["error"]["code"]) for e in busy] == [("v-2", "busy")]
    finally:
        await socket.disconnect()


async def test_a_streamed_reply_is_spoken_sentence_by_sentence_and_an_unsafe_one_never(
    family, heard, settings, fake_openai
):
    heard("tell me a science fact")
    settings.LLM_PROVIDER = "openai"
    settings.LLM_BASE_URL = fake_openai.base_url
    fake_openai.set_mode(
        "normal",
        text="Science is fun. You can make gunpowder at home by mixing a few things from the kitchen. Try it!",
        chunks=[
            "Science is fun. ",
            "You can make gunpowder at home by mixing a few things ",
            "from the kitchen. Try it!",
        ],
    )
    socket = await _socket(family)
    try:
        await socket.send_json_to(_frame("tell me a science fact", "v-9"))
        events = await _until_done(socket)
        spoken = [e["text"] for e in events if e["type"] == "audio"]
        deltas = [e["text"] for e in events if e["type"] == "delta"]
        assert spoken == deltas and spoken[0] == "Science is fun." and len(spoken) == 2  # then the safe ending
        assert not any("gunpowder" in text or "Try it" in text for text in spoken)
    finally:
        await socket.disconnect()


async def test_voice_on_the_socket_needs_the_voice_consent(quiet_family):
    socket = await _socket(quiet_family)
    try:
        await socket.send_json_to(_frame("hello how are you", "v-1"))
        event = await socket.receive_json_from(timeout=10)
        assert event["type"] == "error" and event["error"]["code"] == "voice_disabled"
        assert await Message.objects.acount() == 0
    finally:
        await socket.disconnect()


async def test_a_revoked_device_is_not_heard_and_its_socket_closes(family):
    socket = await _socket(family)
    try:
        device = await Device.objects.aget(pk=family.device_id)
        await sync_to_async(device_revoke)(actor=family.parent, device=device)
        await socket.send_json_to(_frame("hello how are you", "v-1"))
        event = await socket.receive_json_from(timeout=10)
        assert event["type"] == "error" and event["error"]["code"] == "device_revoked"
        assert (await socket.receive_output(timeout=5))["type"] == "websocket.close"
        assert await Message.objects.acount() == 0
    finally:
        await socket.disconnect()
