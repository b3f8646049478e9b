"""Request and response shapes of the conversations API."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.utils.translation import gettext_lazy as _

from conversations.agents.types import AgentName
from conversations.models import ChatSession, MemoryFact, Message, ReviewMark, SafetyEvent
from conversations.safety.model.types import MODEL_CATEGORIES
from conversations.safety.types import Layer
from happy_partner.api import serializers  # DRF's, with strict request bodies

TEXT_MAX = 2000
AGENT_CHOICES = [a.value for a in AgentName]


class MessageTextField(serializers.CharField):
    """A child's message: it must contain something visible (not only spaces or invisible marks)."""

    default_error_messages = {"invisible": _("Write something to send.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", TEXT_MAX)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        if not any(unicodedata.category(ch)[0] not in "CZ" for ch in text):
            self.fail("invisible")
        return text


class ChatRequestSerializer(serializers.Serializer):
    text = MessageTextField()
    session = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**62)
    child = serializers.IntegerField(
        required=False, min_value=1, max_value=2**62, help_text="Parents testing parent mode: which child."
    )


class SafetySerializer(serializers.Serializer):
    action = serializers.CharField()
    severity = serializers.CharField()
    categories = serializers.ListField(child=serializers.CharField())


class MessageSafetySerializer(SafetySerializer):
    """The verdict of one stored message, read from its row (``source="*"``): the one shape and the one
    source of ``safety`` in the chat answer and in the history alike (docs/API_SPEC.md §15)."""

    action = serializers.CharField(source="safety_action")
    severity = serializers.CharField(source="safety_severity")
    categories = serializers.ListField(source="safety_categories", child=serializers.CharField())


class ChatMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class ChatReplySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    agent = serializers.CharField()
    subject = serializers.CharField(allow_blank=True)
    emotion = serializers.CharField(allow_blank=True, help_text="The emotion noticed in the child's message.")


class ChatSessionBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(allow_blank=True)


class ChatResponseSerializer(serializers.Serializer):
    session = ChatSessionBriefSerializer()
    message = ChatMessageSerializer()
    reply = ChatReplySerializer()
    safety = MessageSafetySerializer(help_text="The verdict on the child's message, as its history shows it.")
    refusal = serializers.CharField(allow_null=True, help_text="Why the message was not answered, if it was not.")


def chat_response(result) -> dict:
    message, reply = result.message, result.reply
    return {
        "session": {"id": result.session.pk, "title": result.session.title},
        "message": {"id": message.pk, "text": message.text, "created_at": message.created_at},
        "reply": {
            "id": reply.pk,
            "text": reply.text,
            "agent": reply.agent,
            "subject": reply.subject or message.subject,
            "emotion": message.emotion,
        },
        "safety": MessageSafetySerializer(message).data,
        "refusal": result.refusal,
    }


class SafetyCheckRequestSerializer(serializers.Serializer):
    text = MessageTextField()
    child = serializers.IntegerField(required=False, min_value=1, max_value=2**62)


class SafetyCheckResponseSerializer(SafetySerializer):
    masked_text = serializers.CharField(allow_blank=True)
    scores = serializers.DictField(
        child=serializers.FloatField(min_value=0, max_value=1),
        help_text="The risk model's probability per category (empty when the model is switched off).",
    )
    layers = serializers.ListField(
        child=serializers.ChoiceField(choices=[layer.value for layer in Layer]),
        help_text="Which layers found what the verdict holds: lexicon, pii, fast, semantic, conversation.",
    )


class SessionSerializer(serializers.ModelSerializer):
    is_active = serializers.BooleanField(read_only=True)
    child = serializers.IntegerField(source="child_id", read_only=True)

    class Meta:
        model = ChatSession
        fields = [
            "id",
            "child",
            "title",
            "started_at",
            "last_activity_at",
            "ended_at",
            "deleted_at",
            "message_count",
            "is_active",
        ]
        read_only_fields = fields


class SessionCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=80, required=False, allow_blank=True)
    child = serializers.IntegerField(required=False, min_value=1, max_value=2**62)


class SessionUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=80, allow_blank=True)


class MessageSerializer(serializers.ModelSerializer):
    safety = MessageSafetySerializer(source="*", read_only=True)
    session = serializers.IntegerField(source="session_id", read_only=True)
    reply_to = serializers.IntegerField(source="reply_to_id", read_only=True, allow_null=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "session",
            "reply_to",
            "role",
            "agent",
            "text",
            "channel",
            "pii_masked",
            "safety",
            "refusal_code",
            "emotion",
            "emotion_intensity",
            "subject",
            "provider",
            "latency_ms",
            "created_at",
        ]
        read_only_fields = fields


class HistoryQuerySerializer(serializers.Serializer):
    agent = serializers.ChoiceField(
        choices=AGENT_CHOICES, required=False, help_text="Only messages handled by this agent."
    )
    since = serializers.DateTimeField(required=False, help_text="ISO datetime, inclusive.")
    until = serializers.DateTimeField(required=False, help_text="ISO datetime, exclusive.")
    flagged = serializers.BooleanField(
        required=False, default=False, help_text="Only messages the safety checks redirected, blocked or escalated."
    )
    q = serializers.CharField(
        required=False, max_length=100, allow_blank=False, help_text="Search words (Chinese is segmented into words)."
    )


class MemorySerializer(serializers.ModelSerializer):
    class Meta:
        model = MemoryFact
        fields = ["id", "kind", "text", "importance", "created_at", "last_used_at"]
        read_only_fields = fields


class SafetyEventSerializer(serializers.ModelSerializer):
    child = serializers.IntegerField(source="child_id", read_only=True)
    message = serializers.IntegerField(source="message_id", read_only=True, allow_null=True)

    class Meta:
        model = SafetyEvent
        fields = [
            "id",
            "child",
            "message",
            "direction",
            "categories",
            "severity",
            "action",
            "evidence",
            "created_at",
            "parent_notified_at",
            "reviewed_at",
            "review_note",
            "review_mark",
            "review_categories",
        ]
        read_only_fields = fields


class ReviewQueueQuerySerializer(serializers.Serializer):
    reviewed = serializers.BooleanField(required=False, allow_null=True, default=None)


class ReviewSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    mark = serializers.ChoiceField(choices=ReviewMark.choices, required=False)
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=[c.value for c in MODEL_CATEGORIES]),
        required=False,
        max_length=len(MODEL_CATEGORIES),
        help_text="With mark=missed: the categories that apply.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("mark") == ReviewMark.MISSED and not attrs.get("categories"):
            raise serializers.ValidationError({"categories": _("Say which categories were missed.")})
        return attrs


class InsightsQuerySerializer(serializers.Serializer):
    days = serializers.IntegerField(required=False, default=30, min_value=1, max_value=90)


class InsightsSerializer(serializers.Serializer):
    """Per-day figures in the family's time zone; see docs/API_SPEC.md for each report's fields."""

    child = serializers.IntegerField()
    days = serializers.IntegerField()
    report = serializers.DictField()


class ChatSocketMessageSerializer(serializers.Serializer):
    """A ``message`` event on the chat socket (docs/API_SPEC.md §15, "The chat socket")."""

    type = serializers.ChoiceField(choices=["message"])
    text = MessageTextField()
    session = serializers.IntegerField(required=False, min_value=1, max_value=2**62)
    client_id = serializers.CharField(min_length=1, max_length=64)


class ChatSocketResumeSerializer(serializers.Serializer):
    """A ``resume`` event on the chat socket: what the app missed in a chat after a message it saw."""

    type = serializers.ChoiceField(choices=["resume"])
    session = serializers.IntegerField(min_value=1, max_value=2**62)
    after = serializers.IntegerField(min_value=0, max_value=2**62)
