"""The OpenAPI schema generator of the API: drf-spectacular's, saying what strict bodies refuse and
what every error looks like."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.drainage import warn
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import force_instance
from rest_framework import serializers as drf

from happy_partner.api.serializers import is_strict


def _model_blank(field) -> bool:
    """Whether a ModelSerializer's field comes from a model field that may be blank ("")."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not isinstance(field.source, str) or "." in field.source:
        return False
    try:
        return model._meta.get_field(field.source).blank
    except FieldDoesNotExist:  # a property or a method
        return False


# DRF's CharField refuses NUL characters and, unless allow_blank, text that is empty once trimmed.
# White space as Python's str.strip() sees it (DRF trims with it).
_WHITE = r"\t-\r\u001c-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
ANY_TEXT = r"^[^\u0000]*$"
NOT_BLANK_TEXT = rf"^[^\u0000]*[^\u0000{_WHITE}][^\u0000]*$"


class ErrorDetailSerializer(drf.Serializer):
    code = drf.CharField(help_text="Stable, never translated: program against it (docs/API_SPEC.md §10).")
    message = drf.CharField(help_text="For people, in the request's language.")
    fields = drf.DictField(  # type: ignore[assignment]  # a field named "fields", as in the error shape
        child=drf.JSONField(),
        help_text="Request field → its messages ({} when no field is at fault; list items by index).",
    )


class ErrorSerializer(drf.Serializer):
    """The one error shape of the API."""

    error = ErrorDetailSerializer()


class AutoSchema(SpectacularAutoSchema):
    """Request bodies of strict serializers (happy_partner.api.serializers) refuse unknown and
    read-only keys (``additionalProperties: false``), and a PATCH must name a field
    (``minProperties: 1``). A request serializer that is not strict is a schema warning, so
    ``spectacular --fail-on-warn`` (tests/happy_partner/test_schema.py) names it.

    Every operation documents its client errors (``4XX``) in the one error shape; which codes an
    endpoint gives is in docs/API_SPEC.md."""

    _direction = None

    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        serializer = force_instance(serializer)
        outer, self._direction = self._direction, direction
        try:
            schema = super()._map_serializer(serializer, direction, bypass_extensions)
        finally:
            self._direction = outer
        if direction != "request" or schema.get("type") != "object" or "properties" not in schema:
            return schema
        if not is_strict(serializer):
            warn(
                f"{type(serializer).__name__} takes a request body but is not strict: build it from "
                "happy_partner.api.serializers (`from happy_partner.api import serializers`)."
            )
            return schema
        schema["additionalProperties"] = False
        if getattr(serializer, "partial", False):
            schema["minProperties"] = 1
        return schema

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """What DRF's fields refuse beyond their type, said in the schema of request fields: a list that
        may not be empty has an item; a string (:meth:`_insert_field_validators`) has no NUL character
        and, unless it may be blank, a character other than white space, which is trimmed."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if not isinstance(schema, dict):
            return schema
        if direction == "response":
            if isinstance(field, drf.ChoiceField) and "" not in schema.get("enum", [""]) and _model_blank(field):
                schema["enum"] = [*schema["enum"], ""]  # DRF drops allow_blank from read-only fields
            return schema
        if isinstance(field, drf.ListField) and not field.allow_empty and "minItems" not in schema:
            schema["minItems"] = 1
        return schema

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        if self._direction != "request" or not isinstance(field, drf.CharField) or schema.get("type") != "string":
            return
        if not {"pattern", "format", "enum"} & set(schema):  # their own pattern or format says more
            schema["pattern"] = NOT_BLANK_TEXT if not field.allow_blank and field.trim_whitespace else ANY_TEXT

    def _get_request_body(self, direction="request"):
        """A PATCH must name a field (``minProperties: 1``), so it must have a body."""
        body = super()._get_request_body(direction)
        if body is not None and self.method == "PATCH":
            body["required"] = True
        return body

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction == "response":
            responses.setdefault(
                "4XX",
                {
                    "description": "A client error, in the one error shape (docs/API_SPEC.md §10).",
                    "content": {
                        "application/json": {"schema": self.resolve_serializer(ErrorSerializer, "response").ref}
                    },
                },
            )
        return responses
