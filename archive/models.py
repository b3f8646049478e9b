"""The data lifecycle's records: compressed archives of old conversations, each family's retention
choice (and a legal hold), the jobs that ran, children's data exports, and inactivity notices.

See docs/DATA_LIFECYCLE.md for the policy these enforce.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ChildProfile


class ConversationArchive(models.Model):
    """One batch of a child's messages of one month, moved out of the hot table: a zstandard-compressed
    JSON array of the message rows (every column, ids included, so a restore puts them back as they
    were). ``sha256`` is of the uncompressed JSON; the move verified it before deleting the originals."""

    child = models.ForeignKey(
        ChildProfile, on_delete=models.CASCADE, related_name="archives", verbose_name=_("child"), db_index=False
    )
    month = models.DateField(_("month"))
    codec = models.CharField(_("codec"), max_length=16, default="zstd")
    level = models.PositiveSmallIntegerField(_("level"))
    message_count = models.PositiveIntegerField(_("messages"))
    first_at = models.DateTimeField(_("first message at"))
    last_at = models.DateTimeField(_("last message at"))
    raw_bytes = models.PositiveBigIntegerField(_("size"))
    compressed_bytes = models.PositiveBigIntegerField(_("compressed size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    payload = models.BinaryField(_("payload"), editable=False)
    # The chats its messages belong to (kept while the archive is), and the family's time zone when its
    # day aggregates were counted (a restore takes them out of the same days).
    sessions = models.JSONField(_("chats"), default=list)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    created_at = models.DateTimeField(_("archived at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("conversation archive")
        verbose_name_plural = _("conversation archives")
        indexes = [models.Index(fields=["child", "month"], name="archive_child_month")]

    def __str__(self) -> str:
        return f"child {self.child_id}, {self.month:%Y-%m}: {self.message_count} messages"


class RetentionChoice(models.Model):
    """What a family chose for one child within the limits (docs/DATA_LIFECYCLE.md), and staff's legal
    hold, which stops every purge and erasure job for the child until it is lifted."""

    child = models.OneToOneField(
        ChildProfile, on_delete=models.CASCADE, related_name="retention", verbose_name=_("child")
    )
    transcript_days = models.PositiveIntegerField(_("keep conversations (days)"), null=True, blank=True)
    legal_hold = models.BooleanField(_("legal hold"), default=False)
    legal_hold_note = models.CharField(_("legal hold note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("retention choice")
        verbose_name_plural = _("retention choices")

    def __str__(self) -> str:
        return f"child {self.child_id}: {self.transcript_days or 'default'} days{' (hold)' if self.legal_hold else ''}"


class JobKind(models.TextChoices):
    ARCHIVE = "archive", _("archive")
    PURGE = "purge", _("purge")
    INACTIVE = "inactive", _("inactive accounts")


class LifecycleRun(models.Model):
    """One run of a scheduled job (or its command), with what it did: shown in the admin."""

    kind = models.CharField(_("kind"), max_length=10, choices=JobKind.choices)
    dry_run = models.BooleanField(_("dry run"), default=False)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    error = models.CharField(_("error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("lifecycle run")
        verbose_name_plural = _("lifecycle runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.started_at:%Y-%m-%d %H:%M}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("being built")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class ExportJob(models.Model):
    """Everything about one child, built in the background into one ZIP, downloadable through an
    expiring signed link by the child's guardians; deleted when it expires."""

    child = models.ForeignKey(ChildProfile, on_delete=models.CASCADE, related_name="exports", verbose_name=_("child"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    status = models.CharField(_("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now, editable=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    payload = models.BinaryField(_("ZIP"), null=True, editable=False)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"export #{self.pk} of child {self.child_id}: {self.status}"


class InactivityNotice(models.Model):
    """A parent told their account will be deleted after the grace period unless they come back."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inactivity_notice")
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("inactivity notice")
        verbose_name_plural = _("inactivity notices")

    def __str__(self) -> str:
        return f"user {self.user_id} told at {self.sent_at:%Y-%m-%d}"
