"""Speech speed and quality (issue 11): TTS and STT real-time factors, preprocessing cost, free-form word
error rate, and the voice chat's end-to-end latency for a 3 s question with the builtin engines.

    .venv/bin/python bench/bench_audio.py [--rounds 5]

English speech is espeak-ng's (en-us and three variants), Chinese TTS the cmn-latn-pinyin voice. The
real-time factor is processing time / audio duration. Free-form WER is pocketsphinx's bundled en-us
model on espeak speech (Levenshtein over words). The voice chat is ``POST /api/v1/chat/voice/`` through
Django's test client on SQLite (decode, preprocess, pocketsphinx on free speech, the pipeline with the
builtin engine and the safety model, espeak-ng for the reply), beside a typed ``POST /api/v1/chat/`` of
the same words in the same run. Exits 1 if a target is missed: TTS RTF <= 0.1, pocketsphinx RTF <= 0.5,
preprocessing <= 10 ms per second of audio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as common

SENTENCES = [
    "turn on the light please",
    "tell me a story about the moon",
    "what is two plus three",
    "hello how are you",
    "i feel sad today",
    "can you help me with my homework",
    "why is the sky blue",
    "i like playing football with my friends",
]
VOICES = ["en-us", "en-us+f3", "en-us+m3", "en-gb"]
CHINESE = "你好！我们来讲一个关于月亮的故事吧。小兔子想去月亮上看看。"


def word_errors(reference: str, hypothesis: str) -> int:
    ref, hyp = reference.split(), hypothesis.split()
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        previous, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (r != h))
    return row[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="hp-bench-audio-")
    os.environ.setdefault("SECRET_KEY", common.SECRET_KEY)
    os.environ["TTS_CACHE_SECONDS"] = "0"  # every synthesis measured, none served from the cache
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    common.setup_django(
        {"DJANGO_SETTINGS_MODULE": "happy_partner.settings", "ALLOWED_HOSTS": "testserver", "SECURE_SSL_REDIRECT": "0"}
    )
    import subprocess

    from audio.clips import clip_decode
    from audio.processing import clip_preprocess
    from audio.speech_to_text import speech_transcribe
    from audio.text_to_speech import Voice, speech_synthesize

    info = common.machine()
    common.print_machine(info)
    results: dict[str, float] = {}

    # Text to speech.
    for language, texts in (("en", SENTENCES), ("zh", [CHINESE])):
        spent = produced = 0.0
        for _ in range(args.rounds):
            for text in texts:
                started = time.perf_counter()
                speech = speech_synthesize(text=text, voice=Voice(language=language))
                spent += time.perf_counter() - started
                produced += speech.duration
        results[f"tts_rtf_{language}"] = spent / produced
    # Speech to text and preprocessing.
    clips = []
    for voice in VOICES:
        for text in SENTENCES:
            wav = subprocess.run(["espeak-ng", "-v", voice, "--stdout", text], capture_output=True, check=True).stdout
            clips.append((text, clip_decode(wav)))
    pre_spent = pre_audio = 0.0
    processed = []
    for _ in range(args.rounds):
        for text, clip in clips:
            started = time.perf_counter()
            done = clip_preprocess(clip)
            pre_spent += time.perf_counter() - started
            pre_audio += clip.duration
            processed.append((text, done))
    processed = processed[: len(clips)]
    results["preprocess_ms_per_s"] = pre_spent * 1000 / pre_audio
    speech_transcribe(audio=processed[0][1], language="en")  # the decoder's one-off load, not measured
    for mode, phrases in (("grammar", SENTENCES), ("free", ())):
        spent = audio = 0.0
        errors = words = exact = 0
        for text, done in processed:
            started = time.perf_counter()
            try:
                heard = speech_transcribe(audio=done, language="en", phrases=phrases).text
            except Exception:
                heard = ""
            spent += time.perf_counter() - started
            audio += done.duration
            errors += word_errors(text, heard)
            words += len(text.split())
            exact += heard == text
        results[f"stt_rtf_{mode}"] = spent / audio
        results[f"stt_wer_{mode}"] = errors / words
        results[f"stt_exact_{mode}"] = exact / len(processed)

    # Voice chat end to end, beside typed chat, on the builtin engines.
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from rest_framework.test import APIClient

    from accounts.models import ChildProfile, ParentalControls
    from accounts.services.children import child_create
    from accounts.services.devices import device_pair, pairing_code_create
    from accounts.services.users import user_register

    call_command("migrate", verbosity=0, interactive=False)
    parent = user_register(email="bench.voice@example.com", password="bench-voice-password-1", display_name="P")  # noqa: S106
    child = child_create(actor=parent, display_name="Lily", age=7, consent_scopes=["chat", "voice"])
    ChildProfile.objects.filter(pk=child.pk).update(language="en")
    # Any hour of the day: the benchmark measures answers, not the rest-time refusal.
    whole_day = {"weekday_start": dt.time(0, 0), "weekday_end": dt.time(23, 59)}
    ParentalControls.objects.filter(child=child).update(
        **whole_day, weekend_start=dt.time(0, 0), weekend_end=dt.time(23, 59)
    )
    _pairing, code = pairing_code_create(actor=parent, child=child)
    _device, tokens = device_pair(code=code, device_name="Bench", ip="127.0.0.1")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    question = "can you help me with my homework"
    wav = subprocess.run(["espeak-ng", "-v", "en-us", "-s", "110", "--stdout", question], capture_output=True).stdout
    seconds = clip_decode(wav).duration
    voice_times, typed_times = [], []
    for _ in range(2):  # warm: the safety model, the decoder of this thread, the agents' tables
        client.post("/api/v1/chat/voice/", {"audio": SimpleUploadedFile("q.wav", wav)}, format="multipart")
        client.post("/api/v1/chat/", {"text": question}, format="json")
    for _ in range(args.rounds * 4):
        started = time.perf_counter()
        response = client.post("/api/v1/chat/voice/", {"audio": SimpleUploadedFile("q.wav", wav)}, format="multipart")
        voice_times.append(time.perf_counter() - started)
        assert response.status_code == 200 and response.json()["refusal"] is None, response.content
        started = time.perf_counter()
        response = client.post("/api/v1/chat/", {"text": question}, format="json")
        typed_times.append(time.perf_counter() - started)
        assert response.status_code == 200 and response.json()["refusal"] is None, response.content

    print(f"\nTTS real-time factor: English {results['tts_rtf_en']:.4f}, Chinese {results['tts_rtf_zh']:.4f}")
    print(f"preprocessing: {results['preprocess_ms_per_s']:.2f} ms per second of audio")
    for mode in ("grammar", "free"):
        print(
            f"pocketsphinx {mode}: real-time factor {results[f'stt_rtf_{mode}']:.3f}, word error rate "
            f"{results[f'stt_wer_{mode}']:.1%}, exact {results[f'stt_exact_{mode}']:.0%} of {len(processed)}"
        )
    voice_p50, typed_p50 = statistics.median(voice_times) * 1000, statistics.median(typed_times) * 1000
    voice_p95 = common.percentile([t * 1000 for t in voice_times], 95)
    print(
        f"voice chat, {seconds:.1f} s question: p50 {voice_p50:.0f} ms, p95 {voice_p95:.0f} ms; "
        f"typed chat p50 {typed_p50:.0f} ms ({voice_p50 / typed_p50:.1f}x)"
    )
    ok = (
        results["tts_rtf_en"] <= 0.1
        and results["tts_rtf_zh"] <= 0.1
        and results["stt_rtf_grammar"] <= 0.5
        and results["stt_rtf_free"] <= 0.5
        and results["preprocess_ms_per_s"] <= 10
    )
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
