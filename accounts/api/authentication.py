"""JWT authentication that knows the two scopes (parent, child device)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed as JWTAuthenticationFailed
from rest_framework_simplejwt.exceptions import InvalidToken

from accounts.models import Device
from accounts.principals import ChildPrincipal
from accounts.services.devices import device_touch
from accounts.tokens import SCOPE_CHILD, SCOPE_PARENT


class ScopedJWTAuthentication(JWTAuthentication):
    def authenticate(self, request):
        """simplejwt's failures carry ``{"detail", "code"}`` as their detail; re-raised with the code as
        the error code (``bad_authorization_header``, ``user_not_found``, ``user_inactive``) and the
        message in the request's language (simplejwt's catalogue: it is in INSTALLED_APPS)."""
        try:
            return super().authenticate(request)
        except InvalidToken:
            raise
        except JWTAuthenticationFailed as exc:
            detail = exc.detail
            if not isinstance(detail, dict):
                raise
            raise AuthenticationFailed(str(detail["detail"]), code=str(detail["code"])) from None

    def get_user(self, validated_token):
        scope = validated_token.get("scope")
        if scope == SCOPE_PARENT:
            return super().get_user(validated_token)
        if scope == SCOPE_CHILD:
            return self._child_principal(validated_token)
        raise InvalidToken(str(_("Token has no valid scope.")))

    @staticmethod
    def _child_principal(validated_token) -> ChildPrincipal:
        device = (
            Device.objects.select_related("child")
            .filter(pk=validated_token.get("device_id"), child_id=validated_token.get("child_id"))
            .first()
        )
        if device is None or not device.is_active:
            raise AuthenticationFailed(
                _("This device has been removed by a parent. Ask a parent to pair it again."), code="device_revoked"
            )
        device_touch(device=device)
        return ChildPrincipal(child=device.child, device=device)


class ScopedJWTAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = ScopedJWTAuthentication
    name = "jwtAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "Parent tokens from auth/token/, child-device tokens from devices/pair/.",
        }
