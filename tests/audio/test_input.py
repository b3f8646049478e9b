"""Audio in: every accepted format decodes, everything else is refused with the right status and code,
preprocessing reports its steps in order with true durations, and hostile files never crash."""

from __future__ import annotations

import base64
import struct

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audio.clips import AudioFormat, clip_decode, sniff_format
from audio.processing import EDGE_PAD_SECONDS, RATE, clip_preprocess, resample
from happy_partner.errors import ApplicationError
from tests.audio.conftest import encode, noise, samples_of, speak, tone, webm

SENTENCE = "Can you tell me a story about a brave little fox?"


def _upload(data: bytes, name: str = "a.wav") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _formats() -> dict[str, bytes]:
    wav = speak(SENTENCE)
    samples, rate = samples_of(wav)
    return {
        "wav": wav,
        "flac": encode(samples, rate, "FLAC"),
        "ogg": encode(samples, rate, "OGG", "VORBIS"),
        "opus": encode(resample(samples, rate, 48000), 48000, "OGG", "OPUS"),
        "mp3": encode(samples, rate, "MP3"),
        "webm": webm(wav),
    }


@pytest.mark.parametrize("name", ["wav", "flac", "ogg", "opus", "mp3", "webm"])
def test_every_accepted_format_decodes_to_the_same_length(name):
    data = _formats()[name]
    clip = clip_decode(data)
    original = clip_decode(speak(SENTENCE))
    assert abs(clip.duration - original.duration) < 0.1, (name, clip.duration, original.duration)
    assert clip.source_format == (AudioFormat.OGG if name == "opus" else AudioFormat(name))


def test_a_renamed_file_is_read_for_what_it_is_and_text_is_refused():
    assert sniff_format(_formats()["flac"][:16]) == AudioFormat.FLAC
    with pytest.raises(ApplicationError) as refused:
        clip_decode(b"hello, this is not a sound at all" * 10)
    assert refused.value.code == "unsupported_audio"


@pytest.mark.parametrize(
    "data, code",
    [
        (b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 40, "corrupt_audio"),  # a WAV header, no sound
        (b"fLaC" + bytes(range(256)) * 4, "corrupt_audio"),
        (b"OggS" + b"\xff" * 500, "corrupt_audio"),
        (b"\x1a\x45\xdf\xa3" + b"\x00" * 300, "corrupt_audio"),
        (b"ID3" + b"\x00" * 300, "corrupt_audio"),
    ],
)
def test_damaged_files_are_400_saying_so(data, code):
    with pytest.raises(ApplicationError) as refused:
        clip_decode(data)
    assert refused.value.code == code


def test_a_header_claiming_hours_is_too_long_without_decoding_them(settings):
    settings.AUDIO_MAX_SECONDS = 5
    header = b"RIFF" + struct.pack("<I", 2**31) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, 16000, 32000, 2, 16)
    data = header + b"data" + struct.pack("<I", 2**31 - 100) + b"\x01\x00" * 16000 * 6
    with pytest.raises(ApplicationError) as refused:
        clip_decode(data)
    assert refused.value.code == "audio_too_long" and refused.value.kind.value == "too_large"


def test_silence_is_refused(settings):
    silent = encode(np.zeros(16000, dtype=np.float32), 16000, "WAV", "PCM_16")
    with pytest.raises(ApplicationError) as refused:
        clip_decode(silent)
    assert refused.value.code == "silent_audio"


def test_preprocessing_reports_its_steps_in_order_with_true_durations():
    samples, rate = samples_of(speak(SENTENCE))
    pause = np.zeros(int(1.5 * rate), dtype=np.float32)
    edges = np.zeros(int(0.8 * rate), dtype=np.float32)
    stereo = np.stack([np.concatenate([edges, samples, pause, samples, edges])] * 2, axis=1) * 0.1
    clip = clip_decode(encode(stereo, rate, "WAV", "PCM_16"))
    processed = clip_preprocess(clip)
    names = [s.name for s in processed.steps]
    assert names == ["mono", "resample", "trim_silence", "shorten_pauses", "normalise_loudness"]
    for before, after in zip(processed.steps, processed.steps[1:], strict=False):
        assert after.duration_before == before.duration_after  # each step starts where the last ended
    assert processed.steps[0].duration_before == pytest.approx(clip.duration, abs=0.001)
    alone = clip_preprocess(clip_decode(speak(SENTENCE))).steps[1]  # espeak's own edges, trimmed alike
    trim = processed.steps[2]
    assert clip.duration - trim.duration_after == pytest.approx(
        1.6 + alone.duration_before - alone.duration_after, abs=0.05
    )
    pauses = processed.steps[3]
    # The pause is 1.5 s plus espeak's own silence after and before a sentence (what trimming took off
    # the lone sentence, plus the padding trimming keeps on both sides); 0.3 s of it stays.
    own_edges = alone.duration_before - alone.duration_after + 2 * EDGE_PAD_SECONDS
    assert pauses.duration_before - pauses.duration_after == pytest.approx(1.5 + own_edges - 0.3, abs=0.06)
    assert processed.rate == RATE and processed.duration == pytest.approx(processed.steps[-1].duration_after, abs=0.001)
    rms = float(np.sqrt(np.mean(processed.samples**2)))
    assert 0.03 < rms < 0.2 and float(np.max(np.abs(processed.samples))) <= 0.9 + 1e-3  # loud enough, no clipping


def test_the_process_endpoint(family):
    response = family.device.post(
        "/api/v1/audio/process/", {"audio": _upload(_formats()["mp3"]), "include_audio": True}, format="multipart"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["format"] == "mp3" and body["sample_rate"] == 16000 and body["sample_rate_before"] == 22050
    assert [s["step"] for s in body["steps"]] == ["resample", "trim_silence", "shorten_pauses", "normalise_loudness"]
    assert body["duration_after"] == body["steps"][-1]["duration_after"] < body["duration_before"]
    out = clip_decode(base64.b64decode(body["audio"]))
    assert out.rate == 16000 and out.duration == pytest.approx(body["duration_after"], abs=0.01)


@pytest.mark.parametrize(
    "data, status, code",
    [
        (b"%PDF-1.4 not audio" * 20, 415, "unsupported_audio"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, 415, "unsupported_audio"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 40, 400, "corrupt_audio"),
    ],
)
def test_bad_uploads_get_clear_errors(family, data, status, code):
    response = family.device.post("/api/v1/audio/process/", {"audio": _upload(data)}, format="multipart")
    assert response.status_code == status and response.json()["error"]["code"] == code


def test_size_and_duration_limits_are_413(family, settings):
    settings.AUDIO_MAX_BYTES = 70_000
    big = encode(np.zeros(50_000, dtype=np.float32) + 0.1, 16000, "WAV", "PCM_16")  # 100 KB
    response = family.device.post("/api/v1/audio/process/", {"audio": _upload(big)}, format="multipart")
    assert response.status_code == 413 and response.json()["error"]["code"] == "audio_too_large"
    settings.AUDIO_MAX_BYTES = 10 * 2**20
    settings.AUDIO_MAX_SECONDS = 5
    long = noise(seconds=6)
    response = family.device.post("/api/v1/audio/process/", {"audio": _upload(long)}, format="multipart")
    assert response.status_code == 413 and response.json()["error"]["code"] == "audio_too_long"


def test_a_request_without_the_file_is_400(family):
    response = family.device.post("/api/v1/audio/process/", {}, format="multipart")
    assert response.status_code == 400 and "audio" in response.json()["error"]["fields"]
    response = family.device.post("/api/v1/audio/process/", {"audio": "x"}, format="json")
    assert response.status_code == 415


def test_random_bytes_never_crash():
    rng = np.random.default_rng(5)
    for head in (b"RIFF\x00\x00\x00\x00WAVE", b"fLaC", b"OggS", b"ID3", b"\xff\xfb", b"\x1a\x45\xdf\xa3"):
        for _ in range(5):
            data = head + rng.integers(0, 256, int(rng.integers(10, 5000)), dtype=np.uint8).tobytes()
            try:
                clip_decode(data)
            except ApplicationError as exc:
                assert exc.code in {"corrupt_audio", "silent_audio", "unsupported_audio", "audio_too_long"}


def test_a_tone_decodes_and_is_not_silent():
    clip = clip_decode(tone())
    assert clip.duration == pytest.approx(3.0) and clip.channels == 1


def _wav_header(rate: int, channels: int, frames: int) -> bytes:
    data = (np.sin(np.arange(frames * channels) / 3) * 10000).astype("<i2").tobytes()
    fmt = struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * 2 * channels, 2 * channels, 16)
    return (
        b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " + fmt + b"data" + struct.pack("<I", len(data)) + data
    )


@pytest.mark.parametrize("rate", [1, 999, 2_147_483_647, 99_999_989, 9_999_991])
def test_a_forged_sample_rate_is_damaged_audio_at_once(rate):
    with pytest.raises(ApplicationError) as refused:
        clip_decode(_wav_header(rate, 1, 4000))
    assert refused.value.code == "corrupt_audio"


@pytest.mark.parametrize(
    ("rate", "channels"), [(3000, 1), (7999, 1), (47999, 2), (96000, 2), (192000, 1), (16000, 8), (44100, 6)]
)
def test_odd_rates_and_many_channels_become_mono_16k_without_a_huge_array(rate, channels):
    clip = clip_decode(_wav_header(rate, channels, rate))  # one second
    processed = clip_preprocess(clip, trim=False)
    assert processed.rate == 16000 and processed.samples.ndim == 1
    assert processed.duration == pytest.approx(1.0, abs=0.01)
    if channels > 2 or not 8000 <= rate <= 48000:
        assert clip.rate == 16000 and clip.channels == 1  # decoded by ffmpeg, mixed down as it went
