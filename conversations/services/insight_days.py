"""Day aggregates of archived messages (``InsightDay``): what the insights selectors count, kept when
the messages leave the hot table, taken back out when an archive is restored.

Days are the child's local days (their controls' time zone), as the insights pages count them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.dateparse import parse_datetime

from conversations.models import InsightDay, MessageRole
from conversations.models.messages import FLAGGED_ACTIONS


def stored_moment(value: Any) -> datetime:
    """A message's ``created_at`` as a database row or an archive's JSON holds it."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    if not isinstance(moment, datetime):
        raise ValueError(f"not a moment: {value!r}")
    return moment


def _per_day(rows: Iterable[dict[str, Any]], time_zone: str) -> dict[date, dict[str, Any]]:
    zone = ZoneInfo(time_zone)
    days: dict[date, dict[str, Any]] = defaultdict(
        lambda: {"flagged": 0, "agents": defaultdict(int), "subjects": defaultdict(int), "emotions": {}}
    )
    for row in rows:
        day = days[stored_moment(row["created_at"]).astimezone(zone).date()]
        if row["safety_action"] in FLAGGED_ACTIONS:
            day["flagged"] += 1
        if row["role"] == MessageRole.ASSISTANT and row["agent"]:
            day["agents"][row["agent"]] += 1
        if row["role"] == MessageRole.CHILD and row["agent"] == "edu":
            day["subjects"][row["subject"] or "general"] += 1
        if row["role"] == MessageRole.CHILD and row["emotion"]:
            seen = day["emotions"].setdefault(row["emotion"], [0, 0.0])
            seen[0] += 1
            seen[1] += row["emotion_intensity"] or 0.0
    return days


def _merge(current: dict, change: dict, sign: int) -> dict:
    out = dict(current)
    for key, value in change.items():
        out[key] = out.get(key, 0) + sign * value
        if out[key] <= 0:
            del out[key]
    return out


def _apply(child_id: int, rows: Iterable[dict[str, Any]], sign: int, time_zone: str) -> None:
    """One locking read of the batch's days, then one INSERT of the new ones, one UPDATE of the rest and
    one DELETE of those left empty (a month's batch: up to 31 days)."""
    changes = _per_day(rows, time_zone)
    existing = {
        row.day: row for row in InsightDay.objects.select_for_update().filter(child_id=child_id, day__in=list(changes))
    }
    new: list[InsightDay] = []
    changed: list[InsightDay] = []
    empty: list[int] = []
    for day, change in changes.items():
        row = existing.get(day) or InsightDay(child_id=child_id, day=day)
        row.flagged = max(0, row.flagged + sign * change["flagged"])
        row.agents = _merge(row.agents, change["agents"], sign)
        row.subjects = _merge(row.subjects, change["subjects"], sign)
        emotions = dict(row.emotions)
        for emotion, (count, total) in change["emotions"].items():
            have = emotions.get(emotion, [0, 0.0])
            after = [have[0] + sign * count, round(have[1] + sign * total, 4)]
            if after[0] > 0:
                emotions[emotion] = after
            else:
                emotions.pop(emotion, None)
        row.emotions = emotions
        has_data = bool(row.flagged or row.agents or row.subjects or row.emotions)
        if row.pk is None:
            if has_data:
                new.append(row)
        elif has_data:
            changed.append(row)
        else:
            empty.append(row.pk)
    InsightDay.objects.bulk_create(new)
    InsightDay.objects.bulk_update(changed, ["flagged", "agents", "subjects", "emotions"])
    InsightDay.objects.filter(pk__in=empty).delete()


def insight_days_add(*, child_id: int, rows: Iterable[dict[str, Any]], time_zone: str) -> None:
    """Count message rows (``Message`` column values) leaving the hot table into their local days in
    ``time_zone`` (kept with the archive, so a restore takes them out of the same days), in the caller's
    transaction."""
    _apply(child_id, rows, +1, time_zone)


def insight_days_remove(*, child_id: int, rows: Iterable[dict[str, Any]], time_zone: str) -> None:
    """Take restored message rows back out of their days (they are counted from the hot table again)."""
    _apply(child_id, rows, -1, time_zone)
