"""The ``openai`` provider against a real local server speaking the protocol (tests/conversations/fake_openai.py).

Timing assertions are correctness bounds (a stalled server must not hold a worker past the
deadline), deliberately generous for a loaded machine; speed lives in bench/.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator

import pytest

from conversations.providers import openai as openai_module
from conversations.providers.base import ChatMessage, Completion, ProviderError
from conversations.providers.circuit import CircuitBreaker, CircuitOpenError, CircuitState
from conversations.providers.openai import (
    OpenAIProvider,
    ProviderHTTPError,
    ProviderTimeoutError,
    _delta_text,
    _parse_retry_after,
    _SSEEvents,
    _ThinkFilter,
    strip_think,
)
from conversations.providers.registry import complete_with_fallback, get_provider, reset_provider
from tests.conversations.fake_openai import FakeOpenAI, Mode

SYSTEM = "You are a kind companion for a child aged 7-8. Answer simply."
CHILD_TEXT = "为什么天空是蓝色的? my-secret-words-42"
API_KEY = "sk-test-key-abc"
TIMEOUT = 1.0
# Deadline + slack for thread scheduling, backoff jitter and a busy CI box. A hang would be ~10 s.
BOUND = TIMEOUT + 1.5


class FakeClock:
    """A monotonic clock the breaker reads; tests move it instead of sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def _messages() -> list[ChatMessage]:
    return [
        ChatMessage("system", SYSTEM),
        ChatMessage("assistant", "Hi! What shall we talk about?"),
        ChatMessage("user", CHILD_TEXT),
    ]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_provider(fake_openai: FakeOpenAI, clock: FakeClock) -> Iterator[Callable[..., OpenAIProvider]]:
    made: list[OpenAIProvider] = []

    def make(**overrides: object) -> OpenAIProvider:
        options: dict[str, object] = {
            "base_url": fake_openai.base_url,
            "model": "test-model",
            "api_key": API_KEY,
            "timeout": TIMEOUT,
            "max_retries": 2,
            "breaker": CircuitBreaker(3, 30, clock=clock),
            "backoff_seconds": 0.01,
            "trust_env": False,  # never route 127.0.0.1 through a proxy from the environment
        }
        options.update(overrides)
        provider = OpenAIProvider(**options)  # type: ignore[arg-type]
        made.append(provider)
        return provider

    yield make
    for provider in made:
        provider.close()


@pytest.fixture
def provider(make_provider: Callable[..., OpenAIProvider]) -> OpenAIProvider:
    return make_provider()


def _complete(provider: OpenAIProvider) -> Completion:
    return provider.complete(_messages(), temperature=0.3, max_tokens=120)


async def _collect(stream: AsyncIterator[str]) -> list[str]:
    return [piece async for piece in stream]


def _stream(provider: OpenAIProvider) -> list[str]:
    """The whole stream, on an event loop of its own (the chat socket is its only caller)."""
    return asyncio.run(_collect(provider.astream(_messages(), temperature=0.3, max_tokens=120)))


class Calls:
    """A whole reply one way: blocking (``complete``, the REST views) or on an event loop
    (``acomplete``, the chat socket). The tests that take ``calls`` run both ways."""

    def __init__(self, way: str) -> None:
        self.way = way

    def complete(self, provider: OpenAIProvider) -> Completion:
        if self.way == "sync":
            return _complete(provider)
        return asyncio.run(provider.acomplete(_messages(), temperature=0.3, max_tokens=120))


@pytest.fixture(params=["sync", "async"])
def calls(request: pytest.FixtureRequest) -> Calls:
    return Calls(request.param)


# --- happy paths -------------------------------------------------------------------------------------


