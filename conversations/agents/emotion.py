"""The emotion agent: read a feeling (10 labels + neutral) with an intensity, and answer with a strategy.

Detection is lexical on purpose: it must run on every message in microseconds, be explainable to a parent
("we saw 非常难过") and never guess. A feeling word's base weight is adjusted by the words right before it
(很/非常/really/so raise it, 有点/a bit lower it, 不/not negate it: 不开心 → sad), by repeated feeling words
and by exclamation marks. The reply follows one strategy for every feeling: validate and name it, offer a
coping idea the child's age can use, invite them to share, and point to a trusted adult when a hard feeling
is intense. At ``ESCALATE_AT`` or above for sad/scared/anxious/lonely the reply asks for escalation so the
pipeline alerts the guardians.
"""

from __future__ import annotations

import re

from . import emotion_lexicon as lx
from . import emotion_replies as rp
from .lexicon import TermIndex
from .textutil import band_level, normalise, pick
from .types import AgentContext, AgentName, AgentReply, EmotionReading, RouteDecision

EMOTIONS: tuple[str, ...] = (
    "happy",
    "sad",
    "angry",
    "scared",
    "surprised",
    "disgusted",
    "anxious",
    "lonely",
    "excited",
    "confused",
)
NEUTRAL = "neutral"
EMOTION_NAMES_ZH: dict[str, str] = {
    "happy": "开心",
    "sad": "难过",
    "angry": "愤怒",
    "scared": "害怕",
    "surprised": "惊讶",
    "disgusted": "厌恶",
    "anxious": "焦虑",
    "lonely": "孤独",
    "excited": "兴奋",
    "confused": "困惑",
    NEUTRAL: "平静",
}
RISK_EMOTIONS = frozenset({"sad", "scared", "anxious", "lonely"})
NEGATIVE_EMOTIONS = frozenset({"sad", "scared", "anxious", "lonely", "angry", "disgusted"})
SUPPORT_AT = 0.6  # suggest a trusted adult from here
ESCALATE_AT = 0.8  # ask the pipeline to alert the guardians from here

# On a tie, the feeling that needs more care wins.
_PRIORITY = ("scared", "sad", "anxious", "lonely", "angry", "disgusted", "confused", "surprised", "excited", "happy")

_INDEX: TermIndex[tuple[str, float] | None] = TermIndex(
    [(term, (emotion, weight)) for emotion, terms in lx.ZH_TERMS.items() for term, weight in terms.items()]
    + [(term, (emotion, weight)) for emotion, terms in lx.EN_TERMS.items() for term, weight in terms.items()]
    + [(term, (emotion, weight)) for emotion, terms in lx.ZH_SITUATIONS.items() for term, weight in terms.items()]
    + [(term, (emotion, weight)) for emotion, terms in lx.EN_SITUATIONS.items() for term, weight in terms.items()]
    + [(decoy, None) for decoy in lx.DECOYS]
)

# Chinese words that may sit between a modifier and the feeling word ("我不觉得开心", "真的很难过").
_ZH_FILLERS = ("是", "觉得", "感到", "感觉", "得", "到", "也", "都", "了", "变得", "又", "还", "就", "好像", "有")
_ZH_MODIFIERS: list[tuple[str, str, float]] = sorted(
    [(w, "int", v) for w, v in lx.ZH_INTENSIFIERS.items()]
    + [("真的", "int", 0.1)]
    + [(w, "mit", -0.15) for w in lx.ZH_MITIGATORS]
    + [(w, "neg", 0.0) for w in lx.ZH_NEGATORS]
    + [(w, "fill", 0.0) for w in _ZH_FILLERS],
    key=lambda item: -len(item[0]),
)
_EN_FILLERS = frozenset(
    {"feel", "feeling", "felt", "am", "i'm", "im", "was", "is", "are", "be", "being", "get", "getting", "got"}
    | {"a", "of", "this", "that", "it's", "its", "makes", "made", "me", "i", "you're", "he's", "she's"}
)
_EN_MITIGATOR_WORDS = frozenset({"bit", "little", "kinda", "slightly", "somewhat", "kind", "sort"})
_CLAUSE_BREAK = re.compile(r"[,.!?;:。、~…]|\bbut\b|\bbecause\b|\band\b|但是|可是|不过|因为|所以")
_ELONGATED = re.compile(r"([a-z])\1{2,}")
_EN_WORDS = re.compile(r"[a-z']+")


def _clause_before(norm: str, start: int) -> str:
    """The text between the previous clause break and ``start``: modifiers never reach across a comma."""
    prefix = norm[:start]
    breaks = list(_CLAUSE_BREAK.finditer(prefix))
    return prefix[breaks[-1].end() :] if breaks else prefix


def _zh_modifiers(prefix: str) -> tuple[float, bool]:
    """Walk back from the feeling word over adjacent intensifiers, mitigators and fillers; stop at a negator."""
    boosts: list[float] = []
    mitigated = False
    prefix = prefix.rstrip()
    for _ in range(8):
        found = next((m for m in _ZH_MODIFIERS if prefix.endswith(m[0])), None)
        if found is None:
            break
        word, kind, value = found
        prefix = prefix[: -len(word)]
        if kind == "neg":
            return _combine(boosts, mitigated), True
        if kind == "int":
            boosts.append(value)
        elif kind == "mit":
            mitigated = True
    return _combine(boosts, mitigated), False


