"""``POST /api/v1/graphql/``: REST's authentication, throttles, body checks and error codes around one
GraphQL execution."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError

from accounts.api.permissions import IsParentOrChildDevice
from happy_partner.api import serializers
from happy_partner.api.views import ApiView
from happy_partner.graphql.context import GraphQLContext
from happy_partner.graphql.errors import INVALID_QUERY, error_entry, from_rest_body, http_status
from happy_partner.graphql.schema import schema

MAX_QUERY_CHARACTERS = 20_000


class GraphQLRequestSerializer(serializers.Serializer):
    query = serializers.CharField(max_length=MAX_QUERY_CHARACTERS, trim_whitespace=False)
    variables = serializers.DictField(required=False, allow_null=True)
    operationName = serializers.CharField(required=False, allow_null=True, max_length=200)


class GraphQLResponseSerializer(serializers.Serializer):
    # Fields named as GraphQL's answer has them (DRF takes declared fields off the class, so these
    # names do not shadow Serializer.data / .errors at run time).
    data = serializers.DictField(  # type: ignore[assignment]
        required=False,
        allow_null=True,
        help_text="What the operation read or changed (absent when refused before it ran).",
    )
    errors = serializers.ListField(  # type: ignore[assignment]
        child=serializers.DictField(),
        required=False,
        help_text='Each with "message" and "extensions": {"code", "fields"} (the REST error codes).',
    )


class GraphQLView(ApiView):
    """Queries and mutations (docs/GRAPHQL.md). Parents and paired devices, with the JWTs of REST; what
    a device may read is what REST lets it read. Errors are GraphQL's shape with REST's codes."""

    permission_classes = [IsParentOrChildDevice]
    serializer_class = GraphQLRequestSerializer

    @extend_schema(
        request=GraphQLRequestSerializer,
        responses={200: GraphQLResponseSerializer, "4XX": GraphQLResponseSerializer},
        tags=["graphql"],
        description="The GraphQL API: the schema is docs/schema.graphql, examples in docs/GRAPHQL.md.",
    )
    def post(self, request):
        body = GraphQLRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            result = schema.execute_sync(
                body.validated_data["query"],
                variable_values=body.validated_data.get("variables") or None,
                operation_name=body.validated_data.get("operationName") or None,
                context_value=GraphQLContext(request=request),
            )
        except (CannotGetOperationTypeError, InvalidOperationTypeError, MissingQueryError):
            # No operation by that name, or a document of fragments only: nothing can run.
            message = _("This document has no operation to run by that name.")
            return Response(
                {"data": None, "errors": [{"message": message, "extensions": {"code": INVALID_QUERY, "fields": {}}}]},
                status=400,
            )
        payload: dict[str, Any] = {"data": result.data}
        if not result.errors:
            return Response(payload)
        entries = [error_entry(error) for error in result.errors]
        payload["errors"] = [entry for entry, _kind in entries]
        status = http_status(kinds=[kind for _entry, kind in entries], executed=result.data is not None)
        return Response(payload, status=status)

    def handle_exception(self, exc):
        """Refused before GraphQL ran (sign-in, throttle, a malformed body): REST's answer, in GraphQL's shape."""
        response = super().handle_exception(exc)
        if isinstance(response.data, dict) and "error" in response.data:
            response.data = from_rest_body(response.data)
        return response
