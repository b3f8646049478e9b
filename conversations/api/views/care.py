"""Parents' views of what the companion remembers, noticed and reported; staff review."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response

from accounts.api.views.base import GuardianChildView
from accounts.snapshots import child_snapshot
from conversations.api.serializers import (
    InsightsQuerySerializer,
    InsightsSerializer,
    MemorySerializer,
    ReviewQueueQuerySerializer,
    ReviewSerializer,
    SafetyEventSerializer,
)
from conversations.models import MemoryFact, ReviewMark, SafetyEvent
from conversations.selectors.care import (
    memories_for_child,
    memory_get_for_child,
    safety_event_get,
    safety_events_for_child,
    safety_events_for_review,
)
from conversations.selectors.insights import activity_for_child, emotions_for_child, learning_for_child
from conversations.services.memories import memory_delete
from conversations.services.moderation import safety_event_review
from happy_partner.api.pagination import paginated_response
from happy_partner.api.views import ApiView


class MemoryListView(GuardianChildView):
    serializer_class = MemorySerializer
    queryset = MemoryFact.objects.none()  # for the schema generator

    @extend_schema(responses={200: MemorySerializer(many=True)}, tags=["memory"])
    def get(self, request, child_id: int):
        return paginated_response(self, memories_for_child(child=self.get_child()))


class MemoryDetailView(GuardianChildView):
    serializer_class = MemorySerializer

    @extend_schema(responses={204: None}, tags=["memory"])
    def delete(self, request, child_id: int, memory_id: int):
        memory = memory_get_for_child(child=self.get_child(), memory_id=memory_id)
        memory_delete(actor=request.user, memory=memory)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _InsightsView(GuardianChildView):
    serializer_class = InsightsSerializer
    report = staticmethod(activity_for_child)

    @extend_schema(parameters=[InsightsQuerySerializer], responses={200: InsightsSerializer}, tags=["insights"])
    def get(self, request, child_id: int):
        child = self.get_child()  # a foreign child is 404 before its query is looked at
        query = InsightsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        days = query.validated_data["days"]
        time_zone = child_snapshot(child_id=child.pk).controls.time_zone
        report = self.report(child_id=child.pk, days=days, now=timezone.now(), time_zone=time_zone)
        return Response(InsightsSerializer({"child": child.pk, "days": days, "report": report}).data)


class ActivityInsightsView(_InsightsView):
    report = staticmethod(activity_for_child)


class LearningInsightsView(_InsightsView):
    report = staticmethod(learning_for_child)


class EmotionInsightsView(_InsightsView):
    report = staticmethod(emotions_for_child)


class ChildSafetyEventsView(GuardianChildView):
    serializer_class = SafetyEventSerializer
    queryset = SafetyEvent.objects.none()  # for the schema generator

    @extend_schema(responses={200: SafetyEventSerializer(many=True)}, tags=["safety"])
    def get(self, request, child_id: int):
        return paginated_response(self, safety_events_for_child(child=self.get_child()))


class StaffSafetyEventsView(ApiView):
    """The review queue for staff: unreviewed first is ?reviewed=false."""

    permission_classes = [IsAdminUser]
    serializer_class = SafetyEventSerializer
    queryset = SafetyEvent.objects.none()  # for the schema generator

    @extend_schema(
        parameters=[ReviewQueueQuerySerializer], responses={200: SafetyEventSerializer(many=True)}, tags=["safety"]
    )
    def get(self, request):
        query = ReviewQueueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return paginated_response(self, safety_events_for_review(reviewed=query.validated_data.get("reviewed")))


class StaffSafetyEventReviewView(ApiView):
    permission_classes = [IsAdminUser]
    serializer_class = ReviewSerializer

    @extend_schema(request=ReviewSerializer, responses={200: SafetyEventSerializer}, tags=["safety"])
    def post(self, request, event_id: int):
        event = safety_event_get(event_id=event_id)
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        event = safety_event_review(
            actor=request.user,
            event=event,
            note=data.get("note", ""),
            mark=ReviewMark(data["mark"]) if "mark" in data else None,
            categories=data.get("categories", []),
        )
        return Response(SafetyEventSerializer(event).data)
