"""Speech services: read and prepare audio, transcribe, synthesize, and a voice message through the
one pipeline.

A child's recording is heard only when the voice switch and the ``voice`` consent allow it (the
gate's rule, asked before decoding); the turn itself goes through ``message_send`` with channel
``voice``, whose gate asks again in the turn's transaction. A parent may use the speech endpoints for
their own voice (no child's data involved).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone, translation

from accounts.principals import Actor, ChildPrincipal
from accounts.selectors import device_require_paired
from accounts.snapshots import child_snapshot
from audio.clips import Clip, clip_decode
from audio.processing import Processed, clip_preprocess
from audio.speech_to_text import Transcript, language_code, speech_transcribe
from audio.text_to_speech import Speech, SpeechFormat, Voice, speech_synthesize
from conversations.models.messages import Channel
from conversations.selectors.scope import child_for_principal
from conversations.services.gate import voice_refusal
from conversations.services.pipeline import ChatResult, message_send
from happy_partner.errors import ApplicationError, Failure

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class VoiceReply:
    transcript: Transcript
    result: ChatResult
    speech: Speech | None  # None when the reply could not be spoken (the text still stands)


def voice_require_allowed(*, child_id: int) -> None:
    """403 with the gate's code and words to the child (``voice_disabled``, ``quiet_hours``,
    ``consent_required``, ``child_inactive``) unless the child may talk out loud now."""
    refusal = voice_refusal(child_snapshot(child_id=child_id), timezone.now())
    if refusal is not None:
        raise ApplicationError(code=refusal.code, message=refusal.reply, kind=Failure.FORBIDDEN)


def speaker_language(*, actor: Actor, child_id: int | None, language: str | None) -> tuple[int | None, str]:
    """Whose voice and in which language: a device's child (their language, their voice rules), a parent's
    named child likewise, or a parent's own voice in the language asked (else the request's)."""
    if isinstance(actor, ChildPrincipal) or child_id is not None:
        child = child_for_principal(principal=actor, child_id=child_id)
        voice_require_allowed(child_id=child.pk)
        return child.pk, language_code(language or child.language)
    return None, language_code(language or translation.get_language() or "zh-hans")


def audio_prepare(*, data: bytes, trim: bool = True) -> tuple[Clip, Processed]:
    clip = clip_decode(data)
    return clip, clip_preprocess(clip, trim=trim)


def audio_transcribe(
    *, actor: Actor, data: bytes, child_id: int | None = None, language: str | None = None, phrases: Sequence[str] = ()
) -> tuple[Transcript, Processed]:
    _child, code = speaker_language(actor=actor, child_id=child_id, language=language)
    _clip, processed = audio_prepare(data=data)
    return speech_transcribe(audio=processed, language=code, phrases=phrases), processed


def audio_synthesize(
    *, actor: Actor, text: str, child_id: int | None = None, language: str | None = None, voice: Voice | None = None,
    fmt: SpeechFormat = SpeechFormat.WAV,
) -> Speech:  # fmt: skip
    """``text`` spoken, from the requester's own cache when they asked for the same before."""
    _child, code = speaker_language(actor=actor, child_id=child_id, language=language)
    voice = Voice(language=code) if voice is None else Voice(code, voice.rate, voice.pitch, voice.volume)
    return speech_synthesize(text=text, voice=voice, fmt=fmt, cache_for=str(actor.pk))


def reply_speak(*, text: str, language: str, fmt: SpeechFormat = SpeechFormat.WAV) -> Speech | None:
    """The companion's words spoken; a speech engine that fails costs the audio, never the reply."""
    if not text.strip():
        return None
    try:
        return speech_synthesize(text=text, voice=Voice(language=language_code(language)), fmt=fmt)
    except Exception as exc:
        logger.warning("reply not spoken (%s)", getattr(exc, "code", type(exc).__name__))
        return None


def voice_hear(*, actor: Actor, child_id: int | None, data: bytes) -> Transcript:
    """What the child said: a device still paired and voice allowed first (nothing is decoded otherwise),
    then heard in their language."""
    if isinstance(actor, ChildPrincipal):
        device_require_paired(device_id=actor.device.pk)  # a live socket's device may have been revoked
    child = child_for_principal(principal=actor, child_id=child_id)
    voice_require_allowed(child_id=child.pk)
    _clip, processed = audio_prepare(data=data)
    return speech_transcribe(audio=processed, language=language_code(child.language))


def voice_message_send(*, actor: Actor, child_id: int | None, data: bytes, session_id: int | None = None) -> VoiceReply:
    """A spoken message: heard (voice allowed first), transcribed in the child's language, answered by the
    one pipeline on the ``voice`` channel, and the reply spoken. Free speech, never a phrase grammar: a
    grammar would make whatever the child said one of its phrases, and the safety check must see the
    recogniser's best guess at the real words."""
    started = time.perf_counter()
    child = child_for_principal(principal=actor, child_id=child_id)
    transcript = voice_hear(actor=actor, child_id=child.pk, data=data)
    heard = time.perf_counter()
    result = message_send(
        actor=actor, child_id=child.pk, text=transcript.text, session_id=session_id, channel=Channel.VOICE
    )
    replied = time.perf_counter()
    speech = reply_speak(text=result.reply.text, language=child.language)
    logger.info(
        "voice message child_id=%s engine=%s heard_ms=%d spoken_ms=%d",
        child.pk,
        transcript.engine,
        (heard - started) * 1000,
        (time.perf_counter() - replied) * 1000,
    )
    return VoiceReply(transcript, result, speech)
