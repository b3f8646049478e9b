from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts.api.serializers import (
    DeviceSerializer,
    PairingClaimResultSerializer,
    PairingClaimSerializer,
    PairingCodeCreateSerializer,
    PairingCodeSerializer,
    PairingRequestCreatedSerializer,
    PairingRequestCreateSerializer,
    PairingRequestStatusSerializer,
    PairResultSerializer,
    PairSerializer,
)
from accounts.api.views.base import CREDENTIAL_THROTTLES, DEFAULT_THROTTLES, GuardianChildView, client_ip
from accounts.models import Device
from accounts.selectors import device_get_for_child, devices_for_child
from accounts.services.devices import device_pair, device_revoke, pairing_code_create
from accounts.services.pairing_requests import (
    POLL_INTERVAL_SECONDS,
    pairing_request_claim,
    pairing_request_collect,
    pairing_request_create,
)
from happy_partner.api.pagination import paginated_response
from happy_partner.api.views import ApiView

PAIRING_SECRET_HEADER = "X-Pairing-Secret"  # noqa: S105 (a header name, not a secret)


class PairingCodeView(GuardianChildView):
    serializer_class = PairingCodeSerializer

    @extend_schema(
        request=PairingCodeCreateSerializer,
        responses={201: PairingCodeSerializer},
        tags=["devices"],
        description="A one-time code for the device to send to devices/pair/. No body (or kind short): 6 digits; "
        "kind long: 12 characters from an unambiguous alphabet, for devices with a keyboard.",
    )
    def post(self, request, child_id: int):
        serializer = PairingCodeCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        kind = serializer.validated_data["kind"]
        pairing, code = pairing_code_create(actor=request.user, child=self.get_child(), kind=kind)
        body = {"code": code, "kind": pairing.kind, "expires_at": pairing.expires_at}
        return Response(PairingCodeSerializer(body).data, status=status.HTTP_201_CREATED)


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


class DeviceListView(GuardianChildView):
    queryset = Device.objects.none()  # for the schema generator; real rows come from selectors
    serializer_class = DeviceSerializer

    @extend_schema(responses={200: DeviceSerializer(many=True)}, tags=["devices"])
    def get(self, request, child_id: int):
        return paginated_response(self, devices_for_child(child=self.get_child()))


class DeviceRevokeView(GuardianChildView):
    serializer_class = DeviceSerializer

    @extend_schema(request=None, responses={200: DeviceSerializer}, tags=["devices"])
    def post(self, request, child_id: int, device_id: int):
        device = device_get_for_child(child=self.get_child(), device_id=device_id)
        return Response(DeviceSerializer(device_revoke(actor=request.user, device=device)).data)


class PairingRequestCreateView(ApiView):
    """The device (no token) asks for a code to show or speak; a guardian will enter it."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = CREDENTIAL_THROTTLES
    throttle_scope = "pairing_request"
    serializer_class = PairingRequestCreateSerializer

    @extend_schema(
        request=PairingRequestCreateSerializer,
        responses={201: PairingRequestCreatedSerializer},
        tags=["devices"],
        auth=[],
        description="Device-initiated pairing, step 1 (the device, without a token). Show or speak the code; keep "
        "the secret and poll devices/pairing-requests/{id}/ with it. Valid 10 minutes.",
    )
    def post(self, request):
        serializer = PairingRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pairing_request, code, secret = pairing_request_create(**serializer.validated_data)
        body = {
            "id": pairing_request.pk,
            "code": code,
            "secret": secret,
            "expires_at": pairing_request.expires_at,
            "poll_interval": POLL_INTERVAL_SECONDS,
        }
        return Response(PairingRequestCreatedSerializer(body).data, status=status.HTTP_201_CREATED)


class PairingRequestStatusView(ApiView):
    """The device's poll, with the secret it was given; the tokens come once, after a guardian's claim."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = DEFAULT_THROTTLES
    serializer_class = PairingRequestStatusSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                PAIRING_SECRET_HEADER,
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="The secret returned when the request was made.",
            )
        ],
        responses={
            200: PairingRequestStatusSerializer,
            404: OpenApiResponse(description="Unknown request or wrong secret."),
            409: OpenApiResponse(
                description="pairing_request_expired, pairing_request_used, device_revoked, "
                "child_inactive or consent_required."
            ),
        },
        tags=["devices"],
        auth=[],
        description="Device-initiated pairing, step 3: pending until a guardian enters the code, then paired with "
        "a child-scoped token pair, returned exactly once.",
    )
    def get(self, request, request_id: int):
        secret = request.headers.get(PAIRING_SECRET_HEADER, "")
        pairing_request, tokens = pairing_request_collect(request_id=request_id, secret=secret)
        if tokens is None:
            body = {
                "status": "pending",
                "expires_at": pairing_request.expires_at,
                "poll_interval": POLL_INTERVAL_SECONDS,
            }
        else:
            body = {
                "status": "paired",
                "expires_at": pairing_request.expires_at,
                **tokens,
                "child": pairing_request.child,
                "device": pairing_request.device,
            }
        return Response(PairingRequestStatusSerializer(body).data)


class PairingRequestClaimView(GuardianChildView):
    """A guardian enters the code a device shows, for one of their children."""

    serializer_class = PairingClaimSerializer

    @extend_schema(
        request=PairingClaimSerializer,
        responses={201: PairingClaimResultSerializer},
        tags=["devices"],
        description="Device-initiated pairing, step 2: bind the device showing this code to the child. 5 wrong "
        "codes in 15 minutes lock claiming for this parent (429 locked_out).",
    )
    def post(self, request, child_id: int):
        serializer = PairingClaimSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        child = self.get_child()
        pairing_request = pairing_request_claim(actor=request.user, child=child, **serializer.validated_data)
        body = {"child": child, "device": pairing_request.device}
        return Response(PairingClaimResultSerializer(body).data, status=status.HTTP_201_CREATED)
