"""The base class of every API view."""

from __future__ import annotations

from collections.abc import Mapping

from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.settings import api_settings

from happy_partner.api.serializers import NO_BODY, UNKNOWN_FIELD

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class ApiView(GenericAPIView):
    """Parses the body of every write before the handler runs, so a malformed or wrongly typed
    body is refused (400/415) even by endpoints that read nothing from it — a broken client must
    not have a DELETE or a revoke go through while its body is garbage.

    A write whose schema declares no request body (``extend_schema(request=None)``, and every
    DELETE) refuses a body with content: its keys are unknown fields, as they are to the strict
    serializers of the writes that take one (happy_partner.api.serializers). ``{}`` and no body
    are the same.

    Every answer is one user's data, some of it credentials (token pairs, a pairing poll): it
    carries ``Cache-Control: no-store`` unless the view set its own, so no shared cache or proxy
    keeps it."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in WRITE_METHODS and hasattr(self, request.method.lower()):  # else DRF's 405
            data = request.data
            if data in (None, {}) or _takes_a_body(self, request.method):
                return
            if isinstance(data, Mapping):
                raise ValidationError({key: [UNKNOWN_FIELD] for key in data})
            raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [NO_BODY]})


_TAKES_A_BODY: dict[tuple[type, str], bool] = {}


def _takes_a_body(view: ApiView, method: str) -> bool:
    """Whether the OpenAPI schema gives this view's handler a request body (the schema's own answer,
    so that behaviour and documentation cannot disagree); the same for every request of a view."""
    key = (type(view), method)
    if key not in _TAKES_A_BODY:
        _TAKES_A_BODY[key] = _declares_a_body(view, method)
    return _TAKES_A_BODY[key]


def _declares_a_body(view: ApiView, method: str) -> bool:
    if method not in BODY_METHODS:
        return False
    handler = getattr(view, method.lower())
    schema_class = getattr(handler, "kwargs", {}).get("schema")
    if schema_class is None:
        return True  # no declaration: whatever the handler reads is checked by its serializer
    schema = schema_class()
    schema.view = view
    schema.method = method
    try:
        return schema.get_request_serializer() is not None
    except (AssertionError, AttributeError):  # no serializer class and no declaration
        return True
