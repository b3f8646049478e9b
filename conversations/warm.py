"""What a server process loads when it starts, not on a child's first message: jieba's dictionary
(~0.6 s), the risk model and its embedder (~1 s), and the LLM provider's client and TLS context
(~30 ms, which the chat socket would otherwise spend on its event loop). Called by asgi.py and wsgi.py."""

from __future__ import annotations

import logging

from conversations.agents import warm_up as agents_warm_up
from conversations.providers.registry import get_provider
from conversations.services.risk_model import risk_model_warm_up

logger = logging.getLogger(__name__)


def conversations_warm_up() -> None:
    """Never raises: what fails to load now loads (or fails) on first use, as before."""
    agents_warm_up()
    risk_model_warm_up()
    try:
        get_provider()
    except Exception as exc:
        logger.warning("LLM provider warm-up failed (%s)", type(exc).__name__)
