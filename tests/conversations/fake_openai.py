"""A real local HTTP server speaking the OpenAI chat-completions protocol, for provider tests.

The design allows a fake only for a remote service we cannot run here, and then only one that
speaks the real protocol: this is a ``ThreadingHTTPServer`` on 127.0.0.1 (ephemeral port) serving
``POST /v1/chat/completions`` over HTTP/1.1 with keep-alive, JSON replies with ``Content-Length``
and ``stream: true`` replies as chunked ``text/event-stream`` with ``data:`` events and ``[DONE]``.
Failure modes are chosen per test with :meth:`FakeOpenAI.set_mode`; every request is recorded.

Usage (see the ``fake_openai`` fixture in conftest.py)::

    fake.set_mode(Mode.NORMAL, text="Hi!", chunks=["Hi", "!"])
    ... call the provider with base_url=fake.base_url ...
    assert fake.requests[0].json["model"] == "test-model"
"""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from enum import StrEnum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

COMPLETIONS_PATH = "/v1/chat/completions"


class Mode(StrEnum):
    NORMAL = "normal"  # a reply of `text` (streamed as `chunks`, or `text` split in `n_chunks`)
    ERROR_500 = "error_500"  # HTTP `status` (default 500) with an OpenAI error body, every time
    RATE_LIMIT_THEN_OK = "rate_limit_then_ok"  # HTTP 429 (Retry-After: `retry_after`) `failures` times, then NORMAL
    ERROR_400 = "error_400"  # HTTP 400 invalid_request_error
    STALL = "stall"  # say nothing for `stall_seconds` (longer than the client timeout), then NORMAL
    MALFORMED_JSON = "malformed_json"  # 200 with a body (or one stream event) that is not JSON
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


class FakeOpenAI:
    """The server plus the per-test knobs. Use as a context manager or call start()/stop()."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._config = _Config()
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
        self.recorded = RecordedRequest(
            method="POST",
            path=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            client_port=self.client_address[1],
            arrived=time.monotonic(),
        )
        config, index = fake._record(self.recorded)
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

    def _answer(self, config: _Config, index: int, stream: bool, model: str) -> None:
        fake = self.server.fake
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
        elif mode is Mode.STALL:
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
            self._send_headers(200, "application/json", {"Content-Length": str(len(body))})
            for i in range(len(body)):
                self.wfile.write(body[i : i + 1])
                fake._sleep(config.drip_seconds)
                if fake._release.is_set():
                    return
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
