"""A real local HTTP server speaking the OpenAI chat-completions and audio protocols, for provider tests.

The design allows a fake only for a remote service we cannot run here, and then only one that
speaks the real protocol: this is a ``ThreadingHTTPServer`` on 127.0.0.1 (ephemeral port) serving
``POST /v1/chat/completions`` over HTTP/1.1 with keep-alive, JSON replies with ``Content-Length``
and ``stream: true`` replies as chunked ``text/event-stream`` with ``data:`` events and ``[DONE]``.
Failure modes are chosen per test with :meth:`FakeOpenAI.set_mode`; every request is recorded.

It also serves the two audio endpoints, so speech-to-text and text-to-speech clients are tested
over real HTTP too:

* ``POST /v1/audio/transcriptions``: a ``multipart/form-data`` upload (``file``, ``model``, optional
  ``language``, ``prompt``, ``response_format`` of ``json``/``verbose_json``/``text``), answered with
  the transcript chosen by :meth:`FakeOpenAI.set_audio`; the parsed form fields and file bytes are
  recorded on :attr:`RecordedRequest.form` and :attr:`RecordedRequest.files`.
* ``POST /v1/audio/speech``: a JSON body (``model``, ``input``, ``voice``, ``response_format``,
  ``speed``), answered with a real 16-bit mono 24 kHz WAV whose length grows with ``input``.

``ERROR_500``, ``ERROR_400``, ``RATE_LIMIT_THEN_OK``, ``STALL``, ``MALFORMED_JSON`` and ``SLOW_BODY``
apply to the audio endpoints too; the streaming-only modes answer them normally.

Usage (see the ``fake_openai`` fixture in conftest.py)::

    fake.set_mode(Mode.NORMAL, text="Hi!", chunks=["Hi", "!"])
    ... call the provider with base_url=fake.base_url ...
    assert fake.requests[0].json["model"] == "test-model"

    fake.set_audio(transcript="你好", language="chinese", avg_logprob=-0.3)
    ... upload audio to fake.base_url + "/audio/transcriptions" ...
    assert fake.last_request.form["language"] == "zh" and fake.last_request.files["file"] == wav_bytes
"""

from __future__ import annotations

import contextlib
import email.policy
import io
import json
import socket
import sys
import threading
import time
import wave
from dataclasses import dataclass, field
from email.parser import BytesParser
from enum import StrEnum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np

COMPLETIONS_PATH = "/v1/chat/completions"
TRANSCRIPTIONS_PATH = "/v1/audio/transcriptions"
SPEECH_PATH = "/v1/audio/speech"
SPEECH_SAMPLE_RATE = 24_000  # what OpenAI's text-to-speech sends (its ``pcm`` format is 24 kHz 16-bit mono too)
TRANSCRIPTION_FORMATS = ("json", "verbose_json", "text")
SPEECH_FORMATS = ("wav", "pcm")  # mp3/opus/aac/flac would need an encoder: answered 400, as an unsupported format

# Whisper's ``verbose_json`` names the language in full, while requests carry ISO-639-1 codes.
LANGUAGE_NAMES = {"zh": "chinese", "en": "english", "ja": "japanese", "ko": "korean", "fr": "french", "de": "german"}


class Mode(StrEnum):
    NORMAL = "normal"  # a reply of `text` (streamed as `chunks`, or `text` split in `n_chunks`)
    ERROR_500 = "error_500"  # HTTP `status` (default 500) with an OpenAI error body, every time
    RATE_LIMIT_THEN_OK = "rate_limit_then_ok"  # HTTP 429 (Retry-After: `retry_after`) `failures` times, then NORMAL
    ERROR_400 = "error_400"  # HTTP 400 invalid_request_error
    STALL = "stall"  # say nothing for `stall_seconds` (longer than the client timeout), then NORMAL
    MALFORMED_JSON = "malformed_json"  # 200 with a body (or one stream event) that is not JSON (speech: not a WAV)
    EMPTY_CHOICES = "empty_choices"  # 200 with "choices": [] (stream: no content events, then [DONE])
    STREAM_STALL = "stream_stall"  # stream `stall_after` chunks, then stall `stall_seconds` and hang up
    SLOW_BODY = "slow_body"  # headers at once, then the body one byte every `drip_seconds`


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: bytes
    client_port: int  # the client's source port: equal ports mean a reused connection
    arrived: float = 0.0  # time.monotonic() when the body was read
    sent: list[float] = field(default_factory=list)  # time.monotonic() as each streamed content chunk left
    # A multipart/form-data body (the transcription upload), parsed: text fields, and file fields'
    # bytes and filenames by field name. Empty for JSON requests.
    form: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    filenames: dict[str, str] = field(default_factory=dict)

    @property
    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    @property
    def messages(self) -> list[dict[str, Any]]:
        data = self.json
        return data.get("messages", []) if isinstance(data, dict) else []

    def contents(self, role: str) -> list[str]:
        """The contents of all messages with this role, in order."""
        return [m.get("content", "") for m in self.messages if m.get("role") == role]


