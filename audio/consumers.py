"""The chat socket with voice: ``voice`` frames beside ``message`` frames (docs/AUDIO.md).

A ``voice`` frame (``audio``: base64 of a recording in any accepted format, ``session``, ``client_id``)
is heard in the thread pool (a resent ``client_id`` is answered again without listening; the device's
pairing and the gate's rules that need no usage first, then decoded, preprocessed, transcribed in the
child's language; one recording at a time per socket, another meanwhile is ``busy``), answered with a
``transcript`` event, then goes through the same turn as a typed message on
the ``voice`` channel: ``accepted``, ``agent``, ``delta``… ``done``. After each ``delta`` (and a
``refused``) comes an ``audio`` event with that sentence spoken: a sentence is spoken only after it
passed the output check, because only checked sentences become deltas.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import serializers

from audio.services.speech import reply_speak, voice_hear
from conversations.consumers import ChatConsumer, client_id_replay, in_pool
from conversations.models.messages import Channel

SPOKEN_EVENTS = frozenset({"delta", "refused"})


class Base64AudioField(serializers.CharField):
    def to_internal_value(self, data: Any) -> bytes:  # type: ignore[override]
        text = super().to_internal_value(data)
        if len(text) > settings.AUDIO_MAX_BYTES * 4 // 3 + 4:
            raise serializers.ValidationError(_("This recording is too large."))
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError(_("Send the recording as base64.")) from None


class ChatSocketVoiceSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["voice"])
    audio = Base64AudioField(trim_whitespace=False)
    session = serializers.IntegerField(required=False, min_value=1, max_value=2**62)
    client_id = serializers.CharField(min_length=1, max_length=64)


class VoiceChatConsumer(ChatConsumer):
    turn_frames = {**ChatConsumer.turn_frames, "voice": ChatSocketVoiceSerializer}
    pending_limits = {"voice": 1}  # a recording is megabytes: one waits or is heard at a time, others "busy"
    speaking: str | None = None  # the language of the voice turn being answered (turns run one at a time)

    async def _turn(self, data: dict[str, Any]) -> None:
        if "audio" not in data:
            await super()._turn(data)
            return
        assert self.principal is not None
        replayed = await in_pool(client_id_replay)(self.principal, data["client_id"])
        if replayed is not None:  # a resend of an answered recording: its answer again, not heard twice
            for event in replayed:
                await self._say(event)
            return
        transcript = await in_pool(voice_hear)(actor=self.principal, child_id=None, data=data["audio"])
        await self.send_json(
            {
                "type": "transcript",
                "client_id": data["client_id"],
                "text": transcript.text,
                "language": transcript.language,
                "confidence": transcript.confidence,
            }
        )
        self.speaking = transcript.language
        try:
            await self._answer(transcript.text, data.get("session"), data["client_id"], Channel.VOICE)
        finally:
            self.speaking = None

    async def _say(self, event: dict[str, Any]) -> None:
        await super()._say(event)
        if self.speaking is None or event.get("type") not in SPOKEN_EVENTS:
            return
        spoken = await in_pool(reply_speak)(text=event["text"], language=self.speaking)
        if spoken is not None:
            await self.send_json(
                {
                    "type": "audio",
                    "client_id": event["client_id"],
                    "text": event["text"],
                    "content_type": spoken.content_type,
                    "sample_rate": spoken.sample_rate,
                    "duration": spoken.duration,
                    "audio": base64.b64encode(spoken.audio).decode(),
                }
            )
