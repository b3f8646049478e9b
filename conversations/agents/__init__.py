"""The agents: plain Python, no ORM. ``route`` decides, ``respond`` answers offline (the builtin provider),
``build_messages`` prepares the same turn for an LLM provider. See each module for the why."""

from __future__ import annotations

from .edu import resolve_subject
from .emotion import EMOTIONS, ESCALATE_AT, detect_emotion, needs_escalation
from .memory import extract, is_forget_request, rank, warm_up
from .prompts import AGENT_PARAMS, build_messages
from .respond import respond
from .router import route
from .subjects import SUBJECTS, detect_subject

__all__ = [
    "AGENT_PARAMS",
    "EMOTIONS",
    "ESCALATE_AT",
    "SUBJECTS",
    "build_messages",
    "detect_emotion",
    "detect_subject",
    "extract",
    "is_forget_request",
    "needs_escalation",
    "rank",
    "resolve_subject",
    "respond",
    "route",
    "warm_up",
]