@dataclass
class _Config:
    mode: Mode = Mode.NORMAL
    text: str = "Hello from the fake model."
    chunks: list[str] | None = None
    n_chunks: int = 3
    chunk_delay: float = 0.0  # before each streamed chunk ("tokens per second")
    first_delay: float | None = None  # before the first one instead (the model's time to its first token)
    status: int | None = None
    failures: int = 1
    retry_after: str = "0"  # the 429's Retry-After header
    stall_seconds: float = 10.0
    stall_after: int = 2
    drip_seconds: float = 0.1
    model: str | None = None  # echoed model; defaults to the requested one
    force_json: bool = False  # answer JSON even when a stream was requested
    usage: dict[str, int] = field(default_factory=lambda: {"prompt_tokens": 11, "completion_tokens": 7})

    def stream_pieces(self) -> list[str]:
        if self.chunks is not None:
            return list(self.chunks)
        n = max(1, min(self.n_chunks, len(self.text) or 1))
        size = -(-len(self.text) // n) or 1
        return [self.text[i : i + size] for i in range(0, len(self.text), size)] or [""]


@dataclass
class _AudioConfig:
    """What the audio endpoints answer. Kept apart from ``_Config`` so that ``set_mode`` (a failure
    mode for this test) does not forget the transcript a test chose with ``set_audio``."""

    transcript: str = "Hello from the fake transcriber."
    language: str | None = None  # verbose_json's language; None: the request's (named in full), else "english"
    duration: float = 1.0  # verbose_json's duration when the upload is not a WAV the ``wave`` module reads
    avg_logprob: float = -0.2
    no_speech_prob: float = 0.01
    seconds_per_char: float = 0.06  # speech: the WAV lasts this long per character of input ...
    min_seconds: float = 0.3  # ... and at least this long (both divided by the request's speed)
    tone_hz: float = 440.0  # speech: a quiet sine at this pitch, so the audio is not silence


class FakeOpenAI:
    """The server plus the per-test knobs. Use as a context manager or call start()/stop()."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._config = _Config()
        self._audio = _AudioConfig()
        self._requests: list[RecordedRequest] = []
        self._served_in_mode = 0
        self._release = threading.Event()  # set on stop: wakes stalled handlers
        self._connections: set[socket.socket] = set()
        self.errors: list[BaseException] = []  # unexpected server-side exceptions
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---

    def start(self) -> FakeOpenAI:
        self._server = _Server(("127.0.0.1", 0), _Handler, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-openai", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        if self._server is None:
            return
        self._server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:  # hang up on kept-alive and stalled connections
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- test API ---

    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def set_mode(self, mode: Mode | str, **options: Any) -> None:
        """Choose how the next requests are answered; options are the fields of ``_Config``."""
        config = _Config(mode=Mode(mode))
        for key, value in options.items():
            if not hasattr(config, key):
                raise TypeError(f"unknown fake option {key!r}")
            setattr(config, key, value)
        with self._lock:
            self._config = config
            self._served_in_mode = 0

    def set_audio(self, **options: Any) -> None:
        """Choose what the audio endpoints answer; options are the fields of ``_AudioConfig`` (others
        keep their defaults). Independent of ``set_mode``, whose failure modes apply to audio too."""
        config = _AudioConfig()
        for key, value in options.items():
            if not hasattr(config, key):
                raise TypeError(f"unknown fake audio option {key!r}")
            setattr(config, key, value)
        with self._lock:
            self._audio = config

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def last_request(self) -> RecordedRequest:
        requests = self.requests
        assert requests, "the fake received no request"
        return requests[-1]

    # --- used by the handler ---

    def _record(self, request: RecordedRequest) -> tuple[_Config, int]:
        with self._lock:
            self._requests.append(request)
            index = self._served_in_mode
            self._served_in_mode += 1
            return self._config, index

    def _audio_config(self) -> _AudioConfig:
        with self._lock:
            return self._audio

    def _sleep(self, seconds: float) -> None:
        """Sleep that ends early when the server stops, so teardown never waits on a stall."""
        self._release.wait(seconds)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # many clients connect at once (async tests, benchmarks): none waits on SYN retries

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], fake: FakeOpenAI) -> None:
        self.fake = fake
        super().__init__(address, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):
            return  # the client hung up (its timeout, a closed stream): normal in these tests
        if exc is not None:
            self.fake.errors.append(exc)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, chunked streaming: like real servers
    server: _Server
    recorded: RecordedRequest  # the request being answered (its chunks' send times are added to it)
    timeout = 15  # an idle kept-alive connection does not pin a thread forever

    def setup(self) -> None:
        super().setup()
        with self.server.fake._lock:
            self.server.fake._connections.add(self.connection)

    def finish(self) -> None:
        with self.server.fake._lock:
            self.server.fake._connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet test output

    def do_GET(self) -> None:
        self._send_json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        fake = self.server.fake
        form, files, filenames = _parse_multipart(self.headers.get("Content-Type", ""), body)
        self.recorded = RecordedRequest(
            method="POST",
            path=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            client_port=self.client_address[1],
            arrived=time.monotonic(),
            form=form,
            files=files,
            filenames=filenames,
        )
        config, index = fake._record(self.recorded)
        if self.path in (TRANSCRIPTIONS_PATH, SPEECH_PATH):
            try:
                self._answer_audio(config, index)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True
            return
        if self.path != COMPLETIONS_PATH:
            self._send_json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
            return
        try:
            request = json.loads(body)
        except ValueError:
            self._send_json(400, {"error": {"message": "bad json", "type": "invalid_request_error"}})
            return
        stream = request.get("stream") is True and not config.force_json
        model = config.model or request.get("model", "fake")
        try:
            self._answer(config, index, stream, model)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    # --- answers ---

    def _send_failure(self, config: _Config, index: int) -> bool:
        """Answer with the mode's HTTP error, if it has one for this request (every endpoint fails
        alike); False when the request is to be answered normally."""
        mode = config.mode
        if mode is Mode.ERROR_500:
            status = config.status or 500
            self._send_json(status, {"error": {"message": "The server had an error", "type": "server_error"}})
        elif mode is Mode.ERROR_400:
            self._send_json(
                config.status or 400,
                {"error": {"message": "echo: secret prompt", "type": "invalid_request_error", "code": "bad_request"}},
            )
        elif mode is Mode.RATE_LIMIT_THEN_OK and index < config.failures:
            self._send_json(
                429,
                {"error": {"message": "Rate limit reached", "type": "rate_limit_error"}},
                headers={"Retry-After": config.retry_after},
            )
        else:
            return False
        return True

    def _answer(self, config: _Config, index: int, stream: bool, model: str) -> None:
        fake = self.server.fake
        mode = config.mode
        if self._send_failure(config, index):
            return
        if mode is Mode.STALL:
            fake._sleep(config.stall_seconds)
            self._reply(config, stream, model)
        elif mode is Mode.MALFORMED_JSON:
            if stream:
                self._start_stream()
                self._event(_chunk(model, {"role": "assistant", "content": "Hel"}))
                self._write_chunk(b"data: {this is not json\n\n")
                self._event("[DONE]")
                self._end_stream()
            else:
                self._send_raw(200, b'{"choices": [{"message": ', "application/json")
        elif mode is Mode.EMPTY_CHOICES:
            if stream:
                self._start_stream()
                self._event(_chunk(model, {"role": "assistant"}))
                self._event("[DONE]")
                self._end_stream()
            else:
                self._send_json(200, {**_completion_envelope(model, config), "choices": []})
        elif mode is Mode.STREAM_STALL:
            self._start_stream()
            for piece in config.stream_pieces()[: config.stall_after]:
                self._event(_chunk(model, {"content": piece}))
            fake._sleep(config.stall_seconds)
            self.close_connection = True  # hang up mid-stream, no terminating chunk
        elif mode is Mode.SLOW_BODY:
            self._reply(config, stream, model, drip=True)
        else:
            self._reply(config, stream, model)

    def _reply(self, config: _Config, stream: bool, model: str, *, drip: bool = False) -> None:
        fake = self.server.fake
        if not stream:
            payload = _completion_envelope(model, config)
            payload["choices"] = [
                {"index": 0, "message": {"role": "assistant", "content": config.text}, "finish_reason": "stop"}
            ]
            body = json.dumps(payload).encode()
            if not drip:
                self._send_raw(200, body, "application/json")
                return
            self._send_dripped(config, body, "application/json")
            return
        self._start_stream()
        self._event(_chunk(model, {"role": "assistant", "content": ""}))
        for i, piece in enumerate(config.stream_pieces()):
            delay = config.first_delay if i == 0 and config.first_delay is not None else config.chunk_delay
            if delay or drip:
                fake._sleep(config.drip_seconds if drip else delay)
            if fake._release.is_set():
                return
            self._event(_chunk(model, {"content": piece}))
            self.recorded.sent.append(time.monotonic())
        self._event(_chunk(model, {}, finish_reason="stop"))
        self._event("[DONE]")
        self._end_stream()

    # --- audio answers ---

    def _answer_audio(self, config: _Config, index: int) -> None:
        """The audio endpoints under the current mode: its HTTP errors and stall as for chat, a body
        that is not what it claims for MALFORMED_JSON, a dripped body for SLOW_BODY."""
        fake = self.server.fake
        if self._send_failure(config, index):
            return
        if config.mode is Mode.STALL:
            fake._sleep(config.stall_seconds)
        audio = fake._audio_config()
        answer = self._transcription(audio) if self.path == TRANSCRIPTIONS_PATH else self._speech(audio)
        if answer is None:
            return  # a 400 was sent
        body, content_type = answer
        if config.mode is Mode.MALFORMED_JSON:
            if self.path == TRANSCRIPTIONS_PATH:
                body, content_type = b'{"text": ', "application/json"
            else:
                body = b"RIFF\x00\x00 this is not a wav"
        if config.mode is Mode.SLOW_BODY:
            self._send_dripped(config, body, content_type)
        else:
            self._send_raw(200, body, content_type)

    def _transcription(self, audio: _AudioConfig) -> tuple[bytes, str] | None:
        """The body of a transcription reply, or None after a 400 for an upload OpenAI would refuse."""
        form, files = self.recorded.form, self.recorded.files
        if not self.headers.get("Content-Type", "").lower().startswith("multipart/form-data"):
            self._send_invalid("Expected a multipart/form-data body", None)
            return None
        if "file" not in files:
            self._send_invalid("you must provide a file", "file")
            return None
        if not form.get("model"):
            self._send_invalid("you must provide a model parameter", "model")
            return None
        response_format = form.get("response_format") or "json"
        if response_format not in TRANSCRIPTION_FORMATS:
            self._send_invalid(f"response_format {response_format!r} is not supported here", "response_format")
            return None
        if response_format == "text":
            return audio.transcript.encode(), "text/plain; charset=utf-8"
        payload: dict[str, Any] = {"text": audio.transcript}
        if response_format == "verbose_json":
            duration = _wav_duration(files["file"])
            duration = audio.duration if duration is None else duration
            requested = form.get("language", "")
            language = audio.language or LANGUAGE_NAMES.get(requested, requested) or "english"
            payload = {
                "task": "transcribe",
                "language": language,
                "duration": duration,
                "text": audio.transcript,
                "segments": [
                    {
                        "id": 0,
                        "seek": 0,
                        "start": 0.0,
                        "end": duration,
                        "text": audio.transcript,
                        "tokens": [],
                        "temperature": 0.0,
                        "avg_logprob": audio.avg_logprob,
                        "compression_ratio": 1.0,
                        "no_speech_prob": audio.no_speech_prob,
                    }
                ],
            }
        return json.dumps(payload, ensure_ascii=False).encode(), "application/json"

    def _speech(self, audio: _AudioConfig) -> tuple[bytes, str] | None:
        """The body of a speech reply, or None after a 400 for a request OpenAI would refuse."""
        request = self.recorded.json
        if not isinstance(request, dict):
            self._send_invalid("Expected a JSON object body", None)
            return None
        text = request.get("input")
        if not isinstance(text, str) or not text:
            self._send_invalid("Missing required parameter: 'input'.", "input")
            return None
        for name in ("model", "voice"):
            if not request.get(name):
                self._send_invalid(f"Missing required parameter: {name!r}.", name)
                return None
        response_format = request.get("response_format") or "wav"
        if response_format not in SPEECH_FORMATS:
            self._send_invalid(f"response_format {response_format!r} is not supported by this fake", "response_format")
            return None
        speed = request.get("speed", 1.0)
        if not isinstance(speed, int | float) or not 0.25 <= speed <= 4.0:
            self._send_invalid("speed must be between 0.25 and 4.0", "speed")
            return None
        seconds = max(audio.min_seconds, audio.seconds_per_char * len(text)) / speed
        frames = _tone(seconds, audio.tone_hz)
        if response_format == "pcm":
            return frames, "audio/pcm"
        return _wav(frames), "audio/wav"

    def _send_invalid(self, message: str, param: str | None) -> None:
        self._send_json(
            400, {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": None}}
        )

    # --- HTTP plumbing ---

    def _send_headers(self, status: int, content_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()

    def _send_raw(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self._send_headers(status, content_type, {"Content-Length": str(len(body)), **(headers or {})})
        self.wfile.write(body)

    def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        self._send_raw(status, json.dumps(payload).encode(), "application/json", headers)

    def _send_dripped(self, config: _Config, body: bytes, content_type: str) -> None:
        """A 200 whose headers leave at once and whose body follows one byte every ``drip_seconds``."""
        fake = self.server.fake
        self._send_headers(200, content_type, {"Content-Length": str(len(body))})
        for i in range(len(body)):
            self.wfile.write(body[i : i + 1])
            fake._sleep(config.drip_seconds)
            if fake._release.is_set():
                return

    def _start_stream(self) -> None:
        self._send_headers(
            200, "text/event-stream; charset=utf-8", {"Transfer-Encoding": "chunked", "Cache-Control": "no-cache"}
        )

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):X}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _event(self, data: dict[str, Any] | str) -> None:
        text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
        self._write_chunk(f"data: {text}\n\n".encode())

    def _end_stream(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


def _completion_envelope(model: str, config: _Config) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "usage": {**config.usage, "total_tokens": sum(config.usage.values())},
    }


def _chunk(model: str, delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }


def _parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, bytes], dict[str, str]]:
    """A multipart/form-data body's text fields, file fields' bytes and their filenames, by field name.

    The stdlib email parser reads MIME multipart losslessly (binary parts come back byte for byte)
    once given the request's Content-Type as a header; no multipart library is a dependency here.
    Not multipart: three empty dicts.
    """
    form: dict[str, str] = {}
    files: dict[str, bytes] = {}
    filenames: dict[str, str] = {}
    if not content_type.lower().startswith("multipart/form-data"):
        return form, files, filenames
    head = b"Content-Type: " + content_type.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n"
    message = BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        return form, files, filenames
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        data = part.get_payload(decode=True)
        data = data if isinstance(data, bytes) else b""
        filename = part.get_filename()
        if filename is None:
            form[name] = data.decode("utf-8", errors="replace")
        else:
            files[name] = data
            filenames[name] = filename
    return form, files, filenames


def _wav_duration(data: bytes) -> float | None:
    """Seconds of audio in a PCM WAV, or None when the ``wave`` module cannot read it (mp3, webm...)."""
    try:
        with wave.open(io.BytesIO(data), "rb") as reader:
            rate = reader.getframerate()
            return reader.getnframes() / rate if rate else None
    except (wave.Error, EOFError, ValueError):
        return None


def _tone(seconds: float, hz: float) -> bytes:
    """16-bit little-endian mono samples at 24 kHz: a quiet sine (a tenth of full scale) lasting ``seconds``."""
    t = np.arange(round(seconds * SPEECH_SAMPLE_RATE)) / SPEECH_SAMPLE_RATE
    samples = (0.1 * 32767 * np.sin(2 * np.pi * hz * t)).astype("<i2")
    return samples.tobytes()


def _wav(frames: bytes) -> bytes:
    """A WAV file around 16-bit mono 24 kHz frames."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(SPEECH_SAMPLE_RATE)
        writer.writeframes(frames)
    return buffer.getvalue()
