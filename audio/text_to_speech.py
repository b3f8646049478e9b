"""Text to speech: espeak-ng offline, or an OpenAI-compatible ``/v1/audio/speech`` server.

Chinese is spoken by espeak-ng's ``cmn-latn-pinyin`` voice from tone-numbered pinyin (pypinyin): Debian's
espeak-ng 1.51 ``cmn`` voice reads the tone digits of its own dictionary aloud as English numbers. The
text goes to espeak-ng on stdin, never as an argument, and ``[[``…``]]`` (its phoneme escape) is taken
out, so a child's or a model's words are only ever read aloud. Every result is re-encoded by
libsndfile: a WAV with true sizes (espeak's streamed header claims 2 GB), OGG/Opus or MP3 on request,
with the sample rate and the duration measured from the samples. Identical requests are served from
one requester's cache (an outage of the cache only costs the synthesis); the companion's replies to a
child are never cached.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import re
import subprocess
from dataclasses import asdict, dataclass
from enum import StrEnum

import httpx
import numpy as np
import soundfile
from django.conf import settings
from django.core.cache import cache
from pypinyin import Style, lazy_pinyin

from audio.clips import clip_decode
from audio.errors import engine_failed
from audio.processing import resample
from happy_partner.degraded import CACHE_ERRORS
from happy_partner.errors import ApplicationError

logger = logging.getLogger(__name__)

ESPEAK_SECONDS = 30
CACHE_VERSION = 1  # of the cached entry's shape
CACHE_MAX_BYTES = 2 * 2**20  # longer speech is made again rather than filling the cache
DEFAULT_RATE = 150  # words per minute: a little slower than espeak's 175, for children
DEFAULT_PITCH = 50
DEFAULT_VOLUME = 100
_PHONEME_ESCAPE = re.compile(r"\[\[|\]\]")
_CHINESE_PUNCTUATION = str.maketrans("，。！？；：、（）《》“”‘’…", ',.!?;:,()""""\'\'.')


class SpeechFormat(StrEnum):
    WAV = "wav"
    OGG = "ogg"
    MP3 = "mp3"


_ENCODINGS = {
    SpeechFormat.WAV: ("WAV", "PCM_16", "audio/wav"),
    SpeechFormat.OGG: ("OGG", "OPUS", "audio/ogg"),
    SpeechFormat.MP3: ("MP3", "MPEG_LAYER_III", "audio/mpeg"),
}
_OPUS_RATES = (8000, 12000, 16000, 24000, 48000)


@dataclass(frozen=True)
class Speech:
    audio: bytes
    content_type: str
    sample_rate: int
    duration: float
    engine: str
    cached: bool = False


@dataclass(frozen=True)
class Voice:
    """How to speak: language (``zh``/``en``), words per minute, pitch 0–99, volume 0–200 (100 = as is)."""

    language: str
    rate: int = DEFAULT_RATE
    pitch: int = DEFAULT_PITCH
    volume: int = DEFAULT_VOLUME


def speech_synthesize(
    *, text: str, voice: Voice, fmt: SpeechFormat = SpeechFormat.WAV, cache_for: str | None = None
) -> Speech:
    """``text`` spoken by the configured engine. With ``cache_for`` (who asked: one requester's cache,
    so a hit says nothing about what others had spoken) the same request is served from the cache;
    without it (the companion's replies to a child: their conversation is not kept in a cache) never."""
    engine = settings.TTS_ENGINE
    key = _cache_key(cache_for, engine, text, voice, fmt) if cache_for else None
    hit = None
    if key is not None:
        with contextlib.suppress(*CACHE_ERRORS):
            hit = cache.get(key)
    if isinstance(hit, dict):
        with contextlib.suppress(TypeError):  # an entry of another version: made again
            return Speech(**hit, cached=True)
    samples, rate = _espeak(text, voice) if engine == "espeak" else _openai(text, voice)
    speech = _encode(samples, rate, fmt, engine)
    if key is not None and len(speech.audio) <= CACHE_MAX_BYTES and settings.TTS_CACHE_SECONDS:
        with contextlib.suppress(*CACHE_ERRORS):
            cache.set(key, {k: v for k, v in asdict(speech).items() if k != "cached"}, settings.TTS_CACHE_SECONDS)
    return speech


