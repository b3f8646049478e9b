"""Real audio for the audio tests: espeak-ng speaking English and Chinese, encoded by libsndfile and
ffmpeg into every accepted format; the family personas with the voice consents."""

from __future__ import annotations

import functools
import io
import subprocess

import numpy as np
import pytest
import soundfile
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ChildProfile
from tests.factories import bearer, login, make_child, make_parent, pair_device

PHRASES = [
    "turn on the light please",
    "tell me a story about the moon",
    "what is two plus three",
    "hello how are you",
    "i feel sad today",
]


@functools.lru_cache(maxsize=64)
def speak(text: str, voice: str = "en-us", speed: int = 150) -> bytes:
    """WAV bytes of espeak-ng saying ``text`` (Chinese through the pinyin voice, as the product does)."""
    if voice == "zh":
        from audio.text_to_speech import espeak_input

        voice, text = espeak_input(text, "zh")
    return subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "--stdout", text], capture_output=True, check=True
    ).stdout


def samples_of(wav: bytes) -> tuple[np.ndarray, int]:
    data, rate = soundfile.read(io.BytesIO(wav), dtype="float32")
    return data, rate


def encode(samples: np.ndarray, rate: int, fmt: str, subtype: str | None = None) -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, samples, rate, format=fmt, subtype=subtype)
    return buffer.getvalue()


def webm(wav: bytes) -> bytes:
    """WebM/Opus, as a browser's MediaRecorder makes it (ffmpeg with libopus)."""
    done = subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-i", "pipe:0", "-c:a", "libopus", "-f", "webm", "pipe:1"],
        input=wav,
        capture_output=True,
        check=True,
    )
    return done.stdout


def tone(seconds: float = 3.0, hz: float = 440.0, rate: int = 16000) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    return encode((0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32), rate, "WAV", "PCM_16")


def noise(seconds: float = 3.0, rate: int = 16000) -> bytes:
    rng = np.random.default_rng(3)
    return encode(rng.normal(0, 0.1, int(seconds * rate)).astype(np.float32), rate, "WAV", "PCM_16")


@pytest.fixture(autouse=True)
def _daytime():
    with time_machine.travel(timezone.now().replace(hour=2, minute=0), tick=True):  # 10:00 in Shanghai
        yield


class Family:
    def __init__(self, email: str, *, scopes: list[str], language: str = "en") -> None:
        self.parent = make_parent(email)
        self.child = make_child(self.parent, name="Lily", age=6, scopes=scopes)
        ChildProfile.objects.filter(pk=self.child.pk).update(language=language)
        self.child.refresh_from_db()
        self.sibling = make_child(self.parent, name="Tom", age=9, scopes=scopes)
        ChildProfile.objects.filter(pk=self.sibling.pk).update(language=language)
        device, tokens = pair_device(self.parent, self.child)
        self.device_id = device.pk
        self.device = bearer(APIClient(), tokens["access"])
        self.web = login(self.parent.email)


ALL_VOICE = ["chat", "voice", "voiceprint"]


@pytest.fixture
def family(db) -> Family:
    return Family("voice.family@example.com", scopes=ALL_VOICE)


@pytest.fixture
def quiet_family(db) -> Family:
    """Chat consent only: no voice, no voiceprints."""
    return Family("quiet.family@example.com", scopes=["chat"])


@pytest.fixture
def fake_openai():
    """The local OpenAI-compatible server (chat, transcriptions, speech) on 127.0.0.1."""
    from tests.conversations.fake_openai import FakeOpenAI

    with FakeOpenAI() as fake:
        yield fake
