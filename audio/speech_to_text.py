"""Speech to text behind one interface: pocketsphinx offline (English), or an OpenAI-compatible
``/v1/audio/transcriptions`` server (faster-whisper-server, FunASR, vLLM, OpenAI) for Chinese and better
English.

Honest limits, measured in bench/bench_audio.py: pocketsphinx's bundled en-us model gets most words of
free speech wrong (espeak-ng's voice even more so); given ``phrases`` (a JSGF grammar: the utterance
is one of them) it is exact, which suits commands, quizzes and tests. No offline Chinese recogniser
can be installed here without downloading a model, so Chinese needs ``STT_BASE_URL`` (one setting)
and is refused with ``language_unsupported`` until then. An engine that fails is an error the client
can act on (``speech_to_text_unavailable``, retry or type), never a transcript; no words heard is
``speech_unrecognised``.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import math
import queue
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
import numpy as np
import soundfile
from django.conf import settings
from django.utils.translation import gettext as _

from audio.errors import engine_failed, language_unsupported, speech_unrecognised
from audio.processing import RATE, Processed
from conversations.api.serializers import TEXT_MAX
from happy_partner.errors import ApplicationError

logger = logging.getLogger(__name__)

LANGUAGE_NAMES = {"english": "en", "chinese": "zh", "mandarin": "zh"}  # Whisper reports names
EDGE_SILENCE_SECONDS = 0.3  # pocketsphinx drops a last word that ends on the last sample
MAX_PHRASES = 200
GRAMMARS_KEPT = 8  # phrase lists compiled per decoder, the most recently used
_WORD = re.compile(r"[a-z']+")


@dataclass(frozen=True)
class Transcript:
    text: str
    language: str
    duration: float
    confidence: float | None  # 0–1 where the engine gives one
    engine: str


class Transcriber(Protocol):
    name: str

    def transcribe(self, audio: Processed, *, language: str, phrases: Sequence[str] = ()) -> Transcript: ...


def language_code(language: str) -> str:
    """``zh-hans`` → ``zh``, ``en`` → ``en``: the engines speak ISO 639-1."""
    return language.split("-")[0].lower()


def transcriber_for(language: str) -> Transcriber:
    code = language_code(language)
    engine = {"en": settings.STT_ENGINE_EN, "zh": settings.STT_ENGINE_ZH}.get(code, "none")
    if engine == "pocketsphinx":
        return _pocketsphinx
    if engine == "openai":
        return OpenAITranscriber()
    raise language_unsupported(code)


def speech_transcribe(*, audio: Processed, language: str, phrases: Sequence[str] = ()) -> Transcript:
    """What was said in ``audio`` (preprocessed), by the engine configured for ``language``."""
    transcript = transcriber_for(language).transcribe(audio, language=language_code(language), phrases=phrases)
    text = transcript.text.strip()[:TEXT_MAX]  # no more than a typed message may hold
    if not any(ch.isalnum() for ch in text):
        raise speech_unrecognised()
    return dataclasses.replace(transcript, text=text)


def phrases_clean(phrases: Sequence[str]) -> list[str]:
    """Phrases as pocketsphinx's grammar takes them: lower-case words, apostrophes kept, deduplicated."""
    out: list[str] = []
    for phrase in phrases[:MAX_PHRASES]:
        words = " ".join(_WORD.findall(phrase.lower()))
        if words and words not in out:
            out.append(words)
    return out


class _Decoder:
    """One pocketsphinx decoder (~90 MB) and the phrase grammars compiled on it, the most recent kept."""

    def __init__(self, grammar: bool) -> None:
        from pocketsphinx import Decoder

        # bestpath off: its lattice rescoring drops grammar-final words on synthetic speech. Grammar
        # searches get wide beams (a grammar is small, so they cost little: 30 of 32 espeak sentences
        # exact in four voices instead of 24); free speech keeps the defaults, whose real-time factor
        # the wide beams would double.
        wide = {"beam": 1e-100, "wbeam": 1e-80, "pbeam": 1e-100, "maxhmmpf": -1} if grammar else {}
        self.ps = Decoder(samprate=RATE, bestpath=False, loglevel="FATAL", **wide)
        self.grammars: OrderedDict[tuple[str, ...], str] = OrderedDict()
        self.serial = 0

    def activate(self, phrases: list[str]) -> None:
        key = tuple(phrases)
        name = self.grammars.get(key)
        if name is None:
            known = [p for p in phrases if all(self.ps.lookup_word(w) is not None for w in p.split())]
            if not known:
                raise ApplicationError(
                    code="invalid_phrases", message=_("None of these phrases can be recognised. Use English words.")
                )
            self.serial += 1
            name = f"g{self.serial}"
            self.ps.add_jsgf_string(
                name, "#JSGF V1.0;\ngrammar phrases;\npublic <phrase> = " + " | ".join(known) + ";\n"
            )
            self.grammars[key] = name
        self.grammars.move_to_end(key)
        self.ps.activate_search(name)
        while len(self.grammars) > GRAMMARS_KEPT:  # a client sending new lists each time costs no memory
            _old, evicted = self.grammars.popitem(last=False)
            self.ps.remove_search(evicted)