def test_complete_returns_text_usage_and_sends_the_right_request(fake_openai, provider, calls):
    fake_openai.set_mode(
        Mode.NORMAL, text="  The sky scatters blue light.  ", usage={"prompt_tokens": 21, "completion_tokens": 9}
    )

    completion = calls.complete(provider)

    assert completion == Completion(
        text="The sky scatters blue light.",
        provider="openai",
        model="test-model",
        prompt_tokens=21,
        completion_tokens=9,
    )
    [request] = fake_openai.requests
    assert request.method == "POST"
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.headers["content-type"] == "application/json"
    body = request.json
    assert body["model"] == "test-model"
    assert body["temperature"] == 0.3
    assert body["max_tokens"] == 120
    assert body["stream"] is False
    assert [m["role"] for m in body["messages"]] == ["system", "assistant", "user"]
    # The child's words travel as a user message, never inside the system instructions.
    assert request.contents("user") == [CHILD_TEXT]
    assert request.contents("system") == [SYSTEM]
    assert all(CHILD_TEXT not in text for text in request.contents("system"))


def test_no_authorization_header_without_a_key(fake_openai, make_provider, calls):
    calls.complete(make_provider(api_key=""))
    assert "authorization" not in fake_openai.last_request.headers


def test_one_client_per_provider_reuses_the_connection(fake_openai, provider):
    _complete(provider)
    _complete(provider)
    first, second = fake_openai.requests
    assert first.client_port == second.client_port


def test_one_provider_serves_concurrent_threads(fake_openai, provider):
    fake_openai.set_mode(Mode.NORMAL, text="shared", chunks=["sha", "red"])
    results: list[str] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        text = _complete(provider).text
        with lock:
            results.append(text)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert results == ["shared"] * 8
    assert len(fake_openai.requests) == 8


def test_stream_yields_the_chunks_in_order(fake_openai, provider):
    chunks = ["从前有一只", "小恐龙，", "它最喜欢", "数星星。"]
    fake_openai.set_mode(Mode.NORMAL, text="".join(chunks), chunks=chunks)

    pieces = _stream(provider)

    assert pieces == chunks
    assert "".join(pieces) == "从前有一只小恐龙，它最喜欢数星星。"
    body = fake_openai.last_request.json
    assert body["stream"] is True
    assert body["model"] == "test-model"
    assert fake_openai.last_request.contents("user") == [CHILD_TEXT]
    assert provider.breaker.consecutive_failures == 0


def test_stream_splits_text_from_the_server(fake_openai, provider):
    fake_openai.set_mode(Mode.NORMAL, text="Once upon a time there was a robot.", n_chunks=5)
    pieces = _stream(provider)
    assert len(pieces) == 5
    assert "".join(pieces) == "Once upon a time there was a robot."


def test_stream_accepts_a_server_that_answers_json(fake_openai, provider):
    fake_openai.set_mode(Mode.NORMAL, text="Whole reply.", force_json=True)
    assert _stream(provider) == ["Whole reply."]


# --- retries -----------------------------------------------------------------------------------------


def test_500_is_retried_then_raises(fake_openai, provider, calls):
    fake_openai.set_mode(Mode.ERROR_500)
    with pytest.raises(ProviderHTTPError) as caught:
        calls.complete(provider)
    assert caught.value.status_code == 500
    assert len(fake_openai.requests) == 3  # 1 + max_retries


def test_stream_500_is_retried_then_raises(fake_openai, provider):
    fake_openai.set_mode(Mode.ERROR_500, status=503)
    with pytest.raises(ProviderHTTPError):
        _stream(provider)
    assert len(fake_openai.requests) == 3


def test_429_then_200_succeeds_after_a_retry(fake_openai, provider, calls):
    fake_openai.set_mode(Mode.RATE_LIMIT_THEN_OK, failures=1, text="Second time lucky.")
    assert calls.complete(provider).text == "Second time lucky."
    assert len(fake_openai.requests) == 2
    assert provider.breaker.consecutive_failures == 0


def test_stream_429_then_200_succeeds_after_a_retry(fake_openai, provider):
    fake_openai.set_mode(Mode.RATE_LIMIT_THEN_OK, failures=2, text="ok then", chunks=["ok", " then"])
    assert _stream(provider) == ["ok", " then"]
    assert len(fake_openai.requests) == 3


