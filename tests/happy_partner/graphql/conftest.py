from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

URL = "/api/v1/graphql/"


def graphql(client: APIClient, query: str, variables: dict[str, Any] | None = None, **extra: Any) -> tuple[int, dict]:
    """One operation over HTTP as an app sends it; the status and the decoded body."""
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = variables
    response = client.post(URL, body, format="json", **extra)
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    return response.status_code, response.json()


def error_codes(body: dict) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


@pytest.fixture
def gql():
    return graphql
