"""What every message needs to know about a child, read from the cache.

Profile, controls, consents and blocked words are read on every chat message; they change rarely.
The snapshot lives in the cache backend (Redis in production) and is dropped whenever any of
its sources is saved (signals below), so it is never stale. A cache outage degrades to the
database; it never fails a message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import time

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import ChildProfile, ConsentRecord, Guardianship, ParentalControls

logger = logging.getLogger(__name__)
CACHE_SECONDS = 600
_VERSION = 1  # bump when the snapshot's shape changes


@dataclass(frozen=True)
class ControlsView:
    daily_minutes: int
    weekly_minutes: int
    session_minutes: int
    weekday_start: time
    weekday_end: time
    weekend_start: time
    weekend_end: time
    time_zone: str
    education_enabled: bool
    emotion_enabled: bool
    stories_enabled: bool
    voice_enabled: bool
    memory_enabled: bool
    safety_sensitivity: str
    blocked_words: tuple[str, ...]
    alert_min_severity: str
    alert_email: bool
    alert_realtime: bool


@dataclass(frozen=True)
class ChildSnapshot:
    child_id: int
    display_name: str
    age: int
    age_band: str
    grade: int | None
    language: str
    interests: tuple[str, ...]
    is_active: bool
    consents: frozenset[str]
    controls: ControlsView
    guardian_ids: tuple[int, ...]

    def has_consent(self, scope: str) -> bool:
        return scope in self.consents


def _key(child_id: int) -> str:
    return f"child-snapshot:v{_VERSION}:{child_id}"


def _build(child_id: int) -> ChildSnapshot:
    child = ChildProfile.objects.select_related("controls").get(pk=child_id)
    c = child.controls
    consents = frozenset(
        ConsentRecord.objects.filter(child_id=child_id, withdrawn_at__isnull=True).values_list("scope", flat=True)
    )
    guardians = tuple(child.guardianships.order_by("pk").values_list("guardian_id", flat=True))
    controls = ControlsView(
        daily_minutes=c.daily_minutes,
        weekly_minutes=c.weekly_minutes,
        session_minutes=c.session_minutes,
        weekday_start=c.weekday_start,
        weekday_end=c.weekday_end,
        weekend_start=c.weekend_start,
        weekend_end=c.weekend_end,
        time_zone=c.time_zone,
        education_enabled=c.education_enabled,
        emotion_enabled=c.emotion_enabled,
        stories_enabled=c.stories_enabled,
        voice_enabled=c.voice_enabled,
        memory_enabled=c.memory_enabled,
        safety_sensitivity=c.safety_sensitivity,
        blocked_words=tuple(c.blocked_words),
        alert_min_severity=c.alert_min_severity,
        alert_email=c.alert_email,
        alert_realtime=c.alert_realtime,
    )
    return ChildSnapshot(
        child_id=child.pk,
        display_name=child.display_name,
        age=child.age,
        age_band=child.age_band,
        grade=child.grade,
        language=child.language,
        interests=tuple(child.interests),
        is_active=child.is_active,
        consents=consents,
        controls=controls,
        guardian_ids=guardians,
    )


def child_snapshot(*, child_id: int) -> ChildSnapshot:
    key = _key(child_id)
    try:
        cached = cache.get(key)
    except Exception:  # a cache outage must not fail the message
        logger.warning("cache unavailable reading child snapshot child_id=%s", child_id, exc_info=True)
        return _build(child_id)
    if cached is not None:
        return cached
    snapshot = _build(child_id)
    try:
        cache.set(key, snapshot, CACHE_SECONDS)
    except Exception:
        logger.warning("cache unavailable writing child snapshot child_id=%s", child_id, exc_info=True)
    return snapshot


def child_snapshot_invalidate(*, child_id: int) -> None:
    try:
        cache.delete(_key(child_id))
    except Exception:
        # If the cache is down it cannot serve the stale snapshot either; it expires on its own.
        logger.warning("cache unavailable invalidating child snapshot child_id=%s", child_id, exc_info=True)


@receiver([post_save, post_delete], sender=ChildProfile)
def _child_changed(sender, instance: ChildProfile, **kwargs) -> None:
    child_snapshot_invalidate(child_id=instance.pk)


@receiver([post_save, post_delete], sender=ParentalControls)
@receiver([post_save, post_delete], sender=ConsentRecord)
def _child_rules_changed(sender, instance, **kwargs) -> None:
    child_snapshot_invalidate(child_id=instance.child_id)


@receiver([post_save, post_delete], sender=Guardianship)
def _guardianship_changed(sender, instance: Guardianship, **kwargs) -> None:
    child_snapshot_invalidate(child_id=instance.child_id)