def test_429_whose_retry_after_exceeds_the_budget_gives_up_at_once(fake_openai, provider, calls):
    fake_openai.set_mode(Mode.RATE_LIMIT_THEN_OK, failures=5, retry_after="30")
    started = time.monotonic()
    with pytest.raises(ProviderHTTPError) as caught:
        calls.complete(provider)
    assert caught.value.status_code == 429
    assert len(fake_openai.requests) == 1  # waiting 30 s would outlive the deadline: fall back now
    assert time.monotonic() - started < BOUND


def test_400_is_not_retried_and_keeps_the_body_out_of_the_error(fake_openai, provider, calls):
    fake_openai.set_mode(Mode.ERROR_400)
    with pytest.raises(ProviderHTTPError) as caught:
        calls.complete(provider)
    assert caught.value.status_code == 400
    assert len(fake_openai.requests) == 1
    assert "bad_request" in str(caught.value)  # the error code helps operators...
    assert "secret prompt" not in str(caught.value)  # ...the message may echo the child's words


@pytest.mark.parametrize("status", [401, 404])
def test_other_4xx_are_not_retried(fake_openai, provider, status, calls):
    fake_openai.set_mode(Mode.ERROR_400, status=status)
    with pytest.raises(ProviderHTTPError):
        calls.complete(provider)
    assert len(fake_openai.requests) == 1


def test_connection_refused_is_a_provider_error(make_provider, calls):
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    provider = make_provider(base_url=f"http://127.0.0.1:{port}/v1")
    started = time.monotonic()
    with pytest.raises(ProviderError):
        calls.complete(provider)
    assert time.monotonic() - started < BOUND


# --- deadlines ---------------------------------------------------------------------------------------


def test_stalled_server_fails_within_the_deadline(fake_openai, provider, calls):
    fake_openai.set_mode(Mode.STALL, stall_seconds=10)
    started = time.monotonic()
    with pytest.raises(ProviderTimeoutError):
        calls.complete(provider)
    elapsed = time.monotonic() - started
    assert TIMEOUT * 0.8 <= elapsed < BOUND
    assert len(fake_openai.requests) == 1  # a read timeout spends the budget: no retry


def test_stalled_stream_fails_within_the_deadline(fake_openai, provider):
    fake_openai.set_mode(Mode.STALL, stall_seconds=10)
    started = time.monotonic()
    with pytest.raises(ProviderTimeoutError):
        _stream(provider)
    assert time.monotonic() - started < BOUND


def test_trickling_body_cannot_outlive_the_deadline(fake_openai, provider, calls):
    # One byte every 0.1 s never trips a per-read timeout; the total deadline must still hold.
    fake_openai.set_mode(Mode.SLOW_BODY, drip_seconds=0.1)
    started = time.monotonic()
    with pytest.raises(ProviderTimeoutError):
        calls.complete(provider)
    assert time.monotonic() - started < BOUND


def test_slow_stream_is_cut_at_the_total_deadline(fake_openai, provider):
    fake_openai.set_mode(Mode.NORMAL, text="x" * 40, n_chunks=40, chunk_delay=0.1)  # ~4 s in all
    started = time.monotonic()
    with pytest.raises(ProviderTimeoutError):
        _stream(provider)
    assert time.monotonic() - started < BOUND


async def test_async_calls_on_one_loop_reuse_the_connection(fake_openai, provider):
    await provider.acomplete(_messages(), temperature=0.3, max_tokens=120)
    await _collect(provider.astream(_messages(), temperature=0.3, max_tokens=120))
    first, second = fake_openai.requests
    assert first.client_port == second.client_port


async def test_async_streams_wait_together_on_one_thread(fake_openai, make_provider):
    # Each stream takes ~0.5 s of the server's time. Thirty at once on the loop take about as long as
    # one; thirty blocking calls on a default pool (a handful of threads) would take five times as
    # long. Judged against one stream timed in the same run: this machine's speed varies.
    provider = make_provider(timeout=20)  # the deadline is not what this measures
    fake_openai.set_mode(Mode.NORMAL, text="abcde", n_chunks=5, chunk_delay=0.1)
    started = time.monotonic()
    assert await _collect(provider.astream(_messages(), temperature=0.3, max_tokens=120)) == ["a", "b", "c", "d", "e"]
    one = time.monotonic() - started
    started = time.monotonic()
    results = await asyncio.gather(
        *(_collect(provider.astream(_messages(), temperature=0.3, max_tokens=120)) for _ in range(30))
    )
    together = time.monotonic() - started
    assert results == [["a", "b", "c", "d", "e"]] * 30
    assert together < 2.5 * one, (together, one)


