from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ChildProfile
from conversations.models.messages import Message


class MemoryKind(models.TextChoices):
    PREFERENCE = "preference", _("Preference")
    FACT = "fact", _("Fact")
    GOAL = "goal", _("Goal")


class MemoryFact(models.Model):
    """Something the companion remembers about a child, with the message it came from.
    Kept only with the ``memory`` consent and feature; parents can read and delete each one."""

    child = models.ForeignKey(
        ChildProfile, on_delete=models.CASCADE, related_name="memories", verbose_name=_("child"), db_index=False
    )
    kind = models.CharField(_("kind"), max_length=12, choices=MemoryKind.choices)
    text = models.CharField(_("text"), max_length=200)
    importance = models.FloatField(_("importance"), default=0.5)
    source_message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("source message")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("memory")
        verbose_name_plural = _("memories")
        indexes = [models.Index(fields=["child", "-created_at", "-id"], name="memory_child_recent")]
        constraints = [models.UniqueConstraint(fields=["child", "text"], name="memory_unique_text")]

    def __str__(self) -> str:
        return f"{self.kind} memory #{self.pk} of child {self.child_id}"
