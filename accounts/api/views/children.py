from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.api.permissions import IsParent
from accounts.api.serializers import ChildCreateSerializer, ChildSerializer, ChildUpdateSerializer
from accounts.api.views.base import GuardianChildView, request_parent
from accounts.models import ChildProfile
from accounts.selectors import child_get_for_guardian, children_for_guardian
from accounts.services.children import child_create, child_delete, child_update
from happy_partner.api.pagination import paginated_response
from happy_partner.api.views import ApiView


class ChildListView(ApiView):
    permission_classes = [IsParent]
    serializer_class = ChildSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return ChildProfile.objects.none()
        return children_for_guardian(user=request_parent(self.request))

    @extend_schema(responses={200: ChildSerializer(many=True)}, tags=["children"])
    def get(self, request):
        return paginated_response(self, self.get_queryset())

    @extend_schema(request=ChildCreateSerializer, responses={201: ChildSerializer}, tags=["children"])
    def post(self, request):
        serializer = ChildCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        child = child_create(actor=request.user, **serializer.validated_data)
        child = child_get_for_guardian(user=request.user, child_id=child.pk)
        return Response(ChildSerializer(child).data, status=status.HTTP_201_CREATED)


class ChildDetailView(GuardianChildView):
    serializer_class = ChildSerializer

    @extend_schema(responses={200: ChildSerializer}, tags=["children"])
    def get(self, request, child_id: int):
        return Response(ChildSerializer(self.get_child()).data)

    @extend_schema(request=ChildUpdateSerializer, responses={200: ChildSerializer}, tags=["children"])
    def patch(self, request, child_id: int):
        serializer = ChildUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        child_update(actor=request.user, child=self.get_child(), data=serializer.validated_data)
        return Response(ChildSerializer(child_get_for_guardian(user=request.user, child_id=child_id)).data)

    @extend_schema(responses={204: None}, tags=["children"])
    def delete(self, request, child_id: int):
        child_delete(actor=request.user, child=self.get_child())
        return Response(status=status.HTTP_204_NO_CONTENT)
