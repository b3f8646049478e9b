from __future__ import annotations

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts.api.permissions import IsParentOrChildDevice
from accounts.api.serializers import (
    LoginSerializer,
    MeChildSerializer,
    MeParentSerializer,
    RefreshSerializer,
    RegisterSerializer,
    TokenPairSerializer,
    UserSerializer,
)
from accounts.api.views.base import CREDENTIAL_THROTTLES, client_ip
from accounts.principals import ChildPrincipal
from accounts.selectors import child_features
from accounts.services.auth import parent_login, token_logout, token_refresh
from accounts.services.users import user_register
from happy_partner.api.views import ApiView


class RegisterView(ApiView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = CREDENTIAL_THROTTLES
    throttle_scope = "credentials"

    @extend_schema(request=RegisterSerializer, responses={201: UserSerializer}, tags=["auth"])
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = user_register(**serializer.validated_data)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenView(ApiView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = CREDENTIAL_THROTTLES
    throttle_scope = "credentials"

    @extend_schema(request=LoginSerializer, responses={200: TokenPairSerializer}, tags=["auth"])
    def post(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(parent_login(**serializer.validated_data, ip=client_ip(request)))


class TokenRefreshView(ApiView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=RefreshSerializer, responses={200: TokenPairSerializer}, tags=["auth"])
    def post(self, request):
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(token_refresh(refresh=serializer.validated_data["refresh"]))


class LogoutView(ApiView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=RefreshSerializer, responses={204: None}, tags=["auth"])
    def post(self, request):
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token_logout(refresh=serializer.validated_data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(ApiView):
    permission_classes = [IsParentOrChildDevice]

    @extend_schema(
        responses={
            200: PolymorphicProxySerializer(
                component_name="Me",
                serializers={"parent": MeParentSerializer, "child": MeChildSerializer},
                resource_type_field_name="kind",
            )
        },
        tags=["auth"],
    )
    def get(self, request):
        if isinstance(request.user, ChildPrincipal):
            principal = request.user
            body = {
                "kind": "child",
                "child": principal.child,
                "device": principal.device,
                "features": child_features(child=principal.child),
            }
            return Response(MeChildSerializer(body).data)
        return Response(MeParentSerializer({"kind": "parent", "user": request.user}).data)
