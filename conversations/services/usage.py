"""Usage accounting from real activity: seconds between a child's messages, capped, per local day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction

from conversations.models import ChatSession, UsageDay
from happy_partner import sql

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


# Today's and this week's seconds as two columns, so that another statement can carry them: the
# pipeline reads them in the same round trip as the session's row lock. Hand-written because every
# message runs it (happy_partner/sql.py); the tables are passed as usage=UsageDay.
USAGE_COLUMNS = (
    "(SELECT COALESCE(SUM(seconds), 0) FROM {usage} WHERE child_id = %s AND day = %s) AS usage_today, "
    "(SELECT COALESCE(SUM(seconds), 0) FROM {usage} WHERE child_id = %s AND day >= %s AND day <= %s) AS usage_week"
)


def usage_params(*, child_id: int, now: datetime, time_zone: str) -> list:
    """The parameters of USAGE_COLUMNS: today and this week (Monday to today) in the family's time zone."""
    today = local_day(now, time_zone)
    monday = today - timedelta(days=today.weekday())
    return [child_id, today, child_id, monday, today]


def usage_for_child(*, child_id: int, now: datetime, time_zone: str) -> Usage:
    ((today_seconds, week_seconds),) = sql.fetch_all(
        "SELECT " + USAGE_COLUMNS, usage_params(child_id=child_id, now=now, time_zone=time_zone), usage=UsageDay
    )
    return Usage(today_seconds=int(today_seconds), week_seconds=int(week_seconds))


def activity_seconds(session: ChatSession, now: datetime) -> int:
    if session.last_activity_at is None:
        return FIRST_MESSAGE_SECONDS
    gap = (now - session.last_activity_at).total_seconds()
    return int(max(0, min(gap, MAX_GAP_SECONDS)))


def usage_record(*, child_id: int, day: date, seconds: int) -> None:
    """Add to the day's row, creating it on first use (race-safe: the unique row wins). The common
    case, a row that exists, is one hand-written UPDATE (every message runs it)."""
    if _add_to_day(child_id, day, seconds):
        return
    try:
        with transaction.atomic():
            UsageDay.objects.create(child_id=child_id, day=day, seconds=seconds, messages=1)
    except IntegrityError:  # a concurrent message created the row first
        _add_to_day(child_id, day, seconds)


def _add_to_day(child_id: int, day: date, seconds: int) -> int:
    return sql.execute(
        "UPDATE {usage} SET seconds = seconds + %s, messages = messages + 1 WHERE child_id = %s AND day = %s",
        [seconds, child_id, day],
        usage=UsageDay,
    )
