"""A real local HTTP server speaking the OpenAI ``POST /v1/embeddings`` protocol, for the semantic tier's
remote embedder (text-embeddings-inference, Ollama and vLLM speak it). Every request is recorded in
``EmbeddingsHandler.seen``; ``status`` and ``dim`` are chosen per test (the ``embeddings_server``
fixture in conftest.py resets them). Answers come back in reverse order, as servers may send them:
the client must sort by ``index``.
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from typing import ClassVar


class EmbeddingsHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    status = 200
    dim = 2  # [3, 4, 0, ...]: unit length 0.6 / 0.8 after normalising
    seen: ClassVar[list[dict]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
        vector = [3.0, 4.0] + [0.0] * (self.dim - 2)
        data = [{"object": "embedding", "index": i, "embedding": vector} for i, _ in enumerate(body["input"])]
        payload = json.dumps({"object": "list", "data": data[::-1], "model": body["model"]}).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass
