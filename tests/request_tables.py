"""Shared pieces of the request tables (tests/*/test_bad_input.py): how a row's request is written,
sent and named. Each table keeps its own rows and its own assertions."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from rest_framework.test import APIClient

from tests.factories import Cast

NO_BODY = object()
DROP = object()  # in a body helper: leave this key out
INVALID = "invalid"
MALFORMED = "malformed_request"


@dataclass(frozen=True)
class Raw:
    """A body sent byte for byte, not JSON-encoded by the test."""

    data: bytes | str
    content_type: str = "application/json"


def merged(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in {**base, **changes}.items() if value is not DROP}


def cursor(query: str) -> str:
    """A cursor encoded the way DRF encodes its own (base64 of a query string), URL-quoted."""
    return quote(base64.b64encode(query.encode()).decode(), safe="")


def client_as(cast: Cast, persona: str) -> APIClient:
    client = cast.client_for(persona)
    client.raise_request_exception = False  # an unhandled error must show as the response a client gets
    return client


def send(client: APIClient, method: str, path: str, body: Any = NO_BODY, **headers: Any):
    if body is NO_BODY:
        return client.generic(method.upper(), path, **headers)
    if isinstance(body, Raw):
        return client.generic(method.upper(), path, data=body.data, content_type=body.content_type, **headers)
    return client.generic(method.upper(), path, data=json.dumps(body), content_type="application/json", **headers)


def table(label: str, persona: str, method: str, path: str, rows: list[tuple]) -> list:
    """Rows of (name, body, status, code[, field]) for one endpoint and caller."""
    return [
        pytest.param(persona, method, path, body, status, code, rest[0] if rest else None, id=f"{label}: {name}")
        for name, body, status, code, *rest in rows
    ]
