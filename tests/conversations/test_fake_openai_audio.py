"""The fake OpenAI server's audio endpoints (tests/conversations/fake_openai.py) speak the real protocol.

Speech-to-text and text-to-speech clients are tested against this fake, so it is itself checked
over real HTTP here: multipart uploads are parsed byte for byte, replies have OpenAI's shapes, the
synthesized WAV is a real WAV, and the failure modes reach the audio paths.
"""

from __future__ import annotations

import io
import json
import math
import wave

import httpx
import pytest

from tests.conversations.fake_openai import FakeOpenAI, Mode

TRANSCRIPTIONS = "/audio/transcriptions"
SPEECH = "/audio/speech"


def _wav(seconds: float, rate: int = 16_000) -> bytes:
    """A mono 16-bit WAV of ``seconds`` of a sine whose bytes include CR, LF and every other value."""
    frames = bytearray()
    for i in range(round(seconds * rate)):
        sample = round(8000 * math.sin(2 * math.pi * 300 * i / rate))
        frames += sample.to_bytes(2, "little", signed=True)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(bytes(frames) + b"\r\n\r\n--\r\n")  # a tail that looks like a boundary line
    return buffer.getvalue()


def _transcribe(fake: FakeOpenAI, audio: bytes, **fields: str) -> httpx.Response:
    data = {"model": "whisper-1", **fields}
    return httpx.post(
        fake.base_url + TRANSCRIPTIONS,
        files={"file": ("voice note.wav", audio, "audio/wav")},
        data=data,
        headers={"Authorization": "Bearer sk-test"},
        timeout=5,
    )


def _speak(fake: FakeOpenAI, **body: object) -> httpx.Response:
    payload = {"model": "tts-1", "voice": "alloy", **body}
    return httpx.post(fake.base_url + SPEECH, json=payload, timeout=5)


def _wav_info(data: bytes) -> tuple[int, int, int, float]:
    with wave.open(io.BytesIO(data), "rb") as reader:
        rate = reader.getframerate()
        return reader.getnchannels(), reader.getsampwidth(), rate, reader.getnframes() / rate


def test_transcription_json_returns_the_configured_text_and_records_the_upload(fake_openai: FakeOpenAI) -> None:
    fake_openai.set_audio(transcript="你好，小熊")
    audio = _wav(0.5)

    response = _transcribe(fake_openai, audio, language="zh", prompt="小熊 恐龙")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"text": "你好，小熊"}
    request = fake_openai.last_request
    assert request.path == "/v1/audio/transcriptions"
    assert request.form == {"model": "whisper-1", "language": "zh", "prompt": "小熊 恐龙"}
    assert request.files == {"file": audio}  # byte for byte, CR/LF and boundary-like tail included
    assert request.filenames == {"file": "voice note.wav"}
    assert request.headers["authorization"] == "Bearer sk-test"


def test_transcription_verbose_json_reports_the_wav_duration_language_and_confidence(
    fake_openai: FakeOpenAI,
) -> None:
    fake_openai.set_audio(transcript="我喜欢恐龙", language="chinese", avg_logprob=-0.3)
    audio = _wav(1.25)
    with wave.open(io.BytesIO(audio), "rb") as reader:
        expected = reader.getnframes() / reader.getframerate()

    response = _transcribe(fake_openai, audio, language="zh", response_format="verbose_json")

    assert response.status_code == 200
    body = response.json()
    assert body["task"] == "transcribe"
    assert body["language"] == "chinese"
    assert body["text"] == "我喜欢恐龙"
    assert body["duration"] == pytest.approx(expected)
    assert body["duration"] == pytest.approx(1.25, abs=0.01)
    [segment] = body["segments"]
    assert segment["id"] == 0
    assert segment["start"] == 0.0
    assert segment["end"] == pytest.approx(expected)
    assert segment["text"] == "我喜欢恐龙"
    assert segment["avg_logprob"] == -0.3
    assert segment["no_speech_prob"] == 0.01
    assert fake_openai.last_request.form["response_format"] == "verbose_json"


def test_transcription_verbose_json_names_the_requested_language_and_falls_back_on_duration(
    fake_openai: FakeOpenAI,
) -> None:
    fake_openai.set_audio(transcript="hello", duration=2.5)

    response = _transcribe(fake_openai, b"\x1aE\xdf\xa3 webm, not a wav", language="en", response_format="verbose_json")

    body = response.json()
    assert body["language"] == "english"
    assert body["duration"] == 2.5
    assert body["segments"][0]["end"] == 2.5
    assert body["segments"][0]["avg_logprob"] == -0.2


def test_transcription_text_is_plain_text(fake_openai: FakeOpenAI) -> None:
    fake_openai.set_audio(transcript="讲个故事吧")

    response = _transcribe(fake_openai, _wav(0.2), response_format="text")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == "讲个故事吧"


def test_transcription_refuses_an_upload_without_a_file(fake_openai: FakeOpenAI) -> None:
    response = httpx.post(fake_openai.base_url + TRANSCRIPTIONS, files={"model": (None, "whisper-1")}, timeout=5)

    assert response.status_code == 400
    assert response.json()["error"]["type"] == "invalid_request_error"
    assert fake_openai.last_request.form == {"model": "whisper-1"}
    assert fake_openai.last_request.files == {}


def test_speech_is_a_24khz_mono_wav_that_grows_with_the_input(fake_openai: FakeOpenAI) -> None:
    short = _speak(fake_openai, input="你好")
    long = _speak(fake_openai, input="从前有一只小熊，它住在森林里，每天都去河边看鱼。" * 3)

    for response in (short, long):
        assert response.status_code == 200
        assert response.headers["content-type"] == "audio/wav"
    short_info, long_info = _wav_info(short.content), _wav_info(long.content)
    assert short_info[:3] == (1, 2, 24_000)
    assert long_info[:3] == (1, 2, 24_000)
    assert short_info[3] == pytest.approx(0.3, abs=0.01)  # the floor
    assert long_info[3] == pytest.approx(0.06 * 72, abs=0.01)
    assert long_info[3] > short_info[3]
    with wave.open(io.BytesIO(long.content), "rb") as reader:
        frames = reader.readframes(reader.getnframes())
    peak = max(abs(int.from_bytes(frames[i : i + 2], "little", signed=True)) for i in range(0, len(frames), 2))
    assert 1000 < peak < 8000  # a quiet tone, not silence
    assert fake_openai.last_request.json["voice"] == "alloy"


def test_speech_without_input_is_a_400(fake_openai: FakeOpenAI) -> None:
    for body in ({"input": ""}, {}):
        response = _speak(fake_openai, **body)
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["type"] == "invalid_request_error"
        assert error["param"] == "input"


def test_speech_refuses_formats_it_cannot_encode(fake_openai: FakeOpenAI) -> None:
    response = _speak(fake_openai, input="hi", response_format="mp3")

    assert response.status_code == 400
    assert response.json()["error"]["param"] == "response_format"


@pytest.mark.parametrize("path", [TRANSCRIPTIONS, SPEECH])
def test_error_500_reaches_the_audio_paths(fake_openai: FakeOpenAI, path: str) -> None:
    fake_openai.set_mode(Mode.ERROR_500)

    response = _transcribe(fake_openai, _wav(0.2)) if path == TRANSCRIPTIONS else _speak(fake_openai, input="hi")

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["type"] == "server_error"
    assert error["message"]
    assert fake_openai.last_request.path == "/v1" + path


def test_rate_limit_then_ok_on_transcription(fake_openai: FakeOpenAI) -> None:
    fake_openai.set_audio(transcript="ok now")
    fake_openai.set_mode(Mode.RATE_LIMIT_THEN_OK, failures=1, retry_after="2")

    first = _transcribe(fake_openai, _wav(0.2))
    second = _transcribe(fake_openai, _wav(0.2))

    assert first.status_code == 429
    assert first.headers["retry-after"] == "2"
    assert first.json()["error"]["type"] == "rate_limit_error"
    assert second.status_code == 200
    assert second.json() == {"text": "ok now"}


def test_malformed_json_transcription_is_a_200_that_does_not_parse(fake_openai: FakeOpenAI) -> None:
    fake_openai.set_mode(Mode.MALFORMED_JSON)

    response = _transcribe(fake_openai, _wav(0.2))

    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_stall_delays_the_audio_reply_past_a_client_timeout(fake_openai: FakeOpenAI) -> None:
    fake_openai.set_mode(Mode.STALL, stall_seconds=5)

    with pytest.raises(httpx.ReadTimeout):
        httpx.post(fake_openai.base_url + SPEECH, json={"model": "tts-1", "voice": "alloy", "input": "hi"}, timeout=0.3)


def test_chat_completions_still_answered_and_unknown_paths_404(fake_openai: FakeOpenAI) -> None:
    fake_openai.set_mode(Mode.NORMAL, text="still here")

    chat = httpx.post(
        fake_openai.base_url + "/chat/completions",
        json={"model": "m", "messages": [{"role": "user", "content": "hi"}]},
        timeout=5,
    )
    unknown = httpx.post(fake_openai.base_url + "/audio/translations", json={}, timeout=5)

    assert chat.json()["choices"][0]["message"]["content"] == "still here"
    assert fake_openai.requests[0].form == {}
    assert unknown.status_code == 404
