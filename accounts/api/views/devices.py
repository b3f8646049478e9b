from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts.api.serializers import DeviceSerializer, PairingCodeSerializer, PairResultSerializer, PairSerializer
from accounts.api.views.base import CREDENTIAL_THROTTLES, GuardianChildMixin, client_ip
from accounts.models import Device
from accounts.selectors import device_get_for_child, devices_for_child
from accounts.services.devices import device_pair, device_revoke, pairing_code_create
from happy_partner.api.pagination import paginated_response
from happy_partner.api.views import ApiView


class PairingCodeView(GuardianChildMixin, ApiView):
    serializer_class = PairingCodeSerializer

    @extend_schema(request=None, responses={201: PairingCodeSerializer}, tags=["devices"])
    def post(self, request, child_id: int):
        pairing, code = pairing_code_create(actor=request.user, child=self.get_child())
        return Response({"code": code, "expires_at": pairing.expires_at}, status=status.HTTP_201_CREATED)


class PairView(ApiView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = CREDENTIAL_THROTTLES
    throttle_scope = "credentials"
    serializer_class = PairSerializer

    @extend_schema(request=PairSerializer, responses={201: PairResultSerializer}, tags=["devices"])
    def post(self, request):
        serializer = PairSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        device, tokens = device_pair(**serializer.validated_data, ip=client_ip(request))
        body = {**tokens, "child": device.child, "device": device}
        return Response(PairResultSerializer(body).data, status=status.HTTP_201_CREATED)


class DeviceListView(GuardianChildMixin, ApiView):
    queryset = Device.objects.none()  # for the schema generator; real rows come from selectors
    serializer_class = DeviceSerializer

    @extend_schema(responses={200: DeviceSerializer(many=True)}, tags=["devices"])
    def get(self, request, child_id: int):
        return paginated_response(self, devices_for_child(child=self.get_child()))


class DeviceRevokeView(GuardianChildMixin, ApiView):
    serializer_class = DeviceSerializer

    @extend_schema(request=None, responses={200: DeviceSerializer}, tags=["devices"])
    def post(self, request, child_id: int, device_id: int):
        device = device_get_for_child(child=self.get_child(), device_id=device_id)
        return Response(DeviceSerializer(device_revoke(actor=request.user, device=device)).data)
