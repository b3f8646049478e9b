from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ChildProfile
from accounts.models.controls import SEVERITY_CHOICES
from conversations.models.messages import ACTION_CHOICES, ChatSession, Message


class Direction(models.TextChoices):
    IN = "in", _("From the child")
    OUT = "out", _("From the companion")


class ReviewMark(models.TextChoices):
    """A reviewer's judgement of the verdict, for the next version of the model's training data
    (``manage.py export_safety_reviews``; never trained on automatically)."""

    CONFIRMED = "confirmed", _("Right")
    FALSE_POSITIVE = "false_positive", _("False positive: nothing was wrong")
    MISSED = "missed", _("Missed: worse than the verdict says")


class SafetyEvent(models.Model):
    """Something the safety checks caught. ``evidence`` holds lexicon terms, PII kinds, the layers
    that fired and the risk model's scores, never the child's words; the message itself (masked) is
    one click away for guardians."""

    child = models.ForeignKey(
        ChildProfile, on_delete=models.CASCADE, related_name="safety_events", verbose_name=_("child"), db_index=False
    )
    message = models.ForeignKey(
        Message,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="safety_events",
        verbose_name=_("message"),
    )
    # The message's id while it is archived (the FK is then null): a restore links them again.
    archived_message = models.BigIntegerField(_("archived message"), null=True, blank=True, editable=False)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    categories = models.JSONField(_("categories"), default=list)
    severity = models.CharField(_("severity"), max_length=10, choices=SEVERITY_CHOICES)
    action = models.CharField(_("action"), max_length=10, choices=ACTION_CHOICES)
    evidence = models.JSONField(_("evidence (redacted)"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    parent_notified_at = models.DateTimeField(_("guardians notified at"), null=True, blank=True)
    # Whether the guardians were to be alerted, decided once when the event was stored (alerts'
    # alert_channels): an event below their threshold is never delivered, and never swept.
    alert_due = models.BooleanField(_("alert due"), default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=500, blank=True)
    review_mark = models.CharField(_("review mark"), max_length=20, choices=ReviewMark.choices, blank=True)
    # With a "missed" mark: the categories the reviewer says apply (model categories).
    review_categories = models.JSONField(_("categories the reviewer says apply"), default=list, blank=True)
    # A guardian saw the alert (the dashboard's "mark as seen"); for every guardian of the child. Staff
    # review (above) is a separate judgement of the verdict.
    acknowledged_at = models.DateTimeField(_("seen by a guardian at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seen by"),
    )

    class Meta:
        verbose_name = _("safety event")
        verbose_name_plural = _("safety events")
        indexes = [
            models.Index(fields=["child", "-created_at", "-id"], name="safety_child_recent"),
            models.Index(fields=["reviewed_at", "-created_at"], name="safety_review_queue"),
            # The redelivery sweep's range (redeliver_safety_alerts, every 2 minutes): only the alerts
            # due and not yet delivered are in it, so the sweep never walks the delivered history
            # nor the events below the guardians' threshold (never delivered, by design).
            models.Index(
                fields=["created_at"],
                condition=Q(parent_notified_at__isnull=True, alert_due=True),
                name="safety_undelivered",
            ),
        ]

    def __str__(self) -> str:
        return f"safety event #{self.pk} ({self.action}, {self.severity})"

    def clean(self) -> None:
        from conversations.safety.model.types import MODEL_CATEGORIES

        known = {c.value for c in MODEL_CATEGORIES}
        if not isinstance(self.review_categories, list) or not set(self.review_categories) <= known:
            allowed = ", ".join(sorted(known))
            raise ValidationError({"review_categories": _("Use the model's categories: %s.") % allowed})
        if self.review_mark == ReviewMark.MISSED and not self.review_categories:
            raise ValidationError({"review_categories": _("Say which categories were missed.")})


class AccessVia(models.TextChoices):
    ADMIN = "admin", _("staff console")
    DASHBOARD = "dashboard", _("parent dashboard")
    API = "api", _("API")
    EXPORT = "export", _("data export")


class TranscriptAccess(models.Model):
    """Every read of a child's transcript by a grown-up: staff in the admin, a parent on the dashboard
    or through the API (a device reading its own child's chats is not logged): who, which child,
    which chat, how, when."""

    # An erased account's reads stay in the log, without the account.
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("reader")
    )
    via = models.CharField(_("via"), max_length=10, choices=AccessVia.choices, default=AccessVia.ADMIN)
    child = models.ForeignKey(ChildProfile, on_delete=models.CASCADE, related_name="+", verbose_name=_("child"))
    session = models.ForeignKey(
        ChatSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("session")
    )
    accessed_at = models.DateTimeField(_("accessed at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("transcript access")
        verbose_name_plural = _("transcript accesses")

    def __str__(self) -> str:
        return f"user {self.reader_id} read child {self.child_id} via {self.via} at {self.accessed_at:%Y-%m-%d %H:%M}"
