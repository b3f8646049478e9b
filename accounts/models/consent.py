from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models.children import ChildProfile


class ConsentScope(models.TextChoices):
    CHAT = "chat", _("Chat with the companion")
    VOICE = "voice", _("Voice input and output")
    VOICEPRINT = "voiceprint", _("Voiceprint recognition")
    MEMORY = "memory", _("Long-term memory")
    EMOTION_COMPANION = "emotion_companion", _("Emotion companion")


class ConsentMethod(models.TextChoices):
    API = "api", _("Parent app (API)")
    DASHBOARD = "dashboard", _("Parent dashboard")
    PARENT_MODE = "parent_mode", _("Parent mode on the child's device")


class ConsentRecord(models.Model):
    """A guardian's consent to one use of a child's data. Kept after withdrawal, as evidence.

    At most one active (not withdrawn) record per child and scope; features check the active
    record before they run, so withdrawing takes effect at once.
    """

    child = models.ForeignKey(
        ChildProfile,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("child"),
        db_index=False,  # served by consent_child_recent (child, -granted_at)
    )
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="consents_given",
        verbose_name=_("guardian"),
    )
    guardian_email = models.EmailField(
        _("guardian e-mail at the time"), help_text=_("Kept so the record stays meaningful if the account goes.")
    )
    scope = models.CharField(_("scope"), max_length=30, choices=ConsentScope.choices)
    policy_version = models.CharField(_("policy version"), max_length=20)
    method = models.CharField(_("method"), max_length=20, choices=ConsentMethod.choices)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        constraints = [
            models.UniqueConstraint(
                fields=["child", "scope"], condition=Q(withdrawn_at__isnull=True), name="consent_one_active_per_scope"
            )
        ]
        indexes = [models.Index(fields=["child", "-granted_at"], name="consent_child_recent")]

    def __str__(self) -> str:
        return f"{self.scope} for child {self.child_id}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