async def test_async_stream_closed_early_is_not_a_failure(fake_openai, provider):
    fake_openai.set_mode(Mode.NORMAL, text="abcdef", chunks=["ab", "cd", "ef"])
    stream = provider.astream(_messages(), temperature=0.3, max_tokens=120)
    assert await anext(stream) == "ab"
    await stream.aclose()
    assert provider.breaker.state is CircuitState.CLOSED
    assert provider.breaker.consecutive_failures == 0
    assert (await provider.acomplete(_messages(), temperature=0.3, max_tokens=120)).text == "abcdef"


async def test_async_stream_that_stalls_midway_fails_within_the_deadline(fake_openai, provider):
    fake_openai.set_mode(Mode.STREAM_STALL, chunks=["Once ", "upon ", "a ", "time"], stall_after=2)
    received: list[str] = []
    started = time.monotonic()
    with pytest.raises(ProviderTimeoutError):
        async for piece in provider.astream(_messages(), temperature=0.3, max_tokens=120):
            received.append(piece)
    assert time.monotonic() - started < BOUND
    assert received == ["Once ", "upon "]
    assert len(fake_openai.requests) == 1


async def test_the_deadline_never_cancels_the_callers_own_awaits(fake_openai, provider):
    # Between two pieces the caller awaits its own work (sending a frame); past the provider's deadline
    # that work is not cancelled by it: the stream raises at its next wait instead.
    fake_openai.set_mode(Mode.NORMAL, text="ab", chunks=["a", "b"])
    stream = provider.astream(_messages(), temperature=0.3, max_tokens=120)
    assert await anext(stream) == "a"
    await asyncio.sleep(TIMEOUT + 0.2)  # the caller's own slow await completes
    with pytest.raises(ProviderTimeoutError):
        await anext(stream)


# --- malformed replies -------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [Mode.MALFORMED_JSON, Mode.EMPTY_CHOICES])
def test_malformed_or_empty_reply_is_a_provider_error(fake_openai, provider, mode, calls):
    fake_openai.set_mode(mode)
    with pytest.raises(ProviderError):
        calls.complete(provider)
    assert len(fake_openai.requests) == 1


@pytest.mark.parametrize("mode", [Mode.MALFORMED_JSON, Mode.EMPTY_CHOICES])
def test_malformed_or_empty_stream_is_a_provider_error(fake_openai, provider, mode):
    fake_openai.set_mode(mode)
    with pytest.raises(ProviderError):
        _stream(provider)


@pytest.mark.parametrize("text", ["", "   \n", "<think>only reasoning</think>"])
def test_blank_text_is_a_provider_error(fake_openai, provider, text, calls):
    fake_openai.set_mode(Mode.NORMAL, text=text)
    with pytest.raises(ProviderError):
        calls.complete(provider)


def test_oversized_reply_is_a_provider_error(fake_openai, provider, monkeypatch, calls):
    monkeypatch.setattr(openai_module, "MAX_BODY_BYTES", 1000)
    fake_openai.set_mode(Mode.NORMAL, text="x" * 5000)
    with pytest.raises(ProviderError):
        calls.complete(provider)


def test_closed_provider_raises_provider_error(provider, calls):
    provider.close()
    with pytest.raises(ProviderError):
        calls.complete(provider)


