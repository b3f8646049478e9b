"""The fast tier: a linear model over the n-gram features, scored in microseconds.

A message's features are looked up in the trained vocabulary (one dict lookup each), the weight rows
of those found are summed, and the gate folded in (``scoring.py``) gives the probabilities. Features are present
or absent and the sum is divided by the square root of the message's feature count, exactly as in
training (``training.py``), so long messages do not score higher just for being long.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..types import Category
from .features import features_of_normalized
from .scoring import WEIGHT_COLUMNS, fold_gate
from .types import MODEL_CATEGORIES

__all__ = ["LinearTier"]

_WIDTHS = (len(MODEL_CATEGORIES), len(WEIGHT_COLUMNS))  # without or with the gate column


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
        self._coef = np.ascontiguousarray(coef, dtype=np.float32)
        self._intercept = np.asarray(intercept, dtype=np.float32)

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
        """Log-odds per category and, last, the gate (see ``scoring.py``)."""
        found = features_of_normalized(normalized)
        index = self._index
        rows = [i for i in map(index.get, found) if i is not None]
        if not rows:
            return self._intercept.copy()
        return self._intercept + self._coef.take(rows, axis=0).sum(axis=0) * (1.0 / math.sqrt(len(found)))

    def probabilities(self, normalized: str) -> dict[Category, float]:
        return dict(zip(MODEL_CATEGORIES, fold_gate(self.logits(normalized)).tolist(), strict=True))
