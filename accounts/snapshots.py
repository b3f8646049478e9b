"""What every message needs to know about a child, read from the cache.

Profile, controls, consents and blocked words are read on every chat message; they change rarely.
The snapshot lives in the cache backend (Redis in production), stored with the child's
*generation*. Every service that changes one of its sources (the child, its controls, consents or
guardianships) calls ``child_snapshot_invalidate`` inside its transaction, which starts a new
generation again *after the commit*: a snapshot that a request built from the old rows while the
change was still uncommitted is never used, so a parent's change applies to the very next
message. (Not a ``post_save`` signal: that runs inside the transaction, before the new rows are
visible to anyone else.) A cache outage degrades to the database; it never fails a message.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, fields
from datetime import time
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from accounts.models import ChildProfile, ConsentRecord
from accounts.models.controls import CONTROL_FIELDS

logger = logging.getLogger(__name__)
# Short enough that a change whose new generation could not be written (the cache failed at that
# moment and came back with its data) still applies within a minute; a child's messages rebuild
# their snapshot (three small queries) at most once a minute.
CACHE_SECONDS = 60
GENERATION_SECONDS = 2 * CACHE_SECONDS  # outlives every snapshot built under it
_VERSION = 2  # bump when the snapshot's shape changes


@dataclass(frozen=True)
class ControlsView:
    """The family's rules as the pipeline reads them: exactly ``CONTROL_FIELDS``, typed for the checker
    (a drift from the model stops the process at import, below); lists become tuples."""

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


if tuple(f.name for f in fields(ControlsView)) != CONTROL_FIELDS:
    raise ImproperlyConfigured("ControlsView must declare exactly accounts.models.controls.CONTROL_FIELDS, in order")


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


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _build(child_id: int) -> ChildSnapshot:
    child = ChildProfile.objects.select_related("controls").get(pk=child_id)
    c = child.controls
    consents = frozenset(
        ConsentRecord.objects.filter(child_id=child_id, withdrawn_at__isnull=True).values_list("scope", flat=True)
    )
    guardians = tuple(child.guardianships.order_by("pk").values_list("guardian_id", flat=True))
    controls = ControlsView(**{name: _frozen(getattr(c, name)) for name in CONTROL_FIELDS})
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


def _generation_key(child_id: int) -> str:
    return f"child-snapshot-generation:{child_id}"


def _generation(child_id: int) -> str:
    """The child's current generation; a new one if the cache has none (first read, or evicted)."""
    key = _generation_key(child_id)
    fresh = secrets.token_hex(8)
    cache.add(key, fresh, GENERATION_SECONDS)
    return cache.get(key) or fresh


def _store(child_id: int, generation: str, snapshot: ChildSnapshot) -> None:
    try:
        cache.set(_key(child_id), (generation, snapshot), CACHE_SECONDS)
    except Exception:
        logger.warning("cache unavailable writing child snapshot child_id=%s", child_id, exc_info=True)


def child_snapshot(*, child_id: int) -> ChildSnapshot:
    """The child's snapshot: one cache round trip when it is cached, else three small queries.

    A cached snapshot is used only if it was built under the child's current generation. The
    generation is read *before* the rows, so a request that read the old rows while a change was
    being committed stores its copy under the old generation, which the change replaced: nobody
    uses that copy, even if it is written after the change's commit.
    """
    key, generation_key = _key(child_id), _generation_key(child_id)
    try:
        found = cache.get_many([key, generation_key])
        generation = found.get(generation_key) or _generation(child_id)
    except Exception:  # a cache outage must not fail the message
        logger.warning("cache unavailable reading child snapshot child_id=%s", child_id, exc_info=True)
        return _build(child_id)
    cached = found.get(key)
    if cached is not None and cached[0] == generation:
        return cached[1]
    snapshot = _build(child_id)
    _store(child_id, generation, snapshot)
    return snapshot


def _next_generation(child_id: int) -> None:
    try:
        cache.set(_generation_key(child_id), secrets.token_hex(8), GENERATION_SECONDS)
    except Exception:
        # If the cache is down it cannot serve the stale snapshot either; it expires on its own.
        logger.warning("cache unavailable invalidating child snapshot child_id=%s", child_id, exc_info=True)


def child_snapshot_invalidate(*, child_id: int) -> None:
    """Call inside the transaction that changed the child, its controls, consents or guardianships.

    Starts a new generation now (so code later in the same transaction reads the new rows) and
    again once the transaction has committed: between the write and the commit other requests still
    read the old rows and may cache them; the second new generation makes those copies unusable.
    """
    _next_generation(child_id)
    transaction.on_commit(lambda: _next_generation(child_id))
