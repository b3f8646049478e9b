"""One interface over the tiers: ``RiskModel.assess`` scores a text and says which tiers spoke.

The fast tier scores every text. Where some category's fast score reaches its *routing cut* (the
fast score 70% of that category's positives reach, chosen by the training command), the semantic
tier embeds the text and the two tiers' log-odds are averaged (``scoring.py``: per category
and a shared *gate*, "risky at all", folded into each); below every cut the fast tier's low
scores stand and the embedding (tens of milliseconds) is skipped. A category is *found* when its
score reaches its threshold; the thresholds share one budget of children's benign messages flagged,
spent recall-first on the escalation categories (``training.choose_thresholds``).

``assess_conversation`` adds the conversation-level view: the last few child turns joined are scored
too (their log-odds lowered by a fixed offset), so a grooming or abuse disclosure that unfolds over
turns is found even when no single message would be.

If the embedder fails (a server down, a timeout), the fast tier's probabilities stand alone and the
layer list says so (``semantic_failed``).

Output (a sentence the companion wrote) is held to ``output_thresholds``: every threshold's log-odds
lowered by the calibration's ``output_offset`` (chosen by training: the strictest offset that blocks
at most 1% of the companion's own reviewed sentences; negative, i.e. looser than for input, because
the model reads the companion's register as riskier than it is). It is scored by the fast tier alone
(``semantic=False``): a reply is cut into sentences and embedding each would cost tens of
milliseconds apiece.

Only ``EMBED_MAX_CHARS`` characters are embedded (a message's first, a conversation window's last,
where its newest turn is): the embedding's cost grows with length (~0.5 s for 2,000 characters),
while the fast tier reads the whole text. A partial embedding may raise a category's score, never
lower it below the fast tier's.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..types import Category
from .embeddings import Embedder, EmbeddingError
from .linear import LinearTier
from .scoring import category_logits, logit, sigmoid
from .semantic import SemanticHead
from .types import MODEL_CATEGORIES, Layer, RiskScores

__all__ = [
    "EMBED_MAX_CHARS",
    "WEIGHTS_DIR",
    "Assessment",
    "Calibration",
    "RiskModel",
    "offset",
    "window_text",
]

logger = logging.getLogger("conversations.safety")
WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
EMBED_MAX_CHARS = 256


@dataclass(frozen=True)
class Assessment:
    """The model's view of one text: blended scores, the categories found, and the embedding
    (when one was computed) so routing and memory can reuse it instead of paying for it again."""

    risk: RiskScores
    found: tuple[Category, ...]
    embedding: np.ndarray | None = field(default=None, compare=False, repr=False)
    semantic_failed: bool = False


def offset(p: np.ndarray, by: float) -> np.ndarray:
    """Probabilities with their log-odds lowered by ``by``."""
    return sigmoid(logit(p) - by)


def window_text(turns: Sequence[str]) -> str:
    """How the last child turns are joined for the conversation-level score."""
    return " ".join(t.strip() for t in turns if t.strip())


@dataclass(frozen=True)
class Calibration:
    """Thresholds per category, and which texts the semantic tier sees: ``route`` (per category, the
    fast probability from which a text is embedded; what training writes) or, without it, ``band``
    (a text is embedded when some fast probability lies in ``[low, high)``)."""

    thresholds: dict[Category, float]
    semantic_weight: float
    version: str
    route: dict[Category, float] | None = None
    band: tuple[float, float] | None = None
    window: int = 3
    window_offset: float = 0.5
    output_offset: float = 0.0

    @classmethod
    def load(cls, path: Path) -> Calibration:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            thresholds={Category(k): float(v) for k, v in data["thresholds"].items()},
            semantic_weight=float(data["semantic_weight"]),
            version=str(data["version"]),
            route={Category(k): float(v) for k, v in data["route"].items()} if "route" in data else None,
            band=(float(data["band"][0]), float(data["band"][1])) if "band" in data else None,
            window=int(data.get("window", 3)),
            window_offset=float(data.get("window_offset", 0.5)),
            output_offset=float(data.get("output_offset", 0.0)),
        )


class RiskModel:
    def __init__(
        self,
        *,
        fast: LinearTier,
        calibration: Calibration,
        semantic: SemanticHead | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        if set(calibration.thresholds) != set(MODEL_CATEGORIES):
            raise ValueError("a threshold is needed for every model category")
        if calibration.route is not None and set(calibration.route) != set(MODEL_CATEGORIES):
            raise ValueError("a routing cut is needed for every model category")
        self.fast = fast
        self.calibration = calibration
        self.semantic = semantic if embedder is not None else None
        self.embedder = embedder if semantic is not None else None

    @classmethod
    def load(cls, *, weights: Path = WEIGHTS_DIR, embedder: Embedder | None) -> RiskModel:
        semantic = SemanticHead.load(weights / "semantic.npz") if embedder is not None else None
        return cls(
            fast=LinearTier.load(weights / "fast.npz"),
            calibration=Calibration.load(weights / "calibration.json"),
            semantic=semantic,
            embedder=embedder,
        )

    @property
    def version(self) -> str:
        return self.calibration.version

    def unsure(self, scores: dict[Category, float]) -> bool:
        """Whether the fast tier's scores send the text to the semantic tier."""
        route, band = self.calibration.route, self.calibration.band
        if route is not None:
            return any(p >= route[c] for c, p in scores.items())
        if band is not None:
            return any(band[0] <= p < band[1] for p in scores.values())
        return False

    @functools.cached_property
    def output_thresholds(self) -> dict[Category, float]:
        limits = self.calibration.thresholds
        lowered = offset(np.asarray([limits[c] for c in MODEL_CATEGORIES]), self.calibration.output_offset).tolist()
        return dict(zip(MODEL_CATEGORIES, lowered, strict=True))

    def _scores(
        self, text: str, normalized: str, semantic: bool = True, tail: bool = False
    ) -> tuple[dict[Category, float], list[Layer], np.ndarray | None, bool]:
        fast = self.fast.logits(normalized)  # the gate is folded in already
        scores = dict(zip(MODEL_CATEGORIES, sigmoid(fast).tolist(), strict=True))
        layers = [Layer.FAST]
        embedding = None
        failed = False
        if semantic and self.semantic is not None and self.embedder is not None and self.unsure(scores):
            try:
                embedding = self.embedder.embed([text[-EMBED_MAX_CHARS:] if tail else text[:EMBED_MAX_CHARS]])[0]
            except EmbeddingError as exc:
                failed = True
                logger.warning("semantic tier unavailable (%s); fast tier alone", exc)
            else:
                w = self.calibration.semantic_weight
                mixed = (1 - w) * fast + w * category_logits(self.semantic.logits(embedding))
                if len(text) > EMBED_MAX_CHARS:  # the embedding saw a part: it may raise a score, not lower it
                    mixed = np.maximum(mixed, fast)
                scores = dict(zip(MODEL_CATEGORIES, sigmoid(mixed).tolist(), strict=True))
                layers.append(Layer.SEMANTIC)
        return scores, layers, embedding, failed

    def _assessment(
        self,
        scores: dict[Category, float],
        layers: Sequence[Layer],
        embedding: np.ndarray | None,
        failed: bool,
        thresholds: dict[Category, float] | None,
    ) -> Assessment:
        limits = thresholds or self.calibration.thresholds
        found = tuple(
            sorted((c for c in MODEL_CATEGORIES if scores[c] >= limits[c]), key=scores.__getitem__, reverse=True)
        )
        rounded = {c: round(p, 3) for c, p in scores.items()}
        return Assessment(RiskScores(rounded, tuple(layers)), found, embedding, failed)

    def assess(
        self,
        text: str,
        *,
        normalized: str,
        thresholds: dict[Category, float] | None = None,
        semantic: bool = True,
    ) -> Assessment:
        """Score ``text`` (``normalized`` is its matching form, computed once by the checker);
        ``semantic=False`` keeps to the fast tier."""
        return self._assessment(*self._scores(text, normalized, semantic), thresholds)

    def assess_conversation(
        self,
        turns: Sequence[str],
        *,
        normalize: Callable[[str], str],
        normalized: str | None = None,
        thresholds: dict[Category, float] | None = None,
    ) -> Assessment:
        """Score the newest child turn (``turns[-1]``) in the light of the ones before it: the last
        ``calibration.window`` turns joined are scored too, their log-odds lowered by
        ``calibration.window_offset``, and each category keeps the higher of the two. The layer list
        gains ``conversation`` when the window found a category the message alone did not.
        ``normalized`` is the newest turn's matching form when the caller has it already."""
        if not turns:
            raise ValueError("no turns")
        text = turns[-1]
        scores, layers, embedding, failed = self._scores(text, normalize(text) if normalized is None else normalized)
        recent = list(turns[-self.calibration.window :])
        if len(recent) > 1:
            joined = window_text(recent)
            window_scores, window_layers, _emb, window_failed = self._scores(joined, normalize(joined), tail=True)
            lowered = offset(np.asarray([window_scores[c] for c in MODEL_CATEGORIES]), self.calibration.window_offset)
            limits = thresholds or self.calibration.thresholds
            raised = False
            for c, p in zip(MODEL_CATEGORIES, lowered.tolist(), strict=True):
                if p > scores[c]:
                    if p >= limits[c] > scores[c]:
                        raised = True
                    scores[c] = p
            if raised:
                layers = [*layers, *(layer for layer in window_layers if layer not in layers), Layer.CONVERSATION]
            failed = failed or window_failed
        return self._assessment(scores, layers, embedding, failed, thresholds)
