"""The safety check of one message: normalise, match the lexicon, ask the risk model, find personal
information, decide.

Used twice per turn by the pipeline: on the child's message (``direction="in"``) and on every sentence
of the reply before the child sees it (``direction="out"``; ``split_sentences`` cuts a reply, and a
stream is buffered to a sentence boundary with ``split_complete``, checked, then emitted).

Decision table — every surviving lexicon hit gets an action, the verdict takes the strongest
(ALLOW < MASK < REDIRECT < BLOCK < ESCALATE). "Always-blocked" categories are sexual, self_harm,
abuse, strangers and dangerous: at any sensitivity they are never merely allowed.

Input (the child's message):

=====================================  ===========  ===========  ===========
hit                                    low          medium       high
=====================================  ===========  ===========  ===========
CRITICAL in self_harm/abuse/strangers  ESCALATE     ESCALATE     ESCALATE
CRITICAL elsewhere, any HIGH           BLOCK        BLOCK        BLOCK
MEDIUM                                 ALLOW [1]    REDIRECT     REDIRECT
LOW                                    ALLOW [1]    ALLOW [1]    REDIRECT
parent's blocked word                  REDIRECT     REDIRECT     REDIRECT
personal information only              MASK         MASK         MASK
=====================================  ===========  ===========  ===========

[1] REDIRECT instead when the category is always-blocked.

The learned risk model (``model/``) reads the same normalised text; each category it *finds*
(probability at or above the category's threshold) counts as a hit of ``MODEL_SEVERITY`` in the
same table: CRITICAL for the escalation categories (recall first: a child who may be in danger is
answered with care and the guardians are told, even when the wording is nobody's lexicon term), HIGH
for sexual and dangerous, MEDIUM for violence, drugs, bullying and scams. With ``context`` (the child's
previous turns in this chat, oldest first) it also scores the last turns together, so grooming that
unfolds over messages is found. The lexicon stays for what exact matching does best: explicit terms,
the family's blocked words, personal information, and the terms that explain a verdict.

Negation and intent are the model's to weigh, and its training data decides: "I don't want to die",
"I would never hurt myself", an accident (切水果割到手) and hyperbole (累死了) are trained as benign, so they
are answered normally; the emotion agent still comforts a sad child. When the model is unsure the
other way, recall wins: a negated disclosure that still reaches the self_harm threshold escalates.

Output (a sentence the LLM wrote) is stricter for the lexicon: any hit of MEDIUM or more, any hit in an
always-blocked category and any parent's blocked word → BLOCK; a LOW hit → BLOCK at high
sensitivity, else ALLOW. The model's output thresholds are calibrated on the companion's own
sentences (``model/risk.py``; half a log-odd looser than for input, as measured). There is no
REDIRECT or ESCALATE for output (the child disclosed nothing; the sentence is simply not shown and
the pipeline substitutes a safe reply). Personal information in output → MASK.

Sensitivity moves thresholds only; it never unblocks an always-blocked category. ``masked_text`` is
always the original text with personal information masked (never the normalised form). Severity in
the verdict is the highest surviving hit (LOW for personal information alone; NONE when clean), and
categories lists every surviving hit's category, even when the action is ALLOW, so a parent's
dashboard can show "mild language" without the child being interrupted.

``check_text_safe`` is what the pipeline calls: if anything raises it logs the exception *type*
only (never the text, never the exception message — a UnicodeError carries the text) and fails
closed with BLOCK/HIGH and no categories, so the message is not answered.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from .lexicon import Lexicon
from .normalize import normalize
from .pii import find_pii, mask_pii
from .types import Action, Category, Layer, Match, PiiHit, Severity, Verdict

if TYPE_CHECKING:
    from .model.risk import Assessment, RiskModel

__all__ = [
    "ALWAYS_BLOCKED",
    "ESCALATING",
    "MODEL_SEVERITY",
    "SENSITIVITIES",
    "check_text",
    "check_text_safe",
    "fail_closed_verdict",
    "split_complete",
    "split_sentences",
]

logger = logging.getLogger("conversations.safety")

SENSITIVITIES = ("low", "medium", "high")
DIRECTIONS = ("in", "out")
ALWAYS_BLOCKED = frozenset(
    {Category.SEXUAL, Category.SELF_HARM, Category.ABUSE, Category.STRANGERS, Category.DANGEROUS}
)
ESCALATING = frozenset({Category.SELF_HARM, Category.ABUSE, Category.STRANGERS})
PARENT_BLOCKED_SEVERITY = Severity.MEDIUM
# What a category the risk model found weighs in the decision table.
MODEL_SEVERITY: dict[Category, Severity] = {
    **dict.fromkeys(ESCALATING, Severity.CRITICAL),
    Category.SEXUAL: Severity.HIGH,
    Category.DANGEROUS: Severity.HIGH,
    Category.VIOLENCE: Severity.MEDIUM,
    Category.DRUGS: Severity.MEDIUM,
    Category.BULLYING: Severity.MEDIUM,
    Category.SCAMS: Severity.MEDIUM,
}

_RANK = {Action.ALLOW: 0, Action.MASK: 1, Action.REDIRECT: 2, Action.BLOCK: 3, Action.ESCALATE: 4}
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _action_in(category: Category, severity: Severity, sensitivity: str) -> Action:
    if severity >= Severity.CRITICAL and category in ESCALATING:
        return Action.ESCALATE
    if severity >= Severity.HIGH:
        return Action.BLOCK
    if category in ALWAYS_BLOCKED or category is Category.PARENT_BLOCKED:
        return Action.REDIRECT
    if severity == Severity.MEDIUM:
        return Action.ALLOW if sensitivity == "low" else Action.REDIRECT
    return Action.REDIRECT if sensitivity == "high" else Action.ALLOW


def _action_out(category: Category, severity: Severity, sensitivity: str) -> Action:
    if severity >= Severity.MEDIUM or category in ALWAYS_BLOCKED or category is Category.PARENT_BLOCKED:
        return Action.BLOCK
    return Action.BLOCK if sensitivity == "high" else Action.ALLOW


@functools.lru_cache(maxsize=4096)
def _compile_blocked(words: tuple[str, ...]) -> tuple[tuple[str, bool, bool], ...]:
    """A family's blocked words in matching form, with whether each end needs a word boundary."""
    out = []
    for w in words:
        norm = normalize(w) if isinstance(w, str) else ""
        if norm:
            out.append((norm, norm[0] in _ALNUM, norm[-1] in _ALNUM))
    return tuple(dict.fromkeys(out))


