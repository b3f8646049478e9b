"""What the risk model says about one text: a probability per category, and which tiers spoke."""

from __future__ import annotations

from dataclasses import dataclass

from ..types import Category, Layer

__all__ = ["MODEL_CATEGORIES", "Layer", "RiskScores"]

# The categories the model is trained on, in the weights' column order. Personal information and
# parents' blocked words stay with the lexicon and the PII finder: exact matching is right for them.
MODEL_CATEGORIES: tuple[Category, ...] = (
    Category.SELF_HARM,
    Category.ABUSE,
    Category.STRANGERS,
    Category.SEXUAL,
    Category.VIOLENCE,
    Category.DANGEROUS,
    Category.DRUGS,
    Category.BULLYING,
    Category.SCAMS,
)


@dataclass(frozen=True)
class RiskScores:
    """Probabilities (0–1) per model category, rounded for storage, and the tiers that computed them."""

    scores: dict[Category, float]
    layers: tuple[Layer, ...]
