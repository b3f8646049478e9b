"""What the pipeline hands the agents and what they hand back. Plain data: agents never touch the ORM."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class AgentName(StrEnum):
    EDU = "edu"
    EMOTION = "emotion"
    STORY = "story"
    CHAT = "chat"
    SAFETY = "safety"  # replies written by the pipeline itself (refusals, escalations)


@dataclass(frozen=True)
class ProfileView:
    child_id: int
    display_name: str
    age: int
    age_band: str  # "5-6", "7-8", "9-10", "11-12"
    grade: int | None
    language: str  # "zh-hans" or "en"
    interests: tuple[str, ...] = ()


@dataclass(frozen=True)
class Turn:
    role: str  # "child" or "assistant"
    text: str
    agent: str = ""


@dataclass(frozen=True)
class MemoryView:
    id: int
    kind: str  # preference, fact, goal
    text: str
    importance: float = 0.5


@dataclass(frozen=True)
class AgentContext:
    """Everything an agent may know. ``text`` is the child's message after PII masking."""

    text: str
    profile: ProfileView
    history: tuple[Turn, ...] = ()  # oldest first, this session only
    memories: tuple[MemoryView, ...] = ()  # already ranked by relevance
    enabled: frozenset[AgentName] = frozenset({AgentName.EDU, AgentName.EMOTION, AgentName.STORY, AgentName.CHAT})
    session_state: dict = field(default_factory=dict)  # e.g. the story in progress

    @property
    def language(self) -> str:
        return self.profile.language


@dataclass(frozen=True)
class EmotionReading:
    label: str  # one of agents.emotion.EMOTIONS, or "neutral"
    intensity: float  # 0..1


@dataclass(frozen=True)
class RouteDecision:
    agent: AgentName
    subject: str | None = None  # edu subject key, e.g. "math"
    emotion: EmotionReading | None = None
    scores: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class MemoryCandidate:
    kind: str
    text: str
    importance: float = 0.5


@dataclass(frozen=True)
class AgentReply:
    text: str
    agent: AgentName
    subject: str | None = None
    emotion: EmotionReading | None = None
    escalate: bool = False  # the agent judged the child at risk (e.g. very high distress)
    session_state: dict | None = None  # new state to keep for the session (None = unchanged)
    memories: tuple[MemoryCandidate, ...] = ()  # facts to remember (only used with memory consent)
    forget: bool = False  # the child asked the companion to forget what it remembers