def test_sse_parsing_follows_the_event_stream_format():
    lines = [": keep-alive", "event: message", "id: 7", "data: a", "data:b", "", "", "data: [DONE]"]
    events = _SSEEvents()
    found = [data for line in lines if (data := events.feed(line)) is not None]
    assert [*found, events.end()] == ["a\nb", "[DONE]"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ('{"choices": [{"delta": {"role": "assistant"}}]}', ""),
        ('{"choices": [], "usage": {"prompt_tokens": 3}}', ""),
        ('{"choices": [{"delta": {"content": "hi"}}]}', "hi"),
    ],
)
def test_stream_events_without_text_are_skipped(data, expected):
    assert _delta_text(data) == expected


@pytest.mark.parametrize(
    "data",
    ["[1, 2]", '{"error": {"message": "overloaded"}}', '{"choices": "x"}', '{"choices": [{"delta": {"content": 5}}]}'],
)
def test_bad_stream_events_are_provider_errors(data):
    with pytest.raises(ProviderError):
        _delta_text(data)


@pytest.mark.parametrize(
    "body",
    [b"[]", b'{"choices": [{"message": {"content": null}}]}', b'{"choices": ["x"]}', b"\xff\xfe"],
)
def test_bad_completion_bodies_are_provider_errors(provider, body):
    with pytest.raises(ProviderError):
        provider._parse_completion(body)


def test_retry_after_parsing():
    assert _parse_retry_after(None) is None
    assert _parse_retry_after("2") == 2.0
    assert _parse_retry_after("-1") == 0.0
    assert _parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") is None


# --- reasoning spans ---------------------------------------------------------------------------------


def test_reasoning_is_removed_from_complete_and_stream(fake_openai, provider, calls):
    fake_openai.set_mode(Mode.NORMAL, text="<think>the user is a child</think>Blue light scatters more.")
    assert calls.complete(provider).text == "Blue light scatters more."
    fake_openai.set_mode(Mode.NORMAL, chunks=["<thi", "nk>the user is", " a child</th", "ink>Blue ", "light."])
    assert "".join(_stream(provider)) == "Blue light."


def test_think_filter_handles_every_split_point():
    text = "A<think>hidden</think>B <think>x</think>C<"
    for cut in range(len(text) + 1):
        f = _ThinkFilter()
        assert f.feed(text[:cut]) + f.feed(text[cut:]) + f.flush() == "AB C<"
    assert strip_think("Answer <think>cut off by max_tokens") == "Answer "


# --- circuit breaker ---------------------------------------------------------------------------------


def test_breaker_opens_fails_fast_half_opens_and_closes(fake_openai, make_provider, clock, calls):
    provider = make_provider(max_retries=0, breaker=CircuitBreaker(3, 30, clock=clock))
    fake_openai.set_mode(Mode.ERROR_500)
    for _ in range(3):
        with pytest.raises(ProviderHTTPError):
            calls.complete(provider)
    assert provider.breaker.state is CircuitState.OPEN
    assert len(fake_openai.requests) == 3

    # Open: fail fast, nothing reaches the server, for complete() and stream() alike.
    fake_openai.set_mode(Mode.NORMAL, text="I am back.")
    with pytest.raises(CircuitOpenError):
        calls.complete(provider)
    with pytest.raises(CircuitOpenError):
        _stream(provider)
    clock.advance(29)
    with pytest.raises(CircuitOpenError):
        calls.complete(provider)
    assert len(fake_openai.requests) == 3

    # After the reset time one trial goes through; its success closes the circuit.
    clock.advance(1)
    assert provider.breaker.state is CircuitState.HALF_OPEN
    assert calls.complete(provider).text == "I am back."
    assert provider.breaker.state is CircuitState.CLOSED
    assert _stream(provider)
    assert len(fake_openai.requests) == 5


def test_failed_trial_reopens_the_breaker(fake_openai, make_provider, clock, calls):
    provider = make_provider(max_retries=0, breaker=CircuitBreaker(2, 10, clock=clock))
    fake_openai.set_mode(Mode.ERROR_500)
    for _ in range(2):
        with pytest.raises(ProviderError):
            calls.complete(provider)
    clock.advance(10)
    with pytest.raises(ProviderHTTPError):  # the trial reaches the server and fails
        calls.complete(provider)
    assert len(fake_openai.requests) == 3
    assert provider.breaker.state is CircuitState.OPEN
    with pytest.raises(CircuitOpenError):  # open again at once, for a full reset period
        calls.complete(provider)
    assert len(fake_openai.requests) == 3


