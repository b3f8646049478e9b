from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ChildProfile, Device
from accounts.models.controls import SEVERITY_CHOICES
from conversations.agents.emotion import EMOTIONS, NEUTRAL
from conversations.agents.subjects import SUBJECTS
from conversations.agents.types import AgentName
from conversations.safety.types import FLAGGED_ACTIONS, Action, Severity

# The code columns take their values from the enums that define them (blank where "none" is meant).
AGENT_CHOICES = [(agent.value, agent.value) for agent in AgentName]
ACTION_CHOICES = [(action.value, action.value) for action in Action]
EMOTION_CHOICES = [(emotion, emotion) for emotion in (*EMOTIONS, NEUTRAL)]
SUBJECT_CHOICES = [(key, subject.en) for key, subject in SUBJECTS.items()]


class ChatSession(models.Model):
    """One conversation of a child. Soft-deleted (``deleted_at``) so a parent's history stays whole."""

    child = models.ForeignKey(
        ChildProfile, on_delete=models.CASCADE, related_name="chat_sessions", verbose_name=_("child"), db_index=False
    )
    device = models.ForeignKey(
        Device, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("device")
    )
    title = models.CharField(_("title"), max_length=80, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now, editable=False)
    last_activity_at = models.DateTimeField(_("last activity at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    active_seconds = models.PositiveIntegerField(_("active seconds"), default=0)
    message_count = models.PositiveIntegerField(_("messages"), default=0)
    story_state = models.JSONField(_("story state"), default=dict, blank=True)

    class Meta:
        verbose_name = _("chat session")
        verbose_name_plural = _("chat sessions")
        indexes = [models.Index(fields=["child", "-started_at", "-id"], name="session_child_recent")]

    def __str__(self) -> str:
        return f"session #{self.pk} of child {self.child_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None and self.deleted_at is None


class MessageRole(models.TextChoices):
    CHILD = "child", _("Child")
    ASSISTANT = "assistant", _("Companion")
    SYSTEM = "system", _("System")


class RefusalCode(models.TextChoices):
    """Why the gate did not let a message through (conversations.services.gate, in its order)."""

    CONSENT_REQUIRED = "consent_required"
    CHILD_INACTIVE = "child_inactive"
    QUIET_HOURS = "quiet_hours"
    WEEKLY_LIMIT = "weekly_limit"
    DAILY_LIMIT = "daily_limit"
    SESSION_LIMIT = "session_limit"
    FEATURE_DISABLED = "feature_disabled"
    VOICE_DISABLED = "voice_disabled"


class Channel(models.TextChoices):
    """How a child's words arrived. The gate enforces what each needs: ``voice`` the parent's voice
    switch and the voice consent; ``device`` (a paired device's live socket, authenticated once when it
    connected) that the device is still paired, read in the turn's own transaction."""

    TEXT = "text", _("typed")
    VOICE = "voice", _("spoken")
    DEVICE = "device", _("device socket")


class Message(models.Model):
    """One message, one row: appending never rewrites history, whatever its length.

    ``text`` is stored after personal information was masked (``pii_masked``); the raw words with
    a phone number or an address are never written anywhere.
    """

    session = models.ForeignKey(
        ChatSession, on_delete=models.CASCADE, related_name="messages", verbose_name=_("session"), db_index=False
    )
    child = models.ForeignKey(
        ChildProfile, on_delete=models.CASCADE, related_name="messages", verbose_name=_("child"), db_index=False
    )
    reply_to = models.OneToOneField(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="reply", verbose_name=_("reply to")
    )
    role = models.CharField(_("role"), max_length=10, choices=MessageRole.choices)
    agent = models.CharField(_("agent"), max_length=10, blank=True, choices=AGENT_CHOICES)
    text = models.TextField(_("text"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.TEXT)
    pii_masked = models.BooleanField(_("personal information masked"), default=False)
    safety_action = models.CharField(
        _("safety action"), max_length=10, choices=ACTION_CHOICES, default=Action.ALLOW.value
    )
    safety_severity = models.CharField(
        _("safety severity"), max_length=10, choices=SEVERITY_CHOICES, default=Severity.NONE.label
    )
    safety_categories = models.JSONField(_("safety categories"), default=list, blank=True)
    refusal_code = models.CharField(_("refusal"), max_length=30, blank=True, choices=RefusalCode.choices)
    emotion = models.CharField(_("emotion"), max_length=12, blank=True, choices=EMOTION_CHOICES)
    emotion_intensity = models.FloatField(_("emotion intensity"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=20, blank=True, choices=SUBJECT_CHOICES)
    provider = models.CharField(_("provider"), max_length=30, blank=True)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"), null=True, blank=True)
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    search_tokens = models.TextField(_("search tokens"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        permissions = [("view_transcript", _("Can read children's conversation transcripts (access is logged)"))]
        indexes = [
            # newest page of one child's history; keyset pagination walks this index
            models.Index(fields=["child", "-created_at", "-id"], name="message_child_recent"),
            # one session's history, and the recent turns fed to the agents
            models.Index(fields=["session", "-created_at", "-id"], name="message_session_recent"),
            # "flagged only" filter for parents
            models.Index(
                fields=["child", "-created_at", "-id"],
                name="message_child_flagged",
                condition=Q(safety_action__in=tuple(action.value for action in FLAGGED_ACTIONS)),
            ),
        ]

    def __str__(self) -> str:
        return f"message #{self.pk} ({self.role}) in session {self.session_id}"
