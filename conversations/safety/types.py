"""The safety vocabulary shared by the checker, the pipeline and the API. No ORM here."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


class Action(StrEnum):
    ALLOW = "allow"  # nothing found
    MASK = "mask"  # personal information replaced before storage and before any LLM sees it
    REDIRECT = "redirect"  # answer with a gentle change of topic instead of the request
    BLOCK = "block"  # not answered; a kind refusal
    ESCALATE = "escalate"  # caring reply with help, guardians alerted at once


# The message was not simply answered: what parents see as "flagged" (history, insights, an index).
FLAGGED_ACTIONS: tuple[Action, ...] = (Action.REDIRECT, Action.BLOCK, Action.ESCALATE)


class Category(StrEnum):
    SELF_HARM = "self_harm"
    VIOLENCE = "violence"
    SEXUAL = "sexual"
    DRUGS = "drugs"  # drugs, alcohol, tobacco
    BULLYING = "bullying"  # bullying, hate, profanity
    DANGEROUS = "dangerous"  # dangerous activities and challenges
    STRANGERS = "strangers"  # contact with strangers, grooming, meeting up
    SCAMS = "scams"
    PERSONAL_INFO = "personal_info"
    ABUSE = "abuse"  # a child disclosing abuse
    PARENT_BLOCKED = "parent_blocked"  # the family's own blocked words


# Not a lexicon category: the emotion agent judged the child very distressed (strong sadness, fear,
# worry or loneliness). The message's verdict becomes escalate with this category first.
EMOTIONAL_DISTRESS = "emotional_distress"


class Layer(StrEnum):
    """Which part of the check spoke. A verdict lists the layers whose findings it holds; the model's
    own scores list the tiers that computed them (``fast`` always, ``semantic`` when the text was
    embedded, ``conversation`` when the last turns together found what the message alone did not)."""

    LEXICON = "lexicon"  # a reviewed term, or the family's blocked word
    PII = "pii"  # personal information found (and masked)
    FAST = "fast"
    SEMANTIC = "semantic"
    CONVERSATION = "conversation"


class Severity(IntEnum):
    """Ordered, so thresholds compare. ``.label`` is the API/database value."""

    NONE = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def from_label(cls, label: str) -> Severity:
        return cls[label.upper()]


@dataclass(frozen=True)
class Match:
    """One lexicon hit. ``term`` is the lexicon's normalised term (safe to log), never the child's text."""

    term: str
    category: Category
    severity: Severity


@dataclass(frozen=True)
class PiiHit:
    kind: str  # phone, id_card, email, qq, wechat, address, school_class
    start: int
    end: int


@dataclass(frozen=True)
class Verdict:
    action: Action
    severity: Severity
    categories: tuple[Category, ...] = ()
    masked_text: str = ""
    matches: tuple[Match, ...] = field(default=(), repr=False)
    pii: tuple[PiiHit, ...] = field(default=(), repr=False)
    # The risk model's probability per category (0-1, rounded), empty when it did not run, and the
    # layers whose findings decided: the explanation staff and parents see beside a verdict.
    scores: dict[Category, float] = field(default_factory=dict, compare=False, repr=False)
    layers: tuple[Layer, ...] = ()

    @property
    def flagged(self) -> bool:
        return self.action in FLAGGED_ACTIONS