class _DecoderPool:
    """At most ``STT_DECODERS`` decoders of one kind in the process, each lent to one request at a time
    (a decoder is not thread-safe); a request waits for a free one rather than loading another."""

    def __init__(self, grammar: bool) -> None:
        self.grammar = grammar
        self.free: queue.LifoQueue[_Decoder] = queue.LifoQueue()
        self.made = 0
        self.lock = threading.Lock()

    @contextmanager
    def lend(self) -> Iterator[_Decoder]:
        try:
            decoder = self.free.get_nowait()
        except queue.Empty:
            with self.lock:
                make = self.made < settings.STT_DECODERS
                self.made += make
            if make:
                try:
                    decoder = _Decoder(self.grammar)
                except BaseException:
                    with self.lock:
                        self.made -= 1
                    raise
            else:
                try:
                    decoder = self.free.get(timeout=settings.STT_TIMEOUT_SECONDS)
                except queue.Empty:
                    logger.warning("no pocketsphinx decoder free for %s s", settings.STT_TIMEOUT_SECONDS)
                    raise engine_failed("speech_to_text") from None
        try:
            yield decoder
        finally:
            self.free.put(decoder)


class PocketSphinxTranscriber:
    """Offline English, on a bounded pool of decoders per kind (grammar, free speech)."""

    name = "pocketsphinx"
    languages = ("en",)

    def __init__(self) -> None:
        self.pools = {True: _DecoderPool(grammar=True), False: _DecoderPool(grammar=False)}

    def transcribe(self, audio: Processed, *, language: str, phrases: Sequence[str] = ()) -> Transcript:
        if language not in self.languages:
            raise language_unsupported(language)
        pad = np.zeros(int(EDGE_SILENCE_SECONDS * RATE), dtype=np.float32)
        pcm = (np.clip(np.concatenate([pad, audio.samples, pad]), -1, 1) * 32767).astype("<i2").tobytes()
        with self.pools[bool(phrases)].lend() as decoder:
            if phrases:
                decoder.activate(phrases_clean(phrases))
            try:
                decoder.ps.start_utt()
                decoder.ps.process_raw(pcm, full_utt=True)
                decoder.ps.end_utt()
            except RuntimeError as exc:
                logger.error("pocketsphinx failed (%s)", type(exc).__name__)
                raise engine_failed("speech_to_text") from None
            hypothesis = decoder.ps.hyp()
        text = hypothesis.hypstr if hypothesis is not None else ""
        # No confidence: without the best-path pass (see _Decoder) pocketsphinx reports a posterior of 1.
        return Transcript(text, language, round(audio.duration, 3), None, self.name)


_pocketsphinx = PocketSphinxTranscriber()


class OpenAITranscriber:
    """``POST {STT_BASE_URL}/audio/transcriptions``, multipart: the preprocessed audio as a 16 kHz WAV,
    the model, the language, ``verbose_json`` so the language, duration and segment log-probabilities
    come back (confidence = exp of their mean, where given)."""

    name = "openai"

    def transcribe(self, audio: Processed, *, language: str, phrases: Sequence[str] = ()) -> Transcript:
        buffer = io.BytesIO()
        soundfile.write(buffer, audio.samples, audio.rate, format="WAV", subtype="PCM_16")
        form = {"model": settings.STT_MODEL, "language": language, "response_format": "verbose_json"}
        if phrases:
            form["prompt"] = ", ".join(phrases[:MAX_PHRASES])  # Whisper's way to bias towards words
        headers = {"Authorization": f"Bearer {settings.STT_API_KEY}"} if settings.STT_API_KEY else {}
        url = settings.STT_BASE_URL.rstrip("/") + "/audio/transcriptions"
        started = time.perf_counter()
        try:
            response = httpx.post(
                url,
                data=form,
                files={"file": ("speech.wav", buffer.getvalue(), "audio/wav")},
                headers=headers,
                timeout=settings.STT_TIMEOUT_SECONDS,
            )
            body = response.json() if response.status_code == 200 else None
        except (httpx.HTTPError, ValueError) as exc:
            logger.warning("speech to text server failed (%s)", type(exc).__name__)
            raise engine_failed("speech_to_text") from None
        if not isinstance(body, dict) or not isinstance(body.get("text"), str):
            logger.warning("speech to text server answered %s without a transcript", response.status_code)
            raise engine_failed("speech_to_text")
        logger.info("speech transcribed engine=openai ms=%d", (time.perf_counter() - started) * 1000)
        reported = str(body.get("language") or language).lower()
        duration = body.get("duration")
        return Transcript(
            text=body["text"].strip(),
            language=LANGUAGE_NAMES.get(reported, language_code(reported)),
            duration=round(float(duration), 3)
            if isinstance(duration, int | float) and math.isfinite(duration) and duration >= 0
            else round(audio.duration, 3),
            confidence=_confidence(body.get("segments")),
            engine=self.name,
        )


def _confidence(segments: Any) -> float | None:
    if not isinstance(segments, list):
        return None
    logprobs = [
        s["avg_logprob"] for s in segments if isinstance(s, dict) and isinstance(s.get("avg_logprob"), int | float)
    ]
    if not logprobs:
        return None
    mean = sum(logprobs) / len(logprobs)
    if not math.isfinite(mean):
        return None
    return round(math.exp(min(0.0, mean)), 3)  # a log-probability above 0 is a server's error: 1
