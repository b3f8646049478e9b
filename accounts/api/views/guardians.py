from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.api.permissions import IsParent
from accounts.api.serializers import (
    ChildSerializer,
    GuardianshipSerializer,
    InvitationAcceptSerializer,
    InvitationCreateSerializer,
    InvitationSerializer,
)
from accounts.api.views.base import GuardianChildView
from accounts.models import GuardianInvitation, Guardianship
from accounts.selectors import (
    child_get_for_guardian,
    guardianship_get_for_child,
    guardianships_for_child,
    invitation_get_for_child,
    invitations_for_child,
)
from accounts.services.guardians import guardianship_remove, invitation_accept, invitation_create, invitation_revoke
from happy_partner.api.pagination import paginated_response
from happy_partner.api.views import ApiView


class GuardianListView(GuardianChildView):
    queryset = Guardianship.objects.none()  # for the schema generator; real rows come from selectors
    serializer_class = GuardianshipSerializer

    @extend_schema(responses={200: GuardianshipSerializer(many=True)}, tags=["guardians"])
    def get(self, request, child_id: int):
        return paginated_response(self, guardianships_for_child(child=self.get_child()))


class GuardianDetailView(GuardianChildView):
    serializer_class = GuardianshipSerializer

    @extend_schema(responses={204: None}, tags=["guardians"])
    def delete(self, request, child_id: int, guardianship_id: int):
        guardianship = guardianship_get_for_child(child=self.get_child(), guardianship_id=guardianship_id)
        guardianship_remove(actor=request.user, guardianship=guardianship)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationListView(GuardianChildView):
    queryset = GuardianInvitation.objects.none()  # for the schema generator; real rows come from selectors
    serializer_class = InvitationSerializer

    @extend_schema(responses={200: InvitationSerializer(many=True)}, tags=["guardians"])
    def get(self, request, child_id: int):
        return paginated_response(self, invitations_for_child(child=self.get_child()))

    @extend_schema(
        request=InvitationCreateSerializer,
        responses={201: InvitationSerializer},
        tags=["guardians"],
        description="Owner only. The invitee receives an e-mail with a one-time token (valid 7 days).",
    )
    def post(self, request, child_id: int):
        serializer = InvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation, _token = invitation_create(
            actor=request.user, child=self.get_child(), email=serializer.validated_data["email"]
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationRevokeView(GuardianChildView):
    serializer_class = InvitationSerializer

    @extend_schema(request=None, responses={200: InvitationSerializer}, tags=["guardians"])
    def post(self, request, child_id: int, invitation_id: int):
        invitation = invitation_get_for_child(child=self.get_child(), invitation_id=invitation_id)
        return Response(InvitationSerializer(invitation_revoke(actor=request.user, invitation=invitation)).data)


class InvitationAcceptView(ApiView):
    permission_classes = [IsParent]
    serializer_class = InvitationAcceptSerializer

    @extend_schema(request=InvitationAcceptSerializer, responses={200: ChildSerializer}, tags=["guardians"])
    def post(self, request):
        serializer = InvitationAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        guardianship = invitation_accept(actor=request.user, token=serializer.validated_data["token"])
        return Response(ChildSerializer(child_get_for_guardian(user=request.user, child_id=guardianship.child_id)).data)
