"""The OpenAPI schema is the reference for client apps: it must build without a warning."""

from io import StringIO

import pytest
import yaml
from django.core.management import call_command

EXPECTED_PATHS = [
    "/api/v1/auth/register/",
    "/api/v1/auth/token/",
    "/api/v1/auth/token/refresh/",
    "/api/v1/auth/logout/",
    "/api/v1/me/",
    "/api/v1/children/",
    "/api/v1/children/{child_id}/",
    "/api/v1/children/{child_id}/controls/",
    "/api/v1/children/{child_id}/consents/",
    "/api/v1/children/{child_id}/consents/{consent_id}/withdraw/",
    "/api/v1/children/{child_id}/pairing-codes/",
    "/api/v1/devices/pair/",
    "/api/v1/children/{child_id}/devices/",
    "/api/v1/children/{child_id}/devices/{device_id}/revoke/",
]


@pytest.mark.django_db
def test_schema_builds_without_warnings_and_lists_the_contract(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target), stderr=StringIO())
    schema = yaml.safe_load(target.read_text())
    for path in EXPECTED_PATHS:
        assert path in schema["paths"], path
    assert schema["components"]["securitySchemes"]["jwtAuth"]["scheme"] == "bearer"


@pytest.mark.django_db
def test_schema_and_docs_are_served(client):
    assert client.get("/api/v1/schema/").status_code == 200
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
