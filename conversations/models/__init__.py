"""Conversations: sessions, one row per message, safety events, memories, usage, staff lexicon."""

from conversations.models.lexicon import LexiconTerm
from conversations.models.memory import MemoryFact, MemoryKind
from conversations.models.messages import ChatSession, Message, MessageRole
from conversations.models.safety import Direction, ReviewMark, SafetyEvent, TranscriptAccess
from conversations.models.usage import InsightDay, UsageDay

__all__ = [
    "ChatSession",
    "Direction",
    "InsightDay",
    "LexiconTerm",
    "MemoryFact",
    "MemoryKind",
    "Message",
    "MessageRole",
    "ReviewMark",
    "SafetyEvent",
    "TranscriptAccess",
    "UsageDay",
]
