"""The semantic tier's head: a logistic layer per category (and the gate) over a sentence embedding."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..types import Category
from .scoring import WEIGHT_COLUMNS, fold_gate
from .types import MODEL_CATEGORIES

__all__ = ["SemanticHead"]

_WIDTHS = (len(MODEL_CATEGORIES), len(WEIGHT_COLUMNS))  # without or with the gate column


class SemanticHead:
    def __init__(self, *, coef: np.ndarray, intercept: np.ndarray, embedder: str) -> None:
        if coef.ndim != 2 or coef.shape[1] not in _WIDTHS or intercept.shape != (coef.shape[1],):
            raise ValueError("weights do not match the categories")
        self._coef = np.ascontiguousarray(coef, dtype=np.float32)
        self._intercept = np.asarray(intercept, dtype=np.float32)
        self.embedder = embedder  # the embedder the head was trained on; another one's vectors mean nothing here

    @property
    def dim(self) -> int:
        return int(self._coef.shape[0])

    @classmethod
    def load(cls, path: Path) -> SemanticHead:
        with np.load(path, allow_pickle=False) as data:
            if tuple(data["categories"]) not in (WEIGHT_COLUMNS, WEIGHT_COLUMNS[:-1]):
                raise ValueError(f"{path.name} was trained for other categories")
            return cls(coef=data["coef"], intercept=data["intercept"], embedder=str(data["embedder"]))

    def logits(self, embedding: np.ndarray) -> np.ndarray:
        """Log-odds per category and, last, the gate (see ``scoring.py``)."""
        return np.asarray(embedding, dtype=np.float32) @ self._coef + self._intercept

    def probabilities(self, embedding: np.ndarray) -> dict[Category, float]:
        return dict(zip(MODEL_CATEGORIES, fold_gate(self.logits(embedding)).tolist(), strict=True))
