"""The ``openai`` provider: any OpenAI-compatible chat-completions server (Ollama, vLLM, OpenAI, DeepSeek, Qwen).

What it guarantees to the pipeline, because a child is waiting on the other side:

* **A hard deadline.** ``timeout`` seconds is the total budget of a call, retries and backoff
  included. httpx timeouts are per operation (a server that sends one byte every few seconds never
  trips a read timeout), so each attempt gets the *remaining* budget as its connect/read/write/pool
  timeouts, and once the response headers are in, a watchdog shuts the socket down at the deadline;
  the blocked read then fails at once and the call raises :class:`ProviderTimeoutError`.
* **Bounded retries** with small jittered backoff, only where a retry can help and cannot duplicate
  what the child saw: connection failures before any response, HTTP 5xx and 429 (honouring a
  ``Retry-After`` that fits in the budget). Never on other 4xx (the request itself is wrong), never
  after a read timeout (the budget is spent), never once a streamed body has started.
* **A circuit breaker** (:mod:`conversations.providers.circuit`): while open, calls raise
  :class:`~conversations.providers.circuit.CircuitOpenError` without touching the network.
* **One error type.** Every failure — timeout, transport error, HTTP status, malformed JSON, no
  choices, empty text — is a :class:`~conversations.providers.base.ProviderError`, so the caller
  needs one ``except`` to fall back to the builtin engine.
* **No child's words in logs.** Logs carry status codes, durations and attempt numbers; error
  messages never quote a request or response body (a server may echo the prompt back).

Reasoning models served through Ollama (Qwen3, DeepSeek-R1) put their chain of thought inside
``<think>…</think>`` in the content; that is not meant for a child, so it is removed here (also
across stream chunks) before anything leaves the provider.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import socket
import threading
import time
import weakref
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any, cast

import httpx

from conversations.providers.base import ChatMessage, Completion, ProviderError
from conversations.providers.circuit import CircuitBreaker, CircuitOpenError

logger = logging.getLogger(__name__)

#: A chat reply is a few KB; anything much bigger is a broken or hostile server, not an answer.
MAX_BODY_BYTES = 2 * 1024 * 1024
#: Of an error answer only the code is read (``_error_detail``); a bigger body is not an OpenAI error.
ERROR_BODY_BYTES = 16_384


class ProviderHTTPError(ProviderError):
    """The server answered with a non-2xx status."""

    def __init__(self, message: str, *, status_code: int) -> None:
        super().__init__(message)
        self.status_code = status_code


class ProviderTimeoutError(ProviderError):
    """The call's total deadline passed (connect, response or body too slow)."""