def _blocked_matches(normalized: str, blocked_words: Iterable[str]) -> list[Match]:
    words = blocked_words if isinstance(blocked_words, tuple) else tuple(blocked_words)
    if not words:
        return []
    found = []
    n = len(normalized)
    for word, left, right in _compile_blocked(words):
        start = normalized.find(word)
        while start != -1:
            end = start + len(word)
            if (not left or start == 0 or normalized[start - 1] not in _ALNUM) and (
                not right or end == n or normalized[end] not in _ALNUM
            ):
                found.append(Match(term=word, category=Category.PARENT_BLOCKED, severity=PARENT_BLOCKED_SEVERITY))
                break
            start = normalized.find(word, start + 1)
    return found


def _assess(
    model: RiskModel, masked: str, normalized: str, context: Sequence[str], direction: str
) -> Assessment | None:
    """The model's view, or None when it failed: the lexicon's verdict then stands alone (a crisis the
    lexicon escalates must not become a bare block because a model broke). Logs the error type only.
    The semantic tier reads the masked text: an embeddings server never sees a phone number."""
    try:
        if direction == "out":
            return model.assess(masked, normalized=normalized, thresholds=model.output_thresholds, semantic=False)
        if context:
            return model.assess_conversation([*context, masked], normalize=normalize, normalized=normalized)
        return model.assess(masked, normalized=normalized)
    except Exception as exc:
        logger.error("risk model failed (%s, direction=%s); the lexicon decides alone", type(exc).__name__, direction)
        return None


def check_text(
    text: str,
    *,
    lexicon: Lexicon,
    model: RiskModel | None = None,
    context: Sequence[str] = (),
    sensitivity: str = "medium",
    blocked_words: Iterable[str] = (),
    direction: str = "in",
) -> Verdict:
    """Check one message (or one output sentence) and decide; see the module docstring for the table.
    ``model`` None is the lexicon alone; ``context`` is the child's previous turns (input only)."""
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    if sensitivity not in SENSITIVITIES:
        raise ValueError("unknown sensitivity")
    if direction not in DIRECTIONS:
        raise ValueError("unknown direction")

    normalized = normalize(text)
    matches = lexicon.scan(normalized)
    if blocked_words:
        matches = matches + _blocked_matches(normalized, blocked_words)
    hits: list[tuple[Category, Severity]] = [(m.category, m.severity) for m in matches]
    layers: list[Layer] = [Layer.LEXICON] if matches else []
    pii: list[PiiHit] = find_pii(text)
    masked = mask_pii(text, pii) if pii else text
    scores: dict[Category, float] = {}
    if model is not None and normalized.strip():
        assessment = _assess(model, masked, normalized, context, direction)
        if assessment is not None:
            scores = assessment.risk.scores
            if assessment.found:
                hits.extend((c, MODEL_SEVERITY[c]) for c in assessment.found)
                layers.extend(assessment.risk.layers)

    if not hits and not pii:
        return Verdict(action=Action.ALLOW, severity=Severity.NONE, masked_text=text, scores=scores)

    decide = _action_in if direction == "in" else _action_out
    action = Action.ALLOW
    severity = Severity.NONE
    # Category -> (rank of the action it drove, severity): the category that decided comes first.
    weight: dict[Category, tuple[int, int]] = {}
    for category, hit_severity in hits:
        a = decide(category, hit_severity, sensitivity)
        if _RANK[a] > _RANK[action]:
            action = a
        if hit_severity > severity:
            severity = hit_severity
        w = (_RANK[a], int(hit_severity))
        if w > weight.get(category, (-1, -1)):
            weight[category] = w
    categories = sorted(weight, key=lambda c: weight[c], reverse=True)
    if pii:
        categories.append(Category.PERSONAL_INFO)
        layers.append(Layer.PII)
        if action is Action.ALLOW:
            action = Action.MASK
        if severity < Severity.LOW:
            severity = Severity.LOW
    return Verdict(
        action=action,
        severity=severity,
        categories=tuple(categories),
        masked_text=masked,
        matches=tuple(matches),
        pii=tuple(pii),
        scores=scores,
        layers=tuple(layers),
    )


