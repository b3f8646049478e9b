"""The fast tier: a linear model over the n-gram features, scored in microseconds.

A message's features are looked up in the trained vocabulary, the weight rows of those found are
summed, and the gate folded in (``scoring.py``) gives the probabilities. Features are present or
absent and the sum is divided by the square root of the message's distinct feature count, exactly as
in training (``training.py``), so long messages do not score higher just for being long.

Two ways to find the features, with identical results (a test compares them on every length):

- short texts (most children's messages): a Python set of n-gram strings and one dict lookup each;
- from ``VECTOR_FROM`` characters: numpy. Each n-gram becomes one integer key (code points packed 21
  bits apiece for 1–3 characters; a 4-gram's 84 bits are hashed into 63, top bit set so it never
  equals a shorter key), the keys are sorted and deduplicated, and the vocabulary's sorted keys are
  searched. 2,000 characters cost ~0.2 ms instead of ~0.7 ms; below ~40 characters numpy's per-call
  overhead makes the set faster.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..types import Category
from .features import NGRAM_SIZES, WORD_PREFIX, features_of_normalized, latin_words
from .scoring import WEIGHT_COLUMNS, category_logits, sigmoid
from .types import MODEL_CATEGORIES

__all__ = ["VECTOR_FROM", "LinearTier", "ngram_key"]

_WIDTHS = (len(MODEL_CATEGORIES), len(WEIGHT_COLUMNS))  # without or with the gate column
VECTOR_FROM = 40  # characters of normalised text from which the numpy path is the faster (measured)
_BITS = 21  # every code point fits (U+10FFFF < 2**21)
_MIX = 0x9E3779B97F4A7C15  # 2**64 / golden ratio: spreads the 4-gram hash
_TOP = 1 << 63
_MASK64 = (1 << 64) - 1
_SPACE_KEY = ord(" ")  # the lone space is not a feature (features.py)


def ngram_key(ngram: str) -> int:
    """The integer key of one n-gram of 1-4 characters, as ``_keys`` computes it for a whole text."""
    key = 0
    for ch in ngram[:3]:
        key = (key << _BITS) | ord(ch)
    if len(ngram) == 4:
        key = (((key * _MIX) & _MASK64) ^ ord(ngram[3])) | _TOP
    return key


def _keys(codes: np.ndarray) -> np.ndarray:
    """Every n-gram's key (all sizes of ``NGRAM_SIZES``) of a text given as uint64 code points."""
    shift = np.uint64(_BITS)
    k2 = (codes[:-1] << shift) | codes[1:]
    k3 = (k2[:-1] << shift) | codes[2:]
    k4 = ((k3[:-1] * np.uint64(_MIX)) ^ codes[3:]) | np.uint64(_TOP)
    return np.concatenate((codes, k2, k3, k4))


class LinearTier:
    """Immutable after loading, so one instance is shared by every thread of a process."""

    def __init__(self, *, vocabulary: list[str], coef: np.ndarray, intercept: np.ndarray) -> None:
        if (
            coef.ndim != 2
            or coef.shape[0] != len(vocabulary)
            or coef.shape[1] not in _WIDTHS
            or intercept.shape != (coef.shape[1],)
        ):
            raise ValueError("weights do not match the vocabulary and the categories")
        self._index = {feature: i for i, feature in enumerate(vocabulary)}
        # The gate is folded into the category columns once, here (it is linear): fewer operations
        # per message, the same numbers as ``category_logits`` of the unfolded weights.
        self._coef = np.ascontiguousarray(category_logits(np.asarray(coef, dtype=np.float64)), dtype=np.float32)
        self._intercept = np.asarray(category_logits(np.asarray(intercept, dtype=np.float64)), dtype=np.float32)
        # The numpy path's vocabulary: n-gram keys sorted, with their rows; words stay in _index.
        # A feature like "w:ab" is both a word and a 4-gram: texts containing "w:" take the set path.
        grams = [(ngram_key(f), i) for f, i in self._index.items() if not f.startswith(WORD_PREFIX)]
        keys = np.fromiter((k for k, _ in grams), dtype=np.uint64, count=len(grams))
        order = np.argsort(keys, kind="stable")
        self._gram_keys = keys[order]
        self._gram_rows = np.fromiter((i for _, i in grams), dtype=np.intp, count=len(grams))[order]

    @classmethod
    def load(cls, path: Path) -> LinearTier:
        with np.load(path, allow_pickle=False) as data:
            if tuple(data["categories"]) not in (WEIGHT_COLUMNS, WEIGHT_COLUMNS[:-1]):
                raise ValueError(f"{path.name} was trained for other categories")
            # .tolist(): plain str keys (numpy str_ keys made the lookups ~1.5x slower)
            return cls(vocabulary=data["vocabulary"].tolist(), coef=data["coef"], intercept=data["intercept"])

    @property
    def size(self) -> int:
        return len(self._index)

    def logits(self, normalized: str) -> np.ndarray:
        """Log-odds per category, the gate folded in (see ``scoring.py``)."""
        if len(normalized) >= VECTOR_FROM and WORD_PREFIX not in normalized:
            rows, count = self._rows_vectorised(normalized)
        else:
            rows, count = self._rows_by_set(normalized)
        if not rows:
            return self._intercept.copy()
        return self._intercept + self._coef.take(rows, axis=0).sum(axis=0) * (1.0 / math.sqrt(count))

    def _rows_by_set(self, normalized: str) -> tuple[list[int], int]:
        found = features_of_normalized(normalized)
        index = self._index
        return [i for i in map(index.get, found) if i is not None], len(found)

    def _rows_vectorised(self, normalized: str) -> tuple[list[int], int]:
        """The same rows and count as ``_rows_by_set``, from sorted integer keys (module docstring)."""
        assert max(NGRAM_SIZES) == 4 and min(NGRAM_SIZES) == 1
        codes = np.frombuffer(f" {normalized} ".encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        keys = np.sort(_keys(codes))
        distinct = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
        distinct = distinct[distinct != _SPACE_KEY]
        vocabulary = self._gram_keys
        at = np.searchsorted(vocabulary, distinct)
        at[at == len(vocabulary)] = 0
        rows: list[int] = self._gram_rows[at[vocabulary[at] == distinct]].tolist()
        words = latin_words(normalized)
        index = self._index
        rows.extend(i for i in map(index.get, words) if i is not None)
        return rows, len(distinct) + len(words)

    def probabilities(self, normalized: str) -> dict[Category, float]:
        return dict(zip(MODEL_CATEGORIES, sigmoid(self.logits(normalized)).tolist(), strict=True))