class _RetryableError(Exception):
    """Internal: an attempt failed in a way another attempt may fix."""

    def __init__(self, error: ProviderError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


@dataclass
class _Attempts:
    """How many requests one call has sent so far (for logs)."""

    count: int = 0


class _Watchdog:
    """Shuts a response's socket down at the deadline so a trickling body cannot outlive it.

    ``socket.shutdown`` (unlike ``close``) wakes a thread blocked in ``recv`` on Linux and macOS;
    the reader then sees end-of-stream and httpx raises, which the provider reports as a timeout
    because :attr:`fired` is set. The base-class method is called so that on TLS sockets the raw
    descriptor is shut without touching the SSL object another thread is using. A connection shut
    this way is never reused: httpcore drops idle connections whose socket is readable (EOF).
    """

    def __init__(self, response: httpx.Response, seconds: float) -> None:
        self.fired = False
        self._done = False
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        stream = response.extensions.get("network_stream")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if isinstance(sock, socket.socket):
            self._sock = sock
            self._timer = threading.Timer(max(seconds, 0.0), self._fire)
            self._timer.daemon = True
            self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.fired = True
            with contextlib.suppress(OSError):  # already closed: nothing left to interrupt
                socket.socket.shutdown(self._sock, socket.SHUT_RDWR)

    def cancel(self) -> None:
        with self._lock:
            self._done = True
        if self._timer is not None:
            self._timer.cancel()


class _ThinkFilter:
    """Removes ``<think>…</think>`` spans from text arriving in arbitrary pieces.

    A tag may be split across stream chunks, so a tail that could be the start of a tag is held
    back until the next piece decides it. An unterminated ``<think>`` (reply cut by max_tokens)
    drops the rest.
    """

    OPEN = "<think>"
    CLOSE = "</think>"

    def __init__(self) -> None:
        self._buffer = ""
        self._inside = False

    def feed(self, text: str) -> str:
        self._buffer += text
        out: list[str] = []
        while True:
            tag = self.CLOSE if self._inside else self.OPEN
            index = self._buffer.find(tag)
            if index >= 0:
                if not self._inside:
                    out.append(self._buffer[:index])
                self._buffer = self._buffer[index + len(tag) :]
                self._inside = not self._inside
                continue
            keep = next(
                (k for k in range(min(len(tag) - 1, len(self._buffer)), 0, -1) if tag.startswith(self._buffer[-k:])),
                0,
            )
            if not self._inside:
                out.append(self._buffer[: len(self._buffer) - keep])
            self._buffer = self._buffer[len(self._buffer) - keep :]
            return "".join(out)

    def flush(self) -> str:
        rest = "" if self._inside else self._buffer
        self._buffer = ""
        return rest


def strip_think(text: str) -> str:
    """The text without reasoning spans (see :class:`_ThinkFilter`)."""
    f = _ThinkFilter()
    return f.feed(text) + f.flush()


class OpenAIProvider:
    """A client for ``POST {base_url}/chat/completions``, safe to share between threads.

    One :class:`httpx.Client` per instance keeps connections alive between calls (a TLS handshake
    to a hosted API costs more than a short reply). Build it once per process (see
    :func:`conversations.providers.registry.get_provider`) and :meth:`close` it when done.
    """

    name = "openai"

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str = "",
        timeout: float = 20.0,
        max_retries: int = 1,
        breaker: CircuitBreaker | None = None,
        *,
        connect_timeout: float = 5.0,
        backoff_seconds: float = 0.25,
        max_backoff_seconds: float = 2.0,
        trust_env: bool = True,
    ) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        self.base_url = base_url.rstrip("/")
        self.url = f"{self.base_url}/chat/completions"
        self.model = model
        self.timeout = float(timeout)
        self.max_retries = int(max_retries)
        self.connect_timeout = float(connect_timeout)
        self.backoff_seconds = float(backoff_seconds)
        self.max_backoff_seconds = float(max_backoff_seconds)
        self.breaker = breaker if breaker is not None else CircuitBreaker(5, 30.0, name=self.name)
        headers = {"Accept": "application/json, text/event-stream", "User-Agent": "happy-partner"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        # Timeouts are set per request from the remaining budget; this default only guards misuse.
        # trust_env lets a deployment reach a hosted API through HTTP(S)_PROXY / NO_PROXY.
        self._client_options: dict[str, Any] = {
            "headers": headers,
            # One TLS context for every client: building one costs ~30 ms, and an async client is built on
            # the event loop (once per loop).
            "verify": httpx.create_ssl_context(trust_env=trust_env),
            "timeout": httpx.Timeout(self.timeout, connect=min(self.connect_timeout, self.timeout)),
            "follow_redirects": False,
            "trust_env": trust_env,
            "limits": httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=30.0),
        }
        self._client = httpx.Client(**self._client_options)
        # The async calls (the chat socket) pool per event loop: an async connection belongs to its loop.
        self._async_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient] = (
            weakref.WeakKeyDictionary()
        )
        self._closed = False

    def __repr__(self) -> str:  # no key, no URL credentials
        return f"<OpenAIProvider model={self.model!r} breaker={self.breaker.state}>"

    def close(self) -> None:
        """Close pooled connections. Calls after this fail with ProviderError."""
        self._closed = True
        self._client.close()
        self._async_clients.clear()  # their connections close with them; a loop may be gone already

    def _async_client(self) -> httpx.AsyncClient:
        if self._closed:
            raise ProviderError("LLM provider is closed")
        loop = asyncio.get_running_loop()
        client = self._async_clients.get(loop)
        if client is None:
            client = self._async_clients[loop] = httpx.AsyncClient(**self._client_options)
        return client

    # --- public API ---------------------------------------------------------------------------------

    def complete(self, messages: list[ChatMessage], *, temperature: float, max_tokens: int) -> Completion:
        """One whole reply. Raises ProviderError on any failure, within ``timeout`` seconds."""
        payload = self._payload(messages, temperature=temperature, max_tokens=max_tokens, stream=False)
        started = time.monotonic()
        deadline = started + self.timeout
        self._admit()
        attempts = _Attempts()
        with self._accounted("complete", started, attempts):
            response, watchdog = self._open(payload, deadline, attempts)
            try:
                body = self._read_body(response, watchdog, deadline)
            finally:
                watchdog.cancel()
                response.close()
            completion = self._parse_completion(body)
        logger.info(
            "llm complete ok status=200 attempts=%d ms=%d prompt_tokens=%d completion_tokens=%d",
            attempts.count,
            _ms_since(started),
            completion.prompt_tokens,
            completion.completion_tokens,
        )
        return completion

    async def acomplete(self, messages: list[ChatMessage], *, temperature: float, max_tokens: int) -> Completion:
        """:meth:`complete` for an event loop: the same deadline, retries, breaker and errors, and no
        thread waits while the model thinks."""
        payload = self._payload(messages, temperature=temperature, max_tokens=max_tokens, stream=False)
        started = time.monotonic()
        deadline = started + self.timeout
        self._admit()
        attempts = _Attempts()
        with self._accounted("complete", started, attempts):
            async with _deadline(deadline):
                response = await self._aopen(payload, deadline, attempts)
                try:
                    body = await _aread_capped(response, MAX_BODY_BYTES)
                finally:
                    await response.aclose()
            completion = self._parse_completion(body)
        logger.info("llm acomplete ok status=200 attempts=%d ms=%d", attempts.count, _ms_since(started))
        return completion

    def astream(self, messages: list[ChatMessage], *, temperature: float, max_tokens: int) -> AsyncGenerator[str, None]:
        """Text deltas as the server produces them (Server-Sent Events), for an event loop (``async for``;
        the chat socket streams with it): no thread waits while the model thinks. Lazy: the breaker
        check and the request happen on the first ``anext()``. ``timeout`` bounds the whole stream
        (each wait for the next line gets what is left of it). Raises ProviderError on failure, possibly
        after some text was yielded (a stall mid-way); retries happen only before the first byte of
        the body. ``aclose()`` it to stop early: the connection closes."""
        payload = self._payload(messages, temperature=temperature, max_tokens=max_tokens, stream=True)
        return self._astream(payload)

    # --- internals ----------------------------------------------------------------------------------

    def _payload(
        self, messages: list[ChatMessage], *, temperature: float, max_tokens: int, stream: bool
    ) -> dict[str, Any]:
        # The child's words travel only as message contents in their own role; nothing here splices
        # text into the system instructions.
        return {
            "model": self.model,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "temperature": temperature,
            "max_tokens": max_tokens,
            "stream": stream,
        }

    @contextlib.contextmanager
    def _accounted(self, kind: str, started: float, attempts: _Attempts) -> Iterator[None]:
        """One whole-reply call as the breaker counts it: exactly one of success, failure (logged, no
        body quoted) or release (cancelled, or a bug that is not the server's)."""
        try:
            yield
        except ProviderError as exc:
            self.breaker.record_failure()
            self._log_failure(kind, exc, started, attempts)
            raise
        except BaseException:
            self.breaker.release()
            raise
        self.breaker.record_success()

    def _admit(self) -> None:
        if not self.breaker.allow():
            logger.warning("llm circuit open: failing fast without a request")
            raise CircuitOpenError("LLM circuit breaker is open")

    def _open(self, payload: dict[str, Any], deadline: float, attempts: _Attempts) -> tuple[httpx.Response, _Watchdog]:
        """Send with retries until a 2xx response's headers are in; return it with its watchdog."""
        while True:
            attempts.count += 1
            try:
                response = self._attempt(payload, deadline, attempts.count)
            except _RetryableError as retryable:
                time.sleep(self._retry_delay(retryable, attempts.count, deadline))
                continue
            return response, _Watchdog(response, deadline - time.monotonic())

    async def _aopen(self, payload: dict[str, Any], deadline: float, attempts: _Attempts) -> httpx.Response:
        """:meth:`_open` on the event loop (the caller bounds it with :func:`_deadline`)."""
        client = self._async_client()
        while True:
            attempts.count += 1
            attempt = attempts.count
            timeout = self._attempt_timeout(deadline, attempt)
            t0 = time.monotonic()
            try:
                try:
                    request = client.build_request("POST", self.url, json=payload, timeout=timeout)
                    response = await client.send(request, stream=True)
                except (httpx.HTTPError, RuntimeError) as exc:
                    raise self._send_error(exc, attempt, t0) from exc
                if 200 <= response.status_code < 300:
                    logger.info("llm attempt=%d status=%d ms=%d", attempt, response.status_code, _ms_since(t0))
                    return response
                try:
                    raw = await _aread_capped(response, ERROR_BODY_BYTES)
                except ProviderError:
                    raw = b""
                finally:
                    await response.aclose()
                raise self._status_error(response, raw, attempt, t0)
            except _RetryableError as retryable:
                await asyncio.sleep(self._retry_delay(retryable, attempt, deadline))

    def _retry_delay(self, retryable: _RetryableError, attempt: int, deadline: float) -> float:
        """Seconds to wait before another attempt; raises the attempt's error when there is none to make."""
        error = retryable.error
        if attempt > self.max_retries:
            raise error from retryable.__cause__
        delay = min(self.backoff_seconds * 2 ** (attempt - 1), self.max_backoff_seconds)
        delay *= random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not security
        if retryable.retry_after is not None:
            delay = max(delay, retryable.retry_after)
        if time.monotonic() + delay >= deadline:
            raise error from retryable.__cause__
        return delay

    def _attempt_timeout(self, deadline: float, attempt: int) -> httpx.Timeout:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ProviderTimeoutError(f"LLM deadline passed before attempt {attempt}")
        connect = min(self.connect_timeout, remaining)
        return httpx.Timeout(connect=connect, read=remaining, write=remaining, pool=remaining)

    def _attempt(self, payload: dict[str, Any], deadline: float, attempt: int) -> httpx.Response:
        timeout = self._attempt_timeout(deadline, attempt)
        t0 = time.monotonic()
        try:
            request = self._client.build_request("POST", self.url, json=payload, timeout=timeout)
            response = self._client.send(request, stream=True)
        except (httpx.HTTPError, RuntimeError) as exc:
            raise self._send_error(exc, attempt, t0) from exc
        if 200 <= response.status_code < 300:
            logger.info("llm attempt=%d status=%d ms=%d", attempt, response.status_code, _ms_since(t0))
            return response
        try:
            raw = _read_capped(response, ERROR_BODY_BYTES)
        except (httpx.HTTPError, ProviderError):
            raw = b""
        finally:
            response.close()
        raise self._status_error(response, raw, attempt, t0)

    @staticmethod
    def _send_error(exc: Exception, attempt: int, t0: float) -> Exception:
        """What a failed send means: retryable when nothing of a response arrived."""
        if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.RemoteProtocolError | httpx.ReadError):
            # Refused, unreachable, or a kept-alive connection the server had dropped: another attempt
            # cannot duplicate anything.
            logger.warning("llm attempt=%d transport error=%s ms=%d", attempt, type(exc).__name__, _ms_since(t0))
            return _RetryableError(ProviderError(f"LLM transport error: {type(exc).__name__}"))
        if isinstance(exc, httpx.TimeoutException):
            logger.warning("llm attempt=%d timeout=%s ms=%d", attempt, type(exc).__name__, _ms_since(t0))
            return ProviderTimeoutError(f"LLM timed out waiting for a response ({type(exc).__name__})")
        return ProviderError(f"LLM request failed: {type(exc).__name__}")  # RuntimeError: the client was closed

    @staticmethod
    def _status_error(response: httpx.Response, raw: bytes, attempt: int, t0: float) -> Exception:
        """The error of a non-2xx answer (``raw``: the start of its body): retryable for 429 and 5xx."""
        status = response.status_code
        logger.info("llm attempt=%d status=%d ms=%d", attempt, status, _ms_since(t0))
        error = ProviderHTTPError(f"LLM server answered HTTP {status}{_error_detail(raw)}", status_code=status)
        if status == 429 or status >= 500:
            return _RetryableError(error, _parse_retry_after(response.headers.get("retry-after")))
        return error

    def _read_body(self, response: httpx.Response, watchdog: _Watchdog, deadline: float) -> bytes:
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise ProviderError("LLM response body too large")
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise ProviderTimeoutError("LLM deadline passed while reading the reply")
        except httpx.HTTPError as exc:
            raise _read_error(exc, timed_out=watchdog.fired) from exc
        return b"".join(chunks)

    def _parse_completion(self, body: bytes) -> Completion:
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ProviderError("LLM reply is not valid JSON") from exc
        if not isinstance(data, dict):
            raise ProviderError("LLM reply is not a JSON object")
        choices = data.get("choices")
        if not isinstance(choices, list) or not choices:
            raise ProviderError("LLM reply has no choices")
        choice = choices[0]
        message = choice.get("message") if isinstance(choice, dict) else None
        content = message.get("content") if isinstance(message, dict) else None
        if not isinstance(content, str):
            raise ProviderError("LLM reply has no text content")
        text = strip_think(content).strip()
        if not text:
            raise ProviderError("LLM reply text is empty")
        raw_usage = data.get("usage")
        usage: dict[str, Any] = raw_usage if isinstance(raw_usage, dict) else {}
        model = data.get("model")
        return Completion(
            text=text,
            provider=self.name,
            model=model if isinstance(model, str) and model else self.model,
            prompt_tokens=_as_int(usage.get("prompt_tokens")),
            completion_tokens=_as_int(usage.get("completion_tokens")),
        )

    async def _astream(self, payload: dict[str, Any]) -> AsyncGenerator[str, None]:
        started = time.monotonic()
        deadline = started + self.timeout
        self._admit()
        attempts = _Attempts()
        chunks = 0
        try:
            async with _deadline(deadline):
                response = await self._aopen(payload, deadline, attempts)
            try:
                if response.headers.get("content-type", "").startswith("application/json"):
                    # A server that ignores "stream": true still gave a valid reply: pass it on whole.
                    async with _deadline(deadline):
                        body = await _aread_capped(response, MAX_BODY_BYTES)
                    chunks = 1
                    yield self._parse_completion(body).text
                else:
                    text = _StreamText()
                    lines_of = cast(AsyncGenerator[str, None], response.aiter_lines())  # an async generator
                    async with contextlib.aclosing(lines_of) as lines:
                        while not text.done:
                            # The deadline bounds each wait, never a yield: the caller's own awaits
                            # between two pieces must not be cancelled by it.
                            if time.monotonic() > deadline:  # as the blocking stream: buffered text too
                                raise ProviderTimeoutError("LLM deadline passed while streaming")
                            try:
                                async with _deadline(deadline):
                                    line = await anext(lines)
                            except StopAsyncIteration:
                                break
                            except httpx.HTTPError as exc:
                                raise _read_error(exc, timed_out=False) from exc
                            piece = text.feed(line)
                            if piece:
                                chunks += 1
                                yield piece
                    tail = text.finish(late=time.monotonic() > deadline)
                    if tail:
                        chunks += 1
                        yield tail
            finally:
                await response.aclose()
        except ProviderError as exc:
            self.breaker.record_failure()
            self._log_failure("stream", exc, started, attempts, chunks)
            raise
        except GeneratorExit:
            self.breaker.record_success()  # stopped at a yield: text had arrived
            raise
        except BaseException:
            self.breaker.release()
            raise
        self.breaker.record_success()
        logger.info("llm astream ok attempts=%d chunks=%d ms=%d", attempts.count, chunks, _ms_since(started))

    def _log_failure(self, kind: str, exc: ProviderError, started: float, attempts: _Attempts, chunks: int = 0) -> None:
        status = getattr(exc, "status_code", "-")
        logger.warning(
            "llm %s failed error=%s status=%s attempts=%d chunks=%d ms=%d breaker=%s",
            kind,
            type(exc).__name__,
            status,
            attempts.count,
            chunks,
            _ms_since(started),
            self.breaker.state,
        )


