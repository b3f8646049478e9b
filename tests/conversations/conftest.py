from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest

from tests.conversations.fake_embeddings import EmbeddingsHandler
from tests.conversations.fake_openai import FakeOpenAI


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """A local OpenAI-compatible server on 127.0.0.1 (see fake_openai.py); stopped after the test."""
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def embeddings_server() -> Iterator[str]:
    """A local ``/v1/embeddings`` server on 127.0.0.1 (see fake_embeddings.py); yields its base URL."""
    EmbeddingsHandler.seen = []
    EmbeddingsHandler.status = 200
    EmbeddingsHandler.dim = 2
    server = ThreadingHTTPServer(("127.0.0.1", 0), EmbeddingsHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()
