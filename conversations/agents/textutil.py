"""Small text helpers shared by every agent.

Why here: each agent needs the same three things — one normal form of the child's text (so a full-width
"？" and a "?" match the same rules), one decision about which language to answer in, and variety that is
*deterministic* (the builtin provider must give the same answer to the same input, so tests and replays are
stable). Python's ``hash()`` is salted per process, so variety comes from CRC32 instead.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Sequence
from typing import TypeVar

from .types import AgentContext, ProfileView

T = TypeVar("T")

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[a-z]{2,}")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_BANDS = {"5-6": 0, "7-8": 1, "9-10": 2, "11-12": 3}


def normalise(text: str) -> str:
    """NFKC (full-width → half-width, compatibility forms) and lower case; the form every matcher uses."""
    return unicodedata.normalize("NFKC", text or "").translate(_QUOTES).lower().strip()


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def profile_language(profile: ProfileView) -> str:
    """``"zh"`` or ``"en"`` from the profile's language code ("zh-hans", "en", ...)."""
    return "en" if (profile.language or "").lower().startswith("en") else "zh"


def language_signal(text: str) -> str | None:
    """``"zh"``/``"en"`` if ``text`` shows a language, None for digits and symbols ("3+5=?", "2").

    Chinese characters win unless the message is clearly an English sentence quoting a Chinese word
    ("what does 苹果 mean").
    """
    norm = normalise(text)
    cjk = len(_CJK.findall(norm))
    words = len(_LATIN_WORD.findall(norm))
    if cjk == 0:
        return "en" if words else None
    if words >= 3 and cjk <= 4:
        return "en"
    return "zh"


def reply_language(text: str, default: str) -> str:
    """Answer in the language the child just used; ``default`` when the message shows none."""
    return language_signal(text) or default


def conversation_language(ctx: AgentContext) -> str:
    """The reply language for ``ctx``: this message's language, else the last one the child used in this
    session (so "1" answers an English story in English), else the profile's."""
    for text in (ctx.text, *(t.text for t in reversed(ctx.history) if t.role == "child")):
        signal = language_signal(text or "")
        if signal:
            return signal
    return profile_language(ctx.profile)


def band_level(profile: ProfileView) -> int:
    """0 for 5-6, 1 for 7-8, 2 for 9-10, 3 for 11-12 (from ``age_band``, else from ``age``)."""
    level = _BANDS.get(profile.age_band)
    if level is not None:
        return level
    age = profile.age or 8
    return 0 if age <= 6 else 1 if age <= 8 else 2 if age <= 10 else 3


def stable_index(n: int, *keys: object) -> int:
    """A deterministic index in ``range(n)`` derived from ``keys`` (same keys → same index, every process)."""
    if n <= 0:
        raise ValueError("n must be positive")
    return zlib.crc32("\x1f".join(str(k) for k in keys).encode("utf-8")) % n


def pick(options: Sequence[T], *keys: object) -> T:
    """Choose one of ``options`` deterministically from ``keys``; how the builtin agents vary their wording."""
    return options[stable_index(len(options), *keys)]


def is_question(norm: str) -> bool:
    """Does the (normalised) text ask something? Question marks, Chinese question words or English wh-words."""
    if "?" in norm:
        return True
    if any(w in norm for w in _ZH_QUESTION):
        return True
    return bool(_EN_QUESTION.search(norm))


_ZH_QUESTION = (
    "为什么",
    "什么",
    "怎么",
    "怎样",
    "如何",
    "吗",
    "呢",
    "多少",
    "多长",
    "多大",
    "多高",
    "多远",
    "多重",
    "多久",
    "几",
    "哪",
    "谁",
    "是不是",
    "能不能",
    "可不可以",
    "请问",
)
_EN_QUESTION = re.compile(
    r"^(why|what|what's|whats|how|who|where|when|which|is|are|do|does|can|could|will|would|should)\b"
    r"|\b(why|what is|what are|how do|how does|how many|how much|how long|how big|how far|tell me about|explain)\b"
)