# --- helpers ----------------------------------------------------------------------------------------


class _SSEEvents:
    """Server-Sent Events fed one line at a time: the data of each event (``data:`` lines joined until
    a blank line). The sync and async readers share it."""

    def __init__(self) -> None:
        self._pending: list[str] = []

    def feed(self, line: str) -> str | None:
        """The data of the event this line completes, if it does."""
        if not line:
            return self.end()
        if line.startswith(":"):
            return None  # comment / keep-alive
        field, _, value = line.partition(":")
        if field == "data":
            self._pending.append(value[1:] if value.startswith(" ") else value)
        # "event", "id" and "retry" carry nothing for chat completions.
        return None

    def end(self) -> str | None:
        """The event left pending when the body ended without a blank line."""
        if not self._pending:
            return None
        data, self._pending = "\n".join(self._pending), []
        return data


class _StreamText:
    """The text of a chat-completions event stream, fed one line at a time: reasoning removed, the
    end checked (``[DONE]`` seen, some text produced)."""

    def __init__(self) -> None:
        self._events = _SSEEvents()
        self._think = _ThinkFilter()
        self._produced = False
        self.done = False

    def feed(self, line: str) -> str:
        """The text this line releases ("" when none)."""
        return self._text(self._events.feed(line))

    def finish(self, *, late: bool) -> str:
        """The text held back at the end of the body. Raises ProviderError for a stream that did not
        end with ``[DONE]`` (a timeout when ``late``) or carried no text."""
        tail = self._text(self._events.end())
        if not self.done:
            if late:
                raise ProviderTimeoutError("LLM deadline passed while streaming")
            raise ProviderError("LLM stream ended without [DONE]")
        tail += self._think.flush()
        if not (self._produced or tail):
            raise ProviderError("LLM stream carried no text")
        return tail

    def _text(self, data: str | None) -> str:
        if data is None or self.done:
            return ""
        if data.strip() == "[DONE]":
            self.done = True
            return ""
        piece = self._think.feed(_delta_text(data))
        self._produced = self._produced or bool(piece)
        return piece


