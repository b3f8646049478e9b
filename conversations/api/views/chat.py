from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from accounts.api.permissions import IsParentOrChildDevice
from accounts.principals import ChildPrincipal
from conversations.agents.types import AgentName
from conversations.api.serializers import (
    ChatRequestSerializer,
    ChatResponseSerializer,
    SafetyCheckRequestSerializer,
    SafetyCheckResponseSerializer,
    chat_response,
)
from conversations.selectors.scope import child_for_principal
from conversations.services.moderation import safety_check
from conversations.services.pipeline import message_send
from happy_partner.api.views import ApiView


class ChatView(ApiView):
    """A child's message in, a safe reply out. Parents may send as their child (parent mode)."""

    permission_classes = [IsParentOrChildDevice]
    serializer_class = ChatRequestSerializer
    force_agent: AgentName | None = None

    @extend_schema(request=ChatRequestSerializer, responses={200: ChatResponseSerializer}, tags=["chat"])
    def post(self, request):
        serializer = ChatRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        child = child_for_principal(principal=request.user, child_id=data.get("child"))
        result = message_send(
            actor=request.user,
            child_id=child.pk,
            text=data["text"],
            session_id=data.get("session"),
            force_agent=self.force_agent,
        )
        return Response(chat_response(result))


class EduAskView(ChatView):
    """Straight to the teacher agent, through the same pipeline (gate and safety included)."""

    force_agent = AgentName.EDU


class EmotionSupportView(ChatView):
    """Straight to the emotion agent, through the same pipeline (gate and safety included)."""

    force_agent = AgentName.EMOTION


class SafetyCheckView(ApiView):
    permission_classes = [IsParentOrChildDevice]
    serializer_class = SafetyCheckRequestSerializer

    @extend_schema(
        request=SafetyCheckRequestSerializer, responses={200: SafetyCheckResponseSerializer}, tags=["safety"]
    )
    def post(self, request):
        serializer = SafetyCheckRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        child_id = serializer.validated_data.get("child")
        if child_id is not None or isinstance(request.user, ChildPrincipal):
            child_id = child_for_principal(principal=request.user, child_id=child_id).pk
        verdict = safety_check(actor=request.user, text=serializer.validated_data["text"], child_id=child_id)
        return Response(
            {
                "action": verdict.action.value,
                "severity": verdict.severity.label,
                "categories": [c.value for c in verdict.categories],
                "masked_text": verdict.masked_text,
                "scores": {c.value: p for c, p in verdict.scores.items()},
                "layers": [layer.value for layer in verdict.layers],
            }
        )
