from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import ChildProfile


class UsageDay(models.Model):
    """Seconds of real activity per child and local day: what daily/weekly limits are checked
    against, with one small row per day instead of scanning messages."""

    child = models.ForeignKey(
        ChildProfile, on_delete=models.CASCADE, related_name="usage_days", verbose_name=_("child"), db_index=False
    )
    day = models.DateField(_("day"))
    seconds = models.PositiveIntegerField(_("seconds"), default=0)
    messages = models.PositiveIntegerField(_("messages"), default=0)

    class Meta:
        verbose_name = _("usage per day")
        verbose_name_plural = _("usage per day")
        constraints = [models.UniqueConstraint(fields=["child", "day"], name="usage_one_row_per_day")]

    def __str__(self) -> str:
        return f"child {self.child_id} on {self.day}: {self.seconds}s"


class InsightDay(models.Model):
    """What the insights pages count, per child and local day, for messages that were archived: the
    charts read these beside the hot messages, so archiving (or purging transcripts) does not blank
    them. ``emotions`` maps a feeling to [times noticed, sum of intensities]."""

    child = models.ForeignKey(
        ChildProfile, on_delete=models.CASCADE, related_name="insight_days", verbose_name=_("child"), db_index=False
    )
    day = models.DateField(_("day"))
    flagged = models.PositiveIntegerField(_("flagged messages"), default=0)
    agents = models.JSONField(_("replies per agent"), default=dict)
    subjects = models.JSONField(_("questions per subject"), default=dict)
    emotions = models.JSONField(_("feelings noticed"), default=dict)

    class Meta:
        verbose_name = _("archived day's insights")
        verbose_name_plural = _("archived days' insights")
        constraints = [models.UniqueConstraint(fields=["child", "day"], name="insight_day_one_row_per_day")]

    def __str__(self) -> str:
        return f"child {self.child_id} on {self.day}"
