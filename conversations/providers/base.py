"""The LLM provider contract. The builtin provider answers from the agents' own logic; the
``openai`` provider speaks the OpenAI chat-completions protocol to any compatible server."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Protocol


class ProviderError(Exception):
    """The provider could not answer (timeout, HTTP error, open circuit, malformed reply)."""


@dataclass(frozen=True)
class ChatMessage:
    role: str  # "system", "user" or "assistant"
    content: str


@dataclass(frozen=True)
class Completion:
    text: str
    provider: str
    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0


class Provider(Protocol):
    name: str

    def complete(self, messages: list[ChatMessage], *, temperature: float, max_tokens: int) -> Completion: ...

    # The same on an event loop (the chat socket): no thread waits while the model thinks.
    async def acomplete(self, messages: list[ChatMessage], *, temperature: float, max_tokens: int) -> Completion: ...

    def astream(
        self, messages: list[ChatMessage], *, temperature: float, max_tokens: int
    ) -> AsyncGenerator[str, None]: ...
