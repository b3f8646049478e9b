"""Which LLM provider this process uses, and the one call shape that never fails a child's message.

``get_provider()`` builds the configured provider once per process: the HTTP connection pool and
the circuit breaker only help if every request shares them. ``complete_with_fallback()`` is what
the pipeline calls: an LLM outage costs quality (the builtin engine answers), never the message.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from conversations.providers.base import ChatMessage, Provider, ProviderError
from conversations.providers.circuit import CircuitBreaker

if TYPE_CHECKING:
    from conversations.providers.openai import OpenAIProvider

logger = logging.getLogger(__name__)

BUILTIN = "builtin"
BUILTIN_FALLBACK = "builtin-fallback"


@dataclass(frozen=True)
class Answer:
    """A reply's text and what is recorded about where it came from and what it cost."""

    text: str
    provider: str  # the provider's name, "builtin", or "builtin-fallback" after a failure
    latency_ms: int
    prompt_tokens: int = 0
    completion_tokens: int = 0


_lock = threading.Lock()
_provider: OpenAIProvider | None = None


def get_provider() -> Provider | None:
    """The configured remote provider, or None when the builtin engine answers (``LLM_PROVIDER=builtin``)."""
    global _provider
    kind = settings.LLM_PROVIDER
    if kind == BUILTIN:
        return None
    if kind != "openai":
        raise ImproperlyConfigured(f"Unknown LLM_PROVIDER {kind!r}")
    provider = _provider
    if provider is not None:
        return provider
    with _lock:
        if _provider is None:
            _provider = _build_openai()
        return _provider


def _build_openai() -> OpenAIProvider:
    from conversations.providers.openai import OpenAIProvider  # httpx loads only when configured

    breaker = CircuitBreaker(settings.LLM_CIRCUIT_FAILURES, settings.LLM_CIRCUIT_RESET_SECONDS, name="openai")
    return OpenAIProvider(
        base_url=settings.LLM_BASE_URL,
        model=settings.LLM_MODEL,
        api_key=settings.LLM_API_KEY,
        timeout=settings.LLM_TIMEOUT_SECONDS,
        max_retries=settings.LLM_MAX_RETRIES,
        breaker=breaker,
    )


def reset_provider() -> None:
    """Forget (and close) the cached provider; the next get_provider() rebuilds it from settings."""
    global _provider
    with _lock:
        provider, _provider = _provider, None
    if provider is not None:
        provider.close()


@receiver(setting_changed)
def _reset_on_llm_setting_change(*, setting: str, **kwargs: Any) -> None:
    """Tests that override LLM_* settings get a provider built from the new values."""
    if setting.startswith("LLM_"):
        reset_provider()


def complete_with_fallback(
    provider: Provider | None,
    messages: list[ChatMessage],
    *,
    temperature: float,
    max_tokens: int,
    fallback_text: str | Callable[[], str],
) -> Answer:
    """The provider's answer, or the builtin text whenever the provider cannot answer.

    ``fallback_text`` is the builtin engine's answer, or a callable producing it so the offline
    work is only done when needed. Provider name is the provider's own on success, ``"builtin"``
    when no provider is configured, ``"builtin-fallback"`` after a failure (recorded on the message
    so parents' and operators' views show the outage). Latency includes the failed attempt.
    """
    started = time.monotonic()
    if provider is None:
        return Answer(_resolve(fallback_text), BUILTIN, _ms_since(started))
    try:
        completion = provider.complete(messages, temperature=temperature, max_tokens=max_tokens)
    except ProviderError as exc:
        logger.warning("llm provider=%s failed (%s); answering with builtin", provider.name, type(exc).__name__)
    except Exception:
        # A bug in a provider must not lose a child's message either; the traceback is for us.
        logger.exception("llm provider=%s raised unexpectedly; answering with builtin", provider.name)
    else:
        return Answer(
            completion.text,
            completion.provider,
            _ms_since(started),
            prompt_tokens=completion.prompt_tokens,
            completion_tokens=completion.completion_tokens,
        )
    return Answer(_resolve(fallback_text), BUILTIN_FALLBACK, _ms_since(started))


def _resolve(fallback_text: str | Callable[[], str]) -> str:
    return fallback_text() if callable(fallback_text) else fallback_text


def _ms_since(t0: float) -> int:
    return int((time.monotonic() - t0) * 1000)