def _en_modifiers(prefix: str) -> tuple[float, bool]:
    boosts: list[float] = []
    mitigated = False
    for word in reversed(_EN_WORDS.findall(prefix)[-6:]):
        if word in lx.EN_INTENSIFIERS:
            boosts.append(lx.EN_INTENSIFIERS[word])
        elif word in lx.EN_NEGATORS or word.endswith("n't"):
            return _combine(boosts, mitigated), True
        elif word in _EN_MITIGATOR_WORDS:
            mitigated = True
        elif word not in _EN_FILLERS:
            break
    return _combine(boosts, mitigated), False


def _combine(boosts: list[float], mitigated: bool) -> float:
    """The strongest intensifier counts fully, each repeat ("非常非常", "so so") adds a little."""
    bonus = (max(boosts) + 0.1 * (len(boosts) - 1)) if boosts else 0.0
    return min(bonus, 0.35) - (0.15 if mitigated else 0.0)


def _exclamation_bonus(norm: str) -> float:
    count = norm.count("!")
    return 0.0 if count == 0 else 0.05 if count == 1 else 0.1 if count == 2 else 0.15


def detect_emotion(text: str, language: str = "zh") -> EmotionReading:
    """The dominant feeling in ``text`` and its intensity (0..1); ``neutral``/0.0 when none is expressed.

    ``language`` is a hint only: both lexicons always apply, because children mix languages in one message.
    """
    del language  # both lexicons always apply
    norm, stretched = _ELONGATED.subn(r"\1", normalise(text))  # "sooo sad" → "so sad", and note the stretch
    per_emotion: dict[str, list[float]] = {}
    for hit in _INDEX.find(norm):
        if hit.payload is None:
            continue
        emotion, base = hit.payload
        prefix = _clause_before(norm, hit.start)
        if hit.term[0].isascii():
            bonus, negated = _en_modifiers(prefix)
        else:
            bonus, negated = _zh_modifiers(prefix)
            bonus += max((v for w, v in lx.ZH_AFTER_INTENSIFIERS.items() if norm.startswith(w, hit.end)), default=0.0)
        if negated:
            if emotion not in lx.NEGATION_FLIP:
                continue  # "不害怕", "not worried": no feeling to act on
            emotion, base = lx.NEGATION_FLIP[emotion]
        per_emotion.setdefault(emotion, []).append(base + bonus)
    if not per_emotion:
        return EmotionReading(NEUTRAL, 0.0)
    label = max(per_emotion, key=lambda e: (sum(per_emotion[e]), -_PRIORITY.index(e)))
    values = per_emotion[label]
    intensity = max(values) + 0.1 * min(len(values) - 1, 2) + _exclamation_bonus(norm) + (0.1 if stretched else 0.0)
    return EmotionReading(label, round(min(1.0, max(0.05, intensity)), 2))


def needs_escalation(reading: EmotionReading | None) -> bool:
    """Very strong sadness, fear, worry or loneliness: the guardians should know now."""
    return bool(reading and reading.label in RISK_EMOTIONS and reading.intensity >= ESCALATE_AT)


def needs_trusted_adult(reading: EmotionReading | None) -> bool:
    return bool(reading and reading.label in RISK_EMOTIONS and reading.intensity >= SUPPORT_AT)


def _degree(intensity: float, lang: str) -> str:
    for upper, zh, en in rp.DEGREES:
        if intensity < upper:
            return zh if lang == "zh" else en
    return ""


def support_text(ctx: AgentContext, reading: EmotionReading, lang: str, *, liked: tuple[str, ...] = ()) -> str:
    """The strategy for ``reading`` as one reply: validate + name → (adult) → coping → (adult) → invite."""
    seed = (ctx.profile.child_id, ctx.text, len(ctx.history))
    if reading.label == NEUTRAL:
        table = rp.CONTINUE[lang]
        because = any(w in normalise(ctx.text) for w in ("因为", "because", "since", "原因"))
        first = pick(table["because"] if because else table["listen"], *seed)
        return f"{first}{rp.SEP[lang]}{pick(table['invite'], *seed)}"
    table = rp.STRATEGIES[reading.label][lang]
    level = band_level(ctx.profile)
    parts = [pick(table["validate"], *seed).format(degree=_degree(reading.intensity, lang))]
    if needs_escalation(reading):
        parts.append(rp.ESCALATE[lang])
        parts.append(pick(rp.BREATHING[lang], *seed))
        parts.append(rp.STAY[lang])
        return rp.SEP[lang].join(parts)
    coping = pick(table["cope_young" if level <= 1 else "cope_older"], *seed)
    parts.append(coping)
    if liked and reading.label in NEGATIVE_EMOTIONS and not needs_trusted_adult(reading):
        parts.append(rp.LIKED[lang].format(thing=pick(liked, *seed)))
    if reading.label == "lonely":
        parts.append(rp.AI_FRIEND[lang])
    if needs_trusted_adult(reading) and "信任" not in coping and "trust" not in coping:
        parts.append(rp.TRUSTED_ADULT[lang])
    parts.append(pick(table["invite"], *seed))
    return rp.SEP[lang].join(parts)


def respond(ctx: AgentContext, decision: RouteDecision, lang: str, *, liked: tuple[str, ...] = ()) -> AgentReply:
    """The emotion agent's builtin reply; escalates at very high intensity of a hard feeling."""
    reading = decision.emotion or detect_emotion(ctx.text, lang)
    return AgentReply(
        text=support_text(ctx, reading, lang, liked=liked),
        agent=AgentName.EMOTION,
        emotion=reading,
        escalate=needs_escalation(reading),
    )
