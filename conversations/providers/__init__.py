"""LLM providers: the contract (base), the circuit breaker, and the process-wide registry.

The ``openai`` module (and httpx) is imported only when that provider is configured; import
``OpenAIProvider`` from ``conversations.providers.openai`` directly.
"""

from __future__ import annotations

from conversations.providers.base import ChatMessage, Completion, Provider, ProviderError
from conversations.providers.circuit import CircuitBreaker, CircuitOpenError, CircuitState
from conversations.providers.registry import (
    BUILTIN,
    BUILTIN_FALLBACK,
    Answer,
    complete_with_fallback,
    get_provider,
    reset_provider,
)

__all__ = [
    "BUILTIN",
    "BUILTIN_FALLBACK",
    "Answer",
    "ChatMessage",
    "CircuitBreaker",
    "CircuitOpenError",
    "CircuitState",
    "Completion",
    "Provider",
    "ProviderError",
    "complete_with_fallback",
    "get_provider",
    "reset_provider",
]
