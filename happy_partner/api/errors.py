"""The project's one error shape, and the one place where failures become HTTP responses.

Every API error, whatever raised it, leaves as ``{"error": {"code", "message", "fields"}}``.
Services raise :class:`happy_partner.errors.ApplicationError` (a domain type); its kind maps to a
status here (:data:`STATUS_FOR`). DRF and Django exceptions are translated here, so no
view needs its own try/except and no traceback reaches a client.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework_simplejwt.exceptions import InvalidToken

from happy_partner.degraded import CACHE_ERRORS, database_unavailable, is_database_outage, temporarily_unavailable
from happy_partner.errors import ApplicationError, Failure

logger = logging.getLogger(__name__)

STATUS_FOR: dict[Failure, int] = {
    Failure.INVALID: status.HTTP_400_BAD_REQUEST,
    Failure.UNAUTHENTICATED: status.HTTP_401_UNAUTHORIZED,
    Failure.FORBIDDEN: status.HTTP_403_FORBIDDEN,
    Failure.NOT_FOUND: status.HTTP_404_NOT_FOUND,
    Failure.CONFLICT: status.HTTP_409_CONFLICT,
    Failure.TOO_LARGE: status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    Failure.UNSUPPORTED: status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    Failure.THROTTLED: status.HTTP_429_TOO_MANY_REQUESTS,
    Failure.UNAVAILABLE: status.HTTP_503_SERVICE_UNAVAILABLE,
}


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def invalid_body(detail: Any) -> dict[str, Any]:
    """The one error shape for input that did not validate (DRF's ``ValidationError.detail``), over
    HTTP and over WebSockets alike."""
    return error_body("invalid", _("Some fields are not valid."), _validation_fields(detail))


def _detail_text(detail: Any) -> str:
    if isinstance(detail, list) and detail:
        return _detail_text(detail[0])
    if isinstance(detail, dict) and detail:
        return _detail_text(next(iter(detail.values())))
    return str(detail)


def _validation_fields(detail: Any) -> dict[str, Any]:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    return {"non_field_errors": _flatten(detail)}


def _flatten(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _flatten(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_flatten(item) for item in value]
    return str(value)


def _view_name(context: dict[str, Any]) -> str:
    return type(context.get("view")).__name__


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF's EXCEPTION_HANDLER: map every exception to the error shape and roll back the request."""
    from rest_framework.views import set_rollback  # rest_framework.views imports the auth classes, which import us

    if isinstance(exc, RequestDataTooBig):
        exc = ApplicationError(
            code="request_too_large",
            message=_("The request is too large."),
            kind=Failure.TOO_LARGE,
        )
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif (unavailable := unavailable_error(exc)) is not None:
        # An outage (PostgreSQL restarting, Redis down), not a bug: 503 and Retry-After, no traceback.
        logger.warning("dependency unavailable in %s: %s: %s", _view_name(context), type(exc).__name__, exc)
        exc = unavailable

    set_rollback()
    if isinstance(exc, ApplicationError):
        headers = {}
        if exc.retry_after is not None:
            headers["Retry-After"] = str(exc.retry_after)
        if exc.kind is Failure.UNAUTHENTICATED:
            headers["WWW-Authenticate"] = 'Bearer realm="api"'
        return Response(
            error_body(exc.code, exc.message, exc.fields), status=STATUS_FOR[exc.kind], headers=headers or None
        )
    if isinstance(exc, exceptions.ValidationError):
        return Response(invalid_body(exc.detail), status=exc.status_code)
    if isinstance(exc, exceptions.Throttled):
        wait = int(getattr(exc, "wait", None) or 1)
        return Response(
            error_body("throttled", _("Too many requests. Try again in %(seconds)d seconds.") % {"seconds": wait}),
            status=exc.status_code,
            headers={"Retry-After": str(wait)},
        )
    if isinstance(exc, InvalidToken):
        return Response(
            error_body("token_not_valid", _("The token is not valid or has expired.")),
            status=exc.status_code,
            headers={"WWW-Authenticate": 'Bearer realm="api"'},
        )
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
            headers["WWW-Authenticate"] = 'Bearer realm="api"'
        if isinstance(exc, exceptions.ParseError):
            return Response(
                error_body("malformed_request", _("The request body could not be read. Send valid JSON.")),
                status=exc.status_code,
            )
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else str(exc.default_code)
        return Response(error_body(code, _detail_text(exc.detail)), status=exc.status_code, headers=headers or None)

    logger.exception("Unhandled error in %s", _view_name(context))
    return Response(
        error_body("server_error", _("Something went wrong on our side. Please try again.")),
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )


def json_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse(error_body("not_found", _("Not found.")), status=404)


def unavailable_error(exc: BaseException | None) -> ApplicationError | None:
    """The 503 for an outage of PostgreSQL or Redis that escaped a view; None for anything else
    (a deadlock or a missing table is a 500, logged with its traceback)."""
    if is_database_outage(exc):
        return database_unavailable()
    if isinstance(exc, CACHE_ERRORS):
        return temporarily_unavailable()
    return None


def json_server_error(request: HttpRequest) -> JsonResponse:
    """Django's handler500 for API paths; an outage being handled (``sys.exc_info``) is a 503."""
    unavailable = unavailable_error(sys.exc_info()[1])
    if unavailable is not None:
        response = JsonResponse(error_body(unavailable.code, unavailable.message), status=503)
        response["Retry-After"] = str(unavailable.retry_after)
        return response
    return JsonResponse(
        error_body("server_error", _("Something went wrong on our side. Please try again.")), status=500
    )
