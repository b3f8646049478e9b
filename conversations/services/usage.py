"""Usage accounting from real activity: seconds between a child's messages, capped, per local day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F

from conversations.models import ChatSession, UsageDay

# A pause longer than this is not "talking": at most this much is counted between two messages.
MAX_GAP_SECONDS = 120
# The first message of a session counts as this much activity (reading, typing).
FIRST_MESSAGE_SECONDS = 30


@dataclass(frozen=True)
class Usage:
    today_seconds: int
    week_seconds: int


def local_day(now: datetime, time_zone: str) -> date:
    return now.astimezone(ZoneInfo(time_zone)).date()


def usage_for_child(*, child_id: int, now: datetime, time_zone: str) -> Usage:
    """Today and this week (Monday to today) in the family's time zone: one indexed query."""
    today = local_day(now, time_zone)
    monday = today - timedelta(days=today.weekday())
    rows = list(
        UsageDay.objects.filter(child_id=child_id, day__gte=monday, day__lte=today).values_list("day", "seconds")
    )
    return Usage(
        today_seconds=sum(seconds for day, seconds in rows if day == today),
        week_seconds=sum(seconds for _day, seconds in rows),
    )


def activity_seconds(session: ChatSession, now: datetime) -> int:
    if session.last_activity_at is None:
        return FIRST_MESSAGE_SECONDS
    gap = (now - session.last_activity_at).total_seconds()
    return int(max(0, min(gap, MAX_GAP_SECONDS)))


def usage_record(*, child_id: int, day: date, seconds: int) -> None:
    """Add to the day's row, creating it on first use (race-safe: the unique row wins)."""
    updated = UsageDay.objects.filter(child_id=child_id, day=day).update(
        seconds=F("seconds") + seconds, messages=F("messages") + 1
    )
    if updated:
        return
    try:
        with transaction.atomic():
            UsageDay.objects.create(child_id=child_id, day=day, seconds=seconds, messages=1)
    except IntegrityError:
        UsageDay.objects.filter(child_id=child_id, day=day).update(
            seconds=F("seconds") + seconds, messages=F("messages") + 1
        )
