"""Ask an LLM which agent should answer, when a provider is configured and the keyword router is
unsure. Pure functions: the pipeline makes the call, and keeps the keyword decision on any failure."""

from __future__ import annotations

import re

from .router import CHAT_BASE
from .types import AgentName, RouteDecision

# Below this gap between the best and the runner-up score, the keyword router is guessing.
CONFIDENT_MARGIN = 1.0
CLASSIFIER_PARAMS = (0.0, 5)  # temperature, max_tokens: one word, deterministic

_DESCRIPTIONS = {
    AgentName.EDU: "edu: school questions, facts, homework, maths, how or why something works",
    AgentName.EMOTION: "emotion: the child shares a feeling or a worry",
    AgentName.STORY: "story: the child wants a story or is continuing one",
    AgentName.CHAT: "chat: greetings and small talk",
}
_WORD = re.compile(r"[a-z]+")


def is_confident(decision: RouteDecision) -> bool:
    """Unsure when the best two scores are close, or when chat won only by default (no signal at all)."""
    if decision.agent == AgentName.CHAT and decision.scores.get(AgentName.CHAT.value, CHAT_BASE) <= CHAT_BASE:
        return False
    ranked = sorted(decision.scores.values(), reverse=True)
    return len(ranked) < 2 or ranked[0] - ranked[1] >= CONFIDENT_MARGIN


def classifier_messages(text: str, enabled: frozenset[AgentName]) -> list:
    """The child's words go in the user message only; the system message lists the choices."""
    from conversations.providers.base import ChatMessage  # keeps Django out of agent imports

    choices = [agent for agent in _DESCRIPTIONS if agent in enabled or agent is AgentName.CHAT]
    system = (
        "You route a child's message to one helper. Reply with exactly one word: "
        + ", ".join(agent.value for agent in choices)
        + ".\n"
        + "\n".join(_DESCRIPTIONS[agent] for agent in choices)
    )
    return [ChatMessage(role="system", content=system), ChatMessage(role="user", content=text)]


def parse_choice(answer: str, enabled: frozenset[AgentName]) -> AgentName | None:
    """The first known agent word in the answer, if the parent has that agent switched on."""
    allowed = {agent.value for agent in enabled} | {AgentName.CHAT.value}
    for word in _WORD.findall(answer.lower()):
        if word in allowed:
            return AgentName(word)
    return None
