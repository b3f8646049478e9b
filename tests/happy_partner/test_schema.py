"""The OpenAPI schema is the reference for client apps: it must build without a warning, and it
must list every API route of the URLconf with every method the route answers — no more, no less —
and every route must be in docs/API_SPEC.md."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from tests.request_tables import client_as

SPEC = Path(__file__).resolve().parents[2] / "docs" / "API_SPEC.md"
NOT_OPERATIONS = {"options", "head"}  # answered by every view; not in the schema
SCHEMA_VIEWS = (SpectacularAPIView, SpectacularSwaggerView)


def _walk(patterns, prefix: str = ""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def api_routes() -> dict[str, set[str]]:
    """Every route under /api/v1/ as an OpenAPI path, with the HTTP methods its view implements."""
    routes = {}
    for route, callback in _walk(get_resolver().url_patterns):
        view = getattr(callback, "cls", None)
        if not route.startswith("api/v1/") or view is None or issubclass(view, SCHEMA_VIEWS):
            continue
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        routes[path] = {m for m in view.http_method_names if hasattr(view, m) and m not in NOT_OPERATIONS}
    return routes


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_blocker) -> dict:
    target = tmp_path_factory.mktemp("schema") / "schema.yml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target), stderr=StringIO())
    return yaml.safe_load(target.read_text())


def test_schema_builds_without_warnings(schema):
    assert schema["components"]["securitySchemes"]["jwtAuth"]["scheme"] == "bearer"


def test_the_urlconf_has_the_api():
    # The control for the tests below: the walk finds the routes at all.
    routes = api_routes()
    assert {"/api/v1/auth/token/", "/api/v1/chat/", "/api/v1/children/{child_id}/controls/"} <= set(routes)
    assert routes["/api/v1/children/{child_id}/"] == {"get", "patch", "delete"}


def test_every_route_is_in_the_schema_with_its_methods(schema):
    routes = api_routes()
    documented = {path: set(operations) - {"parameters"} for path, operations in schema["paths"].items()}
    assert sorted(set(routes) - set(documented)) == [], "routes missing from the schema"
    assert sorted(set(documented) - set(routes)) == [], "schema paths that no route serves"
    wrong = {path: (routes[path], documented[path]) for path in routes if routes[path] != documented[path]}
    assert wrong == {}, "methods: (implemented, documented)"


def test_every_route_is_in_the_api_spec():
    text = SPEC.read_text()
    missing = []
    for path in api_routes():
        relative = path.removeprefix("/api/v1/")
        parts = re.split(r"\{\w+\}", relative)
        pattern = r"(?:\{\w+\}|\d+|\$\w+)".join(re.escape(part) for part in parts)
        if not re.search(r"(?<![\w/])" + pattern, text):
            missing.append(relative)
    assert missing == [], "routes docs/API_SPEC.md does not mention"


GRAPHQL_ROUTE = "/api/v1/graphql/"
UPLOAD_ROUTES = ("/api/v1/audio/process/", "/api/v1/audio/transcribe/", "/api/v1/chat/voice/", "/api/v1/voice/")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "parent_a", "device_a1"])
def test_options_never_fails_on_any_route(cast, persona):
    """OPTIONS describes the view (name, media types) on every route, for every caller: never a 500."""
    client = client_as(cast, persona)
    for route in api_routes():
        path = re.sub(r"\{\w+\}", "1", route.replace("{child_id}", str(cast.child_a1.pk)))
        response = client.options(path)
        assert response.status_code in (200, 401, 403), (path, response.status_code, response.content[:300])
        body = response.json()
        if response.status_code == 200:
            uploads = path.startswith(UPLOAD_ROUTES) or path.endswith("/voiceprint/")  # they take recordings
            assert body["parses"] == (["multipart/form-data"] if uploads else ["application/json"]), (path, body)
            assert "actions" not in body, (path, body)
        elif path == GRAPHQL_ROUTE:  # GraphQL's shape, REST's codes
            assert body["errors"][0]["extensions"]["code"] == "not_authenticated", body
        else:
            assert set(body) == {"error"}, (path, body)


@pytest.mark.django_db
def test_schema_and_docs_are_served(client):
    assert client.get("/api/v1/schema/").status_code == 200
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content


def test_a_request_serializer_that_is_not_strict_is_a_schema_warning(capsys):
    """Request bodies are strict by construction (happy_partner.api.serializers); a serializer built on
    DRF's own classes would accept 123 for a string and unknown keys, so the schema build names it
    (and ``--fail-on-warn`` above fails)."""
    from django.urls import path
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.utils import extend_schema
    from rest_framework import serializers as drf

    from happy_partner.api import serializers
    from happy_partner.api.views import ApiView

    class LooseRequest(drf.Serializer):
        name = drf.CharField()

    class StrictRequest(serializers.Serializer):
        name = serializers.CharField()

    class Loose(ApiView):
        @extend_schema(request=LooseRequest, responses={204: None})
        def post(self, request): ...

    class Strict(ApiView):
        @extend_schema(request=StrictRequest, responses={204: None})
        def post(self, request): ...

    patterns = [path("api/v1/loose/", Loose.as_view()), path("api/v1/strict/", Strict.as_view())]
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    warnings = capsys.readouterr().err
    assert "LooseRequest takes a request body but is not strict" in warnings
    assert "StrictRequest" not in warnings
    assert schema["components"]["schemas"]["StrictRequestRequest"]["additionalProperties"] is False