def test_breaker_counts_consecutive_failures_only(clock):
    breaker = CircuitBreaker(3, 30, clock=clock)
    for outcome in ("fail", "fail", "ok", "fail", "fail"):
        assert breaker.allow()
        breaker.record_failure() if outcome == "fail" else breaker.record_success()
    assert breaker.state is CircuitState.CLOSED
    breaker.record_failure()
    assert breaker.state is CircuitState.OPEN
    assert not breaker.allow()


def test_half_open_admits_one_trial_at_a_time(clock):
    breaker = CircuitBreaker(1, 30, clock=clock)
    breaker.record_failure()
    clock.advance(30)
    assert breaker.allow()
    assert not breaker.allow()  # a second caller while the trial is in flight fails fast
    breaker.release()  # the trial's caller gave up without an answer
    assert breaker.allow()
    clock.advance(30)  # a trial that never reports does not block the circuit forever
    assert breaker.allow()
    breaker.record_success()
    assert breaker.state is CircuitState.CLOSED
    assert breaker.allow() and breaker.allow()


def test_breaker_is_thread_safe(clock):
    breaker = CircuitBreaker(800, 30, clock=clock)  # opens exactly when no increment was lost
    barrier = threading.Barrier(8)

    def hammer() -> None:
        barrier.wait()
        for _ in range(100):
            breaker.record_failure()

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert breaker.consecutive_failures == 800
    assert breaker.state is CircuitState.OPEN


def test_breaker_rejects_bad_configuration():
    with pytest.raises(ValueError):
        CircuitBreaker(0, 30)
    with pytest.raises(ValueError):
        CircuitBreaker(3, 0)


# --- fallback ----------------------------------------------------------------------------------------


def test_fallback_answers_when_the_provider_fails(fake_openai, provider):
    fake_openai.set_mode(Mode.ERROR_500)
    started = time.monotonic()
    answer = complete_with_fallback(
        provider, _messages(), temperature=0.3, max_tokens=120, fallback_text="天空是蓝色的，因为……"
    )
    elapsed_ms = (time.monotonic() - started) * 1000
    assert (answer.text, answer.provider) == ("天空是蓝色的，因为……", "builtin-fallback")
    assert 0 <= answer.latency_ms <= elapsed_ms + 1  # the time the call took, in milliseconds
    assert (answer.prompt_tokens, answer.completion_tokens) == (0, 0)


def test_fallback_answers_when_the_server_stalls(fake_openai, provider):
    fake_openai.set_mode(Mode.STALL)
    started = time.monotonic()
    answer = complete_with_fallback(
        provider, _messages(), temperature=0.3, max_tokens=120, fallback_text=lambda: "builtin answer"
    )
    elapsed = time.monotonic() - started
    assert (answer.text, answer.provider) == ("builtin answer", "builtin-fallback")
    assert elapsed < BOUND
    assert answer.latency_ms >= 0.5 * 1000 * provider.timeout  # the stall is counted: it waited for the deadline


def test_fallback_uses_the_provider_text_on_success(fake_openai, provider):
    fake_openai.set_mode(Mode.NORMAL, text="From the model.")
    lazily_built: list[str] = []

    def builtin() -> str:
        lazily_built.append("called")
        return "builtin"

    started = time.monotonic()
    answer = complete_with_fallback(provider, _messages(), temperature=0.3, max_tokens=120, fallback_text=builtin)
    elapsed_ms = (time.monotonic() - started) * 1000
    assert (answer.text, answer.provider) == ("From the model.", "openai")
    assert 0 <= answer.latency_ms <= elapsed_ms + 1
    assert (answer.prompt_tokens, answer.completion_tokens) == (11, 7)  # the server's usage figures
    assert lazily_built == []  # the offline answer is not computed when it is not needed


