"""The fast tier's features: character n-grams of the normalised text, and its Latin words.

Character n-grams need no tokeniser and carry over to spellings nobody listed: 割手腕 and 割了手腕
share 割手 and 手腕; ``cutting`` and ``cut`` share ``cut``. ``normalize`` (the lexicon's matching form)
has already folded width, case, traditional characters, separators and the worst homophones.
jieba words (+0–3 points, within noise, and ~20 µs a message), English word bigrams (no change),
n-grams of 1–3 or 2–5 characters (worse) and min_df 1 (mixed) were measured and left out: see
MODEL_CARD.md.
"""

from __future__ import annotations

import re

from ..normalize import normalize

__all__ = ["NGRAM_SIZES", "WORD_PREFIX", "features", "features_of_normalized", "latin_words"]

NGRAM_SIZES = (1, 2, 3, 4)
WORD_PREFIX = "w:"
_LATIN_WORD_RE = re.compile(r"[a-z0-9]+")


def latin_words(text: str) -> set[str]:
    """The Latin words of a normalised text, as features (``w:`` + the word)."""
    return {WORD_PREFIX + word for word in _LATIN_WORD_RE.findall(text)}


def features_of_normalized(text: str) -> set[str]:
    """Every n-gram (1–4 characters, spaces included, so words keep their edges) and every Latin
    word of an already normalised text. A set: presence, not counts, is what the model weighs."""
    padded = f" {text} "
    n = len(padded)
    out = {padded[i : i + size] for size in NGRAM_SIZES for i in range(n - size + 1)}
    out.discard(" ")
    out.update(latin_words(text))
    return out


def features(text: str) -> set[str]:
    return features_of_normalized(normalize(text))
