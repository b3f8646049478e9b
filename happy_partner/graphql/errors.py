"""GraphQL's error shape carrying REST's codes: ``{"errors": [{"message", "path", "extensions": {"code",
"fields"}}]}``. The code and the translated message come from the same places as REST's (an
``ApplicationError``, a serializer's ``ValidationError``, an outage); nothing unexpected reaches a
client but its code (logged by type, never with a child's words)."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from graphql import GraphQLError
from rest_framework import exceptions

from happy_partner.api.errors import STATUS_FOR, invalid_body, unavailable_error
from happy_partner.errors import ApplicationError, Failure

logger = logging.getLogger(__name__)

INVALID_QUERY = "invalid_query"  # GraphQL's own syntax and validation errors (their text is GraphQL's)
SUGGESTION = re.compile(r"\s*Did you mean .*$", re.S)


def limit_error(code: str, message: str) -> GraphQLError:
    """A refusal of the whole operation before it runs (depth, cost, introspection)."""
    return GraphQLError(message, extensions={"code": code})


def _unexpected(error: GraphQLError) -> tuple[dict[str, Any], Failure | None]:
    original = error.original_error
    unavailable = unavailable_error(original)
    if unavailable is not None:
        logger.warning("dependency unavailable in graphql: %s", type(original).__name__)
        return {"code": unavailable.code, "message": unavailable.message}, Failure.UNAVAILABLE
    logger.error(
        "unexpected error in graphql path=%s type=%s", ".".join(map(str, error.path or [])), type(original).__name__
    )
    return {"code": "server_error", "message": _("Something went wrong on our side. Please try again.")}, None


def error_entry(error: GraphQLError) -> tuple[dict[str, Any], Failure | None]:
    """One error as the client sees it, and its kind (None for a failure of our own)."""
    original = error.original_error
    kind: Failure | None = Failure.INVALID
    if isinstance(original, ApplicationError):
        code, message, fields, kind = original.code, original.message, original.fields, original.kind
    elif isinstance(original, exceptions.ValidationError):
        body = invalid_body(original.detail)["error"]
        code, message, fields = body["code"], body["message"], body["fields"]
    elif original is None or isinstance(original, GraphQLError):
        code = (error.extensions or {}).get("code", INVALID_QUERY)
        message, fields = error.message, {}
        if not settings.GRAPHQL_INTROSPECTION:  # "Did you mean 'first'?" would tell the schema piece by piece
            message = SUGGESTION.sub("", message)
    else:
        extensions, kind = _unexpected(error)
        code, message, fields = extensions["code"], extensions["message"], {}
    entry: dict[str, Any] = {"message": str(message), "extensions": {"code": code, "fields": fields}}
    if error.locations:
        entry["locations"] = [{"line": where.line, "column": where.column} for where in error.locations]
    if error.path:
        entry["path"] = list(error.path)
    return entry, kind


def http_status(*, kinds: list[Failure | None], executed: bool) -> int:
    """200 once the operation ran (its errors are beside the data, as GraphQL clients expect: every root
    field is nullable, so an operation that ran always has data); an outage 503, like REST; an
    operation refused before it ran 400, or 500 when what failed was ours."""
    if Failure.UNAVAILABLE in kinds:
        return STATUS_FOR[Failure.UNAVAILABLE]
    if executed:
        return 200
    return 500 if None in kinds else 400


def from_rest_body(body: dict[str, Any]) -> dict[str, Any]:
    """REST's ``{"error": {...}}`` (authentication, throttling, a malformed body: what the one DRF
    handler answered before any GraphQL ran) in GraphQL's shape."""
    error = body["error"]
    return {"errors": [{"message": error["message"], "extensions": {"code": error["code"], "fields": error["fields"]}}]}
