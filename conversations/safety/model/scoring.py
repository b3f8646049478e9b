"""The arithmetic both tiers and the training command share, so serving and training agree exactly.

Each tier has one output column per model category plus a *gate* column, ``any``: a classifier of
"is this message risky at all", trained on every positive of every category (ten times the positives
of one category). A category's probability is the sigmoid of its own log-odds averaged with the
gate's, the gate weighing ``GATE_WEIGHT``: the gate adds evidence shared by all categories, which
measured +5–6 points of harmful messages caught at the same benign budget (held-out and external).
"""

from __future__ import annotations

import numpy as np

from .types import MODEL_CATEGORIES

__all__ = ["GATE", "GATE_WEIGHT", "WEIGHT_COLUMNS", "blend_logits", "category_logits", "fold_gate", "logit", "sigmoid"]

GATE = "any"
WEIGHT_COLUMNS: tuple[str, ...] = (*(c.value for c in MODEL_CATEGORIES), GATE)
GATE_WEIGHT = 0.3  # measured 0.3 / 0.5 / 1.0: 0.3 best on both held-out and external_eval


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def category_logits(z: np.ndarray, gate_weight: float = GATE_WEIGHT) -> np.ndarray:
    """A tier's log-odds → the categories' log-odds: with the gate as the last column
    (``..., categories + 1``) it is folded in; weights without a gate (``..., categories``) pass as
    they are. Linear, so blending two tiers before or after folding gives the same numbers."""
    z = np.asarray(z, dtype=np.float64)
    if z.shape[-1] == len(WEIGHT_COLUMNS):
        return (z[..., :-1] + gate_weight * z[..., -1:]) / (1.0 + gate_weight)
    if z.shape[-1] == len(MODEL_CATEGORIES):
        return z
    raise ValueError("log-odds for neither the categories nor the categories and the gate")


def fold_gate(z: np.ndarray, gate_weight: float = GATE_WEIGHT) -> np.ndarray:
    """A tier's log-odds → category probabilities (see ``category_logits``)."""
    return sigmoid(category_logits(z, gate_weight))


def blend_logits(fast: np.ndarray, semantic: np.ndarray, weight: float) -> np.ndarray:
    """The two tiers' log-odds (every column, the gate too) as a weighted mean."""
    return (1 - weight) * np.asarray(fast, dtype=np.float64) + weight * np.asarray(semantic, dtype=np.float64)
