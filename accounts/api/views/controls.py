from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from accounts.api.permissions import IsParentOrChildDevice
from accounts.api.serializers import ControlsSerializer, PinResultSerializer, PinSerializer
from accounts.api.views.base import GuardianChildView
from accounts.models import ChildProfile
from accounts.selectors import child_get_for_actor, controls_get_for_child
from accounts.services.controls import controls_update, pin_verify
from happy_partner.api.views import ApiView


class ControlsView(GuardianChildView):
    serializer_class = ControlsSerializer

    def _render(self, child: ChildProfile) -> Response:
        return Response(ControlsSerializer(controls_get_for_child(child=child)).data)

    @extend_schema(responses={200: ControlsSerializer}, tags=["controls"])
    def get(self, request, child_id: int):
        return self._render(self.get_child())

    def _update(self, request, *, partial: bool) -> Response:
        child = self.get_child()
        serializer = ControlsSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        controls_update(actor=request.user, child=child, data=serializer.validated_data)
        return self._render(child)

    @extend_schema(request=ControlsSerializer, responses={200: ControlsSerializer}, tags=["controls"])
    def put(self, request, child_id: int):
        return self._update(request, partial=False)

    @extend_schema(request=ControlsSerializer, responses={200: ControlsSerializer}, tags=["controls"])
    def patch(self, request, child_id: int):
        return self._update(request, partial=True)


class VerifyPinView(ApiView):
    """Parent mode on the child's device: the device (or a guardian) checks the parent PIN."""

    permission_classes = [IsParentOrChildDevice]
    serializer_class = PinSerializer

    @extend_schema(request=PinSerializer, responses={200: PinResultSerializer}, tags=["controls"])
    def post(self, request, child_id: int):
        child = child_get_for_actor(actor=request.user, child_id=child_id)
        serializer = PinSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"valid": pin_verify(actor=request.user, child=child, pin=serializer.validated_data["pin"])})