def _delta_text(data: str) -> str:
    """The text of one chat.completion.chunk ("" for role-only, finish or usage-only chunks)."""
    try:
        event = json.loads(data)
    except ValueError as exc:
        raise ProviderError("LLM stream event is not valid JSON") from exc
    if not isinstance(event, dict):
        raise ProviderError("LLM stream event is not a JSON object")
    if event.get("error"):
        raise ProviderError("LLM server reported an error mid-stream")
    choices = event.get("choices")
    if not choices:
        return ""
    if not isinstance(choices, list) or not isinstance(choices[0], dict):
        raise ProviderError("LLM stream event has malformed choices")
    delta = choices[0].get("delta")
    content = delta.get("content") if isinstance(delta, dict) else None
    if content is None:
        return ""
    if not isinstance(content, str):
        raise ProviderError("LLM stream delta content is not text")
    return content


def _read_error(exc: httpx.HTTPError, *, timed_out: bool) -> ProviderError:
    """A failure while reading a body (``timed_out``: the deadline's watchdog cut it)."""
    if timed_out or isinstance(exc, httpx.TimeoutException):
        return ProviderTimeoutError(f"LLM deadline passed while reading the reply ({type(exc).__name__})")
    return ProviderError(f"LLM connection failed while reading the reply ({type(exc).__name__})")