def test_fallback_without_a_provider_is_the_builtin_answer():
    answer = complete_with_fallback(None, _messages(), temperature=0.3, max_tokens=120, fallback_text="hi")
    assert (answer.text, answer.provider) == ("hi", "builtin")


def test_fallback_survives_a_buggy_provider():
    class Broken:
        name = "broken"

        def complete(self, messages, *, temperature, max_tokens):
            raise KeyError("bug")

        def stream(self, messages, *, temperature, max_tokens):
            raise KeyError("bug")

    answer = complete_with_fallback(Broken(), _messages(), temperature=0.3, max_tokens=120, fallback_text="ok")
    assert (answer.text, answer.provider) == ("ok", "builtin-fallback")


# --- registry ----------------------------------------------------------------------------------------


@pytest.fixture
def fresh_registry() -> Iterator[None]:
    reset_provider()
    yield
    reset_provider()


def test_get_provider_is_none_for_builtin(settings, fresh_registry):
    settings.LLM_PROVIDER = "builtin"
    assert get_provider() is None


def test_get_provider_builds_one_openai_provider_from_settings(settings, fresh_registry, fake_openai):
    settings.LLM_PROVIDER = "openai"
    settings.LLM_BASE_URL = fake_openai.base_url + "/"
    settings.LLM_MODEL = "qwen-test"
    settings.LLM_API_KEY = API_KEY
    settings.LLM_TIMEOUT_SECONDS = 7
    settings.LLM_MAX_RETRIES = 0
    settings.LLM_CIRCUIT_FAILURES = 4
    settings.LLM_CIRCUIT_RESET_SECONDS = 12

    provider = get_provider()

    assert isinstance(provider, OpenAIProvider)
    assert get_provider() is provider  # once per process: one pool, one breaker
    assert provider.url == fake_openai.base_url + "/chat/completions"
    assert (provider.model, provider.timeout, provider.max_retries) == ("qwen-test", 7.0, 0)
    assert (provider.breaker.failure_threshold, provider.breaker.reset_seconds) == (4, 12.0)
    assert API_KEY not in repr(provider)

    reset_provider()
    rebuilt = get_provider()
    assert rebuilt is not provider

    settings.LLM_MODEL = "another-model"  # a changed LLM_* setting rebuilds (tests rely on it)
    assert get_provider().model == "another-model"


def test_registry_provider_talks_to_the_server(settings, fresh_registry, fake_openai):
    settings.LLM_PROVIDER = "openai"
    settings.LLM_BASE_URL = fake_openai.base_url
    settings.LLM_API_KEY = ""
    fake_openai.set_mode(Mode.NORMAL, text="Hello!")
    answer = complete_with_fallback(
        get_provider(), _messages(), temperature=0.7, max_tokens=50, fallback_text="builtin"
    )
    assert (answer.text, answer.provider) == ("Hello!", "openai")


# --- hygiene -----------------------------------------------------------------------------------------


def test_logs_never_carry_the_childs_words_or_the_key(fake_openai, provider, caplog, calls):
    caplog.set_level(logging.DEBUG)
    fake_openai.set_mode(Mode.NORMAL, text="A reply that quotes my-secret-words-42")
    calls.complete(provider)
    _stream(provider)
    fake_openai.set_mode(Mode.ERROR_400)
    with pytest.raises(ProviderError):
        calls.complete(provider)
    complete_with_fallback(provider, _messages(), temperature=0.3, max_tokens=120, fallback_text="x")
    assert caplog.records  # status codes, durations and attempts are logged...
    assert "my-secret-words-42" not in caplog.text  # ...never a child's words or a reply
    assert "天空" not in caplog.text
    assert API_KEY not in caplog.text


def test_fake_server_saw_no_unexpected_errors(fake_openai, make_provider):
    provider = make_provider(breaker=CircuitBreaker(1000, 30))
    for mode in Mode:
        fake_openai.set_mode(mode, stall_seconds=0.01, drip_seconds=0.0)
        for call in (_complete, _stream):
            with contextlib.suppress(ProviderError):
                call(provider)
    assert fake_openai.errors == []