def _cache_key(owner: str, engine: str, text: str, voice: Voice, fmt: SpeechFormat) -> str:
    model = f"{settings.TTS_MODEL}/{settings.TTS_VOICE}" if engine == "openai" else ""
    parts = [owner, engine, model, voice.language, str(voice.rate), str(voice.pitch), str(voice.volume), fmt, text]
    return f"tts:{CACHE_VERSION}:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def espeak_input(text: str, language: str) -> tuple[str, str]:
    """The voice and the text espeak-ng is given: Chinese as tone-numbered pinyin, nothing it could
    take for a command."""
    text = _PHONEME_ESCAPE.sub(" ", text)
    if language == "zh":
        words = lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)
        return "cmn-latn-pinyin", " ".join(words).translate(_CHINESE_PUNCTUATION)
    return "en-us", text


def _espeak(text: str, voice: Voice) -> tuple[np.ndarray, int]:
    name, spoken = espeak_input(text, voice.language)
    command = [
        settings.ESPEAK_BINARY, "-v", name, "-s", str(voice.rate), "-p", str(voice.pitch),
        "-a", str(voice.volume), "--stdout",
    ]  # fmt: skip
    try:
        done = subprocess.run(  # noqa: S603 - a fixed argv, no shell; the text goes in on stdin
            command, input=spoken.encode(), capture_output=True, timeout=ESPEAK_SECONDS, check=False
        )
    except (FileNotFoundError, subprocess.TimeoutExpired) as exc:
        logger.error("espeak-ng failed (%s): is it installed? scripts/install-system-deps.sh", type(exc).__name__)
        raise engine_failed("text_to_speech") from None
    if done.returncode != 0 or len(done.stdout) <= 44:
        logger.error("espeak-ng exited %s", done.returncode)
        raise engine_failed("text_to_speech")
    return _espeak_wav(done.stdout)


def _espeak_wav(data: bytes) -> tuple[np.ndarray, int]:
    """espeak-ng's streamed WAV (mono 16-bit; its header's sizes are placeholders): the samples."""
    rate = int.from_bytes(data[24:28], "little")
    if data[:4] != b"RIFF" or data[36:40] != b"data" or not 8000 <= rate <= 48000:
        logger.error("espeak-ng wrote something other than its WAV")
        raise engine_failed("text_to_speech")
    pcm = data[44 : 44 + (len(data) - 44) // 2 * 2]
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0, rate


def _openai(text: str, voice: Voice) -> tuple[np.ndarray, int]:
    body = {
        "model": settings.TTS_MODEL,
        "input": text,
        "voice": settings.TTS_VOICE,
        "response_format": "wav",
        "speed": round(min(4.0, max(0.25, voice.rate / DEFAULT_RATE)), 2),
    }
    headers = {"Authorization": f"Bearer {settings.TTS_API_KEY}"} if settings.TTS_API_KEY else {}
    url = settings.TTS_BASE_URL.rstrip("/") + "/audio/speech"
    try:
        response = httpx.post(url, json=body, headers=headers, timeout=settings.TTS_TIMEOUT_SECONDS)
    except httpx.HTTPError as exc:
        logger.warning("text to speech server unreachable (%s)", type(exc).__name__)
        raise engine_failed("text_to_speech") from None
    if response.status_code != 200:
        logger.warning("text to speech server answered %s", response.status_code)
        raise engine_failed("text_to_speech")
    try:
        clip = clip_decode(response.content)  # any format, any shape, within the audio limits
    except ApplicationError:
        logger.warning("text to speech server sent audio that cannot be read")
        raise engine_failed("text_to_speech") from None
    samples, rate = clip.mono(), clip.rate
    if rate not in _OPUS_RATES and not 8000 <= rate <= 48000:
        samples, rate = resample(samples, rate, 24000), 24000
    return samples * (voice.volume / 100), rate


def _encode(samples: np.ndarray, rate: int, fmt: SpeechFormat, engine: str) -> Speech:
    container, subtype, content_type = _ENCODINGS[fmt]
    samples = np.clip(samples, -1.0, 1.0).astype(np.float32)
    out_rate = rate
    if fmt == SpeechFormat.OGG and rate not in _OPUS_RATES:  # Opus runs at fixed rates only
        samples, out_rate = resample(samples, rate, 24000), 24000
    buffer = io.BytesIO()
    soundfile.write(buffer, samples, out_rate, format=container, subtype=subtype)
    return Speech(buffer.getvalue(), content_type, out_rate, round(len(samples) / out_rate, 3), engine)
