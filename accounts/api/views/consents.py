from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts.api.serializers import ConsentCreateSerializer, ConsentPolicySerializer, ConsentSerializer
from accounts.api.views.base import GuardianChildView
from accounts.models import ConsentMethod, ConsentRecord
from accounts.selectors import consent_get_for_child, consent_policy, consents_for_child
from accounts.services.consent import consent_grant, consent_withdraw
from happy_partner.api.pagination import NewestFirstCursorPagination, paginated_response
from happy_partner.api.views import ApiView


class ConsentPagination(NewestFirstCursorPagination):
    ordering = ("-granted_at", "-id")


class ConsentPolicyView(ApiView):
    """Public, so the sign-up flow can show the policy before any account exists."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = ConsentPolicySerializer

    @extend_schema(responses={200: ConsentPolicySerializer}, tags=["consent"])
    def get(self, request):
        return Response(ConsentPolicySerializer(consent_policy()).data)


class ConsentListView(GuardianChildView):
    queryset = ConsentRecord.objects.none()  # for the schema generator; real rows come from selectors
    serializer_class = ConsentSerializer
    pagination_class = ConsentPagination

    @extend_schema(responses={200: ConsentSerializer(many=True)}, tags=["consent"])
    def get(self, request, child_id: int):
        return paginated_response(self, consents_for_child(child=self.get_child()))

    @extend_schema(
        request=ConsentCreateSerializer,
        responses={201: ConsentSerializer, 200: ConsentSerializer},
        tags=["consent"],
        description="Grant a scope. 201 when recorded now, 200 when that scope was already active.",
    )
    def post(self, request, child_id: int):
        serializer = ConsentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record, created = consent_grant(
            actor=request.user, child=self.get_child(), method=ConsentMethod.API, **serializer.validated_data
        )
        return Response(
            ConsentSerializer(record).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class ConsentWithdrawView(GuardianChildView):
    serializer_class = ConsentSerializer

    @extend_schema(request=None, responses={200: ConsentSerializer}, tags=["consent"])
    def post(self, request, child_id: int, consent_id: int):
        consent = consent_get_for_child(child=self.get_child(), consent_id=consent_id)
        return Response(ConsentSerializer(consent_withdraw(actor=request.user, consent=consent)).data)
