from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.api.permissions import IsParentOrChildDevice
from accounts.principals import ChildPrincipal
from conversations.api.serializers import (
    HistoryQuerySerializer,
    MessageSerializer,
    SessionCreateSerializer,
    SessionSerializer,
    SessionUpdateSerializer,
)
from conversations.models import ChatSession, Message
from conversations.models.safety import AccessVia
from conversations.selectors.history import HistoryFilters, messages_for_child, messages_for_session
from conversations.selectors.scope import child_for_principal, session_get_for_principal, sessions_for_principal
from conversations.services.audit import transcript_read_record
from conversations.services.sessions import session_create, session_delete, session_end, session_rename
from happy_partner.api.pagination import NewestFirstCursorPagination, paginated_response
from happy_partner.api.views import ApiView

HISTORY_PARAMETERS = [HistoryQuerySerializer]  # the schema of the query is the serializer that reads it


class SessionPagination(NewestFirstCursorPagination):
    ordering = ("-started_at", "-id")


def _filters(request) -> HistoryFilters:
    query = HistoryQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return HistoryFilters.from_validated(query.validated_data)


class SessionListView(ApiView):
    permission_classes = [IsParentOrChildDevice]
    serializer_class = SessionSerializer
    pagination_class = SessionPagination
    queryset = ChatSession.objects.none()  # for the schema generator

    @extend_schema(
        parameters=[OpenApiParameter("child", int, description="Parents: only this child's chats.")],
        responses={200: SessionSerializer(many=True)},
        tags=["chat"],
    )
    def get(self, request):
        sessions = sessions_for_principal(principal=request.user, child_id=request.query_params.get("child"))
        return paginated_response(self, sessions)

    @extend_schema(request=SessionCreateSerializer, responses={201: SessionSerializer}, tags=["chat"])
    def post(self, request):
        serializer = SessionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        child = child_for_principal(principal=request.user, child_id=serializer.validated_data.get("child"))
        session = session_create(
            actor=request.user, child_id=child.pk, title=serializer.validated_data.get("title", "")
        )
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)


class SessionDetailView(ApiView):
    permission_classes = [IsParentOrChildDevice]
    serializer_class = SessionSerializer

    @extend_schema(responses={200: SessionSerializer}, tags=["chat"])
    def get(self, request, session_id: int):
        return Response(
            SessionSerializer(session_get_for_principal(principal=request.user, session_id=session_id)).data
        )

    @extend_schema(request=SessionUpdateSerializer, responses={200: SessionSerializer}, tags=["chat"])
    def patch(self, request, session_id: int):
        session = session_get_for_principal(principal=request.user, session_id=session_id)
        serializer = SessionUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(
            SessionSerializer(
                session_rename(actor=request.user, session=session, title=serializer.validated_data["title"])
            ).data
        )

    @extend_schema(responses={204: None}, tags=["chat"])
    def delete(self, request, session_id: int):
        session_delete(
            actor=request.user, session=session_get_for_principal(principal=request.user, session_id=session_id)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class SessionEndView(ApiView):
    permission_classes = [IsParentOrChildDevice]
    serializer_class = SessionSerializer

    @extend_schema(request=None, responses={200: SessionSerializer}, tags=["chat"])
    def post(self, request, session_id: int):
        session = session_get_for_principal(principal=request.user, session_id=session_id)
        return Response(SessionSerializer(session_end(actor=request.user, session=session)).data)


class SessionMessagesView(ApiView):
    permission_classes = [IsParentOrChildDevice]
    serializer_class = MessageSerializer
    queryset = Message.objects.none()  # for the schema generator

    @extend_schema(parameters=HISTORY_PARAMETERS, responses={200: MessageSerializer(many=True)}, tags=["history"])
    def get(self, request, session_id: int):
        session = session_get_for_principal(principal=request.user, session_id=session_id)
        response = paginated_response(self, messages_for_session(session_id=session.pk, filters=_filters(request)))
        # Logged once the page was read (a refused request read nothing).
        transcript_read_record(reader=request.user, child_id=session.child_id, session_id=session.pk, via=AccessVia.API)
        return response


class ChildMessagesView(ApiView):
    """All of a child's messages. Parents also see chats the child deleted from their own list."""

    permission_classes = [IsParentOrChildDevice]
    serializer_class = MessageSerializer
    queryset = Message.objects.none()  # for the schema generator

    @extend_schema(parameters=HISTORY_PARAMETERS, responses={200: MessageSerializer(many=True)}, tags=["history"])
    def get(self, request, child_id: int):
        child = child_for_principal(principal=request.user, child_id=child_id)
        messages = messages_for_child(
            child_id=child.pk,
            filters=_filters(request),
            visible_sessions_only=isinstance(request.user, ChildPrincipal),
        )
        response = paginated_response(self, messages)
        transcript_read_record(reader=request.user, child_id=child.pk, via=AccessVia.API)
        return response