def _read_capped(response: httpx.Response, limit: int) -> bytes:
    body = b""
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > limit:
            raise ProviderError("LLM response body too large")
    return body


async def _aread_capped(response: httpx.Response, limit: int) -> bytes:
    body = b""
    try:
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > limit:
                raise ProviderError("LLM response body too large")
    except httpx.HTTPError as exc:
        raise _read_error(exc, timed_out=False) from exc
    return body


@contextlib.asynccontextmanager
async def _deadline(deadline: float) -> AsyncIterator[None]:
    """Bounds the awaits inside by the call's deadline (a ``time.monotonic()`` instant): past it they
    are cancelled and the call raises ProviderTimeoutError. Never around a ``yield`` of a stream."""
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout_at(loop.time() + deadline - time.monotonic()):
            yield
    except TimeoutError as exc:
        raise ProviderTimeoutError("LLM deadline passed") from exc


def _error_detail(raw: bytes) -> str:
    """`` (code)`` from an OpenAI-style error body, never its message (it may quote the prompt)."""
    try:
        error = json.loads(raw).get("error")
    except (ValueError, AttributeError):
        return ""
    if not isinstance(error, dict):
        return ""
    code = error.get("code") or error.get("type")
    if isinstance(code, str | int) and not isinstance(code, bool):
        return f" ({str(code)[:60]})"
    return ""


def _parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None  # an HTTP date: rare from LLM servers, and the backoff is a fine substitute
    return max(seconds, 0.0)


def _as_int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _ms_since(t0: float) -> int:
    return int((time.monotonic() - t0) * 1000)
