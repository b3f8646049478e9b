"""Look up a child's question in the built-in knowledge base (knowledge_zh.py + knowledge_en.py).

Why triggers and not fuzzy search: a wrong answer to a child is worse than "let's find out together". A
topic only matches when all words of one of its triggers are present; the most specific match (longest
trigger) wins. Chinese and English triggers are both tried on every message, and the answer is given in
the reply language, so "what does 恐龙灭绝 mean" and "恐龙为什么灭绝" reach the same topic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .knowledge_en import EN
from .knowledge_zh import ZH
from .textutil import has_cjk, normalise


@dataclass(frozen=True)
class Topic:
    key: str
    subject: str
    zh: tuple[str, str]  # (ages 5-8, ages 9-12)
    en: tuple[str, str]

    def answer(self, lang: str, level: int) -> str:
        young, older = self.zh if lang == "zh" else self.en
        return young if level <= 1 else older


# A trigger word: a literal that must occur in the text, and for English a pattern that must match
# too (whole word, plural allowed). The literal is checked first: it rules out most triggers for
# the cost of a substring search, before any regular expression runs.
Word = tuple[str, re.Pattern[str] | None]


def _en_word(word: str) -> Word:
    if word.endswith("*"):
        return word[:-1], re.compile(r"(?<![a-z])" + re.escape(word[:-1]))
    return word, re.compile(r"(?<![a-z])" + re.escape(word) + r"(?:s|es)?(?![a-z])")


def _build() -> tuple[dict[str, Topic], list[tuple[Topic, list[tuple[Word, ...]], int]]]:
    if set(ZH) != set(EN):
        raise ImportError(f"knowledge_zh and knowledge_en disagree on topics: {sorted(set(ZH) ^ set(EN))}")
    topics: dict[str, Topic] = {}
    matchers: list[tuple[Topic, list[tuple[Word, ...]], int]] = []
    for key, (subject, zh_triggers, zh_young, zh_older) in ZH.items():
        en_triggers, en_young, en_older = EN[key]
        topic = Topic(key, subject, (zh_young, zh_older), (en_young, en_older))
        topics[key] = topic
        for trigger in zh_triggers:
            words = tuple(normalise(w) for w in trigger)
            # Chinese characters carry more meaning each than Latin letters: weigh them double.
            weight = sum(len(w) * (2 if has_cjk(w) else 1) for w in words)
            compiled = tuple((w, None) if has_cjk(w) or not w.isascii() else _en_word(w) for w in words)
            matchers.append((topic, [compiled], weight))
        for trigger in en_triggers:
            patterns = tuple(_en_word(normalise(w)) for w in trigger)
            matchers.append((topic, [patterns], sum(len(w.rstrip("*")) for w in trigger)))
    return topics, matchers


TOPICS, _MATCHERS = _build()


def _matches(norm: str, words: tuple[Word, ...]) -> bool:
    for literal, pattern in words:
        if literal not in norm or (pattern is not None and not pattern.search(norm)):
            return False
    return True


def lookup(text: str) -> Topic | None:
    """The best-matching topic for ``text``, or None."""
    norm = normalise(text)
    best: tuple[int, Topic] | None = None
    for topic, (words,), weight in _MATCHERS:
        if (best is None or weight > best[0]) and _matches(norm, words):
            best = (weight, topic)
    return best[1] if best else None