def fail_closed_verdict(text: object = "") -> Verdict:
    """BLOCK / HIGH / no categories: what a check that raised becomes. Masks the text if that still works."""
    masked = ""
    if isinstance(text, str):
        try:
            masked = mask_pii(text, find_pii(text))
        except Exception:
            masked = ""
    return Verdict(action=Action.BLOCK, severity=Severity.HIGH, categories=(), masked_text=masked)


def check_text_safe(
    text: str,
    *,
    lexicon: Lexicon,
    model: RiskModel | None = None,
    context: Sequence[str] = (),
    sensitivity: str = "medium",
    blocked_words: Iterable[str] = (),
    direction: str = "in",
) -> Verdict:
    """``check_text`` that never raises: on any error it logs the error type only and blocks."""
    try:
        return check_text(
            text,
            lexicon=lexicon,
            model=model,
            context=context,
            sensitivity=sensitivity,
            blocked_words=blocked_words,
            direction=direction,
        )
    except Exception as exc:
        logger.error("safety check failed closed (%s, direction=%s)", type(exc).__name__, direction)
        return fail_closed_verdict(text)


# -- sentences ----------------------------------------------------------------------------------------

_CLOSERS = "”’\"'」』）)]】》"
_SENTENCE_END_RE = re.compile(
    "(?:[。！？；!?]+|…+|\\.{3,}|\\.(?=[\\s" + re.escape(_CLOSERS) + "\u4e00-\u9fff]|$))[" + re.escape(_CLOSERS) + "]*"
    "|\\n+"
)
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "vs", "etc", "e.g", "i.e", "prof", "jr", "sr", "mt"})
_WORD_BEFORE_RE = re.compile(r"([A-Za-z.]+)$")


def _cuts(text: str) -> list[int]:
    cuts = []
    for m in _SENTENCE_END_RE.finditer(text):
        if text[m.start()] == "." and not text.startswith("...", m.start()):
            before = _WORD_BEFORE_RE.search(text, 0, m.start())
            if before and before.group(1).lower() in _ABBREVIATIONS:
                continue
        cuts.append(m.end())
    return cuts


def split_sentences(text: str) -> list[str]:
    """Cut text into sentences, keeping each sentence's punctuation and closing quotes.

    Chinese ends at 。！？；… and English at . ! ? (not after Mr./Dr./e.g., not inside 3.14); a newline
    also ends a sentence. Used for output moderation: each sentence is checked before it is shown.
    """
    out = []
    last = 0
    for cut in _cuts(text):
        piece = text[last:cut].strip()
        if piece:
            out.append(piece)
        last = cut
    tail = text[last:].strip()
    if tail:
        out.append(tail)
    return out


def split_complete(buffer: str) -> tuple[list[str], str]:
    """For streaming: the complete sentences in ``buffer`` and the unfinished rest to keep buffering.

    A '.' at the very end stays in the rest (it may be "3." of "3.14" or "Mr."); flush the rest with
    ``split_sentences`` when the stream ends.
    """
    cuts = [c for c in _cuts(buffer) if not (c == len(buffer) and buffer.rstrip(_CLOSERS).endswith("."))]
    if not cuts:
        return [], buffer
    last = cuts[-1]
    done = []
    prev = 0
    for cut in cuts:
        piece = buffer[prev:cut].strip()
        if piece:
            done.append(piece)
        prev = cut
    return done, buffer[last:].lstrip()
