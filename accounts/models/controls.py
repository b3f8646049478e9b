from __future__ import annotations

import functools
from datetime import time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models.children import ChildProfile
from conversations.safety.types import Severity

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a development dependency: for the type checker only


class SafetySensitivity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


# Severity is defined once, in the safety package (ordered, so thresholds compare); these are the
# names people read for it, and the choices of every severity column (controls, messages, events,
# lexicon terms).
SEVERITY_NAMES = {
    Severity.NONE: _("None"),
    Severity.LOW: _("Low"),
    Severity.MEDIUM: _("Medium"),
    Severity.HIGH: _("High"),
    Severity.CRITICAL: _("Critical"),
}
SEVERITY_CHOICES = [(severity.label, SEVERITY_NAMES[severity]) for severity in Severity]


# Listing the time-zone database scans the disk (~12 ms); it does not change while we run.
_time_zones = functools.cache(available_timezones)


def validate_time_zone(value: str) -> None:
    if value not in _time_zones():
        raise ValidationError(_("Unknown time zone: %(value)s"), params={"value": value}, code="invalid_time_zone")


class ParentalControls(models.Model):
    """The rules a family set for one child. Enforced on the server at every entry point.

    Defaults (documented in docs/DATABASE.md): one hour a day, five hours a week, 30-minute
    sessions, chatting allowed 07:00-20:30 on weekdays and 08:00-21:00 at weekends in the
    family's time zone, every feature on except long-term memory (which also needs consent).
    """

    MAX_BLOCKED_WORDS = 200

    child = models.OneToOneField(
        ChildProfile, on_delete=models.CASCADE, related_name="controls", primary_key=True, verbose_name=_("child")
    )
    daily_minutes = models.PositiveSmallIntegerField(
        _("minutes per day"), default=60, validators=[MaxValueValidator(24 * 60)]
    )
    weekly_minutes = models.PositiveSmallIntegerField(
        _("minutes per week"), default=300, validators=[MaxValueValidator(7 * 24 * 60)]
    )
    session_minutes = models.PositiveSmallIntegerField(
        _("minutes per session"), default=30, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    weekday_start = models.TimeField(_("weekday start"), default=time(7, 0))
    weekday_end = models.TimeField(_("weekday end"), default=time(20, 30))
    weekend_start = models.TimeField(_("weekend start"), default=time(8, 0))
    weekend_end = models.TimeField(_("weekend end"), default=time(21, 0))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=settings.DEFAULT_CHILD_TIME_ZONE, validators=[validate_time_zone]
    )
    education_enabled = models.BooleanField(_("education"), default=True)
    emotion_enabled = models.BooleanField(_("emotion support"), default=True)
    stories_enabled = models.BooleanField(_("stories"), default=True)
    voice_enabled = models.BooleanField(_("voice"), default=True)
    memory_enabled = models.BooleanField(_("long-term memory"), default=False)
    safety_sensitivity = models.CharField(
        _("safety sensitivity"), max_length=10, choices=SafetySensitivity.choices, default=SafetySensitivity.MEDIUM
    )
    blocked_words = models.JSONField(_("blocked words"), default=list, blank=True)
    alert_min_severity = models.CharField(
        _("alert from severity"), max_length=10, choices=SEVERITY_CHOICES[1:], default=Severity.MEDIUM.label
    )
    alert_email = models.BooleanField(_("alerts by e-mail"), default=True)
    alert_realtime = models.BooleanField(_("alerts in the app"), default=True)
    pin_hash = models.CharField(_("parent PIN (hashed)"), max_length=128, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("parental controls")
        verbose_name_plural = _("parental controls")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(daily_minutes__lte=models.F("weekly_minutes")),
                name="controls_daily_within_weekly",
            ),
            models.CheckConstraint(
                condition=models.Q(weekday_start__lt=models.F("weekday_end")), name="controls_weekday_window"
            ),
            models.CheckConstraint(
                condition=models.Q(weekend_start__lt=models.F("weekend_end")), name="controls_weekend_window"
            ),
        ]

    def __str__(self) -> str:
        return f"controls for child {self.child_id}"

    @property
    def pin_set(self) -> bool:
        return bool(self.pin_hash)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.daily_minutes > self.weekly_minutes:
            errors["daily_minutes"] = _("The daily limit cannot be more than the weekly limit.")
        if self.weekday_start >= self.weekday_end:
            errors["weekday_end"] = _("The end of the allowed window must be after its start.")
        if self.weekend_start >= self.weekend_end:
            errors["weekend_end"] = _("The end of the allowed window must be after its start.")
        if errors:
            raise ValidationError(errors)


# The rules a family sets: every editable column except the key and the audit column (and the PIN,
# which is not editable). The one list of them: controls_update() accepts exactly these and the
# cached child snapshot (accounts/snapshots.py) carries exactly these.
CONTROL_FIELDS: tuple[str, ...] = tuple(
    field.name
    for field in ParentalControls._meta.concrete_fields
    if field.editable and field.name not in {"child", "updated_by"}
)
