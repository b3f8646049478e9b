"""What parents see at a glance: activity, learning and feelings per day, in the family's time zone."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count
from django.db.models.functions import TruncDate

from conversations.agents.emotion import NEGATIVE_EMOTIONS
from conversations.models import InsightDay, Message, MessageRole, UsageDay
from conversations.models.messages import FLAGGED_ACTIONS


def _range(now: datetime, days: int, time_zone: str) -> tuple[date, date, datetime]:
    zone = ZoneInfo(time_zone)
    last = now.astimezone(zone).date()
    first = last - timedelta(days=days - 1)
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    return first, last, start


def activity_for_child(*, child_id: int, days: int, now: datetime, time_zone: str) -> dict:
    first, last, start = _range(now, days, time_zone)
    zone = ZoneInfo(time_zone)
    per_day: dict[date, dict[str, Any]] = {
        d: {"date": d, "messages": 0, "minutes": 0, "flagged": 0} for d in _days(first, last)
    }
    for usage in UsageDay.objects.filter(child_id=child_id, day__gte=first, day__lte=last):
        per_day[usage.day]["messages"] = usage.messages
        per_day[usage.day]["minutes"] = round(usage.seconds / 60)
    flagged = (
        Message.objects.filter(child_id=child_id, created_at__gte=start, safety_action__in=FLAGGED_ACTIONS)
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .values("day")
        .annotate(n=Count("id"))
    )
    for row in flagged:
        if row["day"] in per_day:
            per_day[row["day"]]["flagged"] = row["n"]
    agents = (
        Message.objects.filter(child_id=child_id, created_at__gte=start, role=MessageRole.ASSISTANT)
        .exclude(agent="")
        .values("agent")
        .annotate(n=Count("id"))
    )
    agent_totals: dict[str, int] = defaultdict(int)
    for row in agents:
        agent_totals[row["agent"]] += row["n"]
    for archived in _archived_days(child_id, first, last):  # archived messages, counted when they left
        per_day[archived.day]["flagged"] += archived.flagged
        for agent, n in archived.agents.items():
            agent_totals[agent] += n
    return {
        "days": list(per_day.values()),
        "agents": dict(sorted(agent_totals.items(), key=lambda item: (-item[1], item[0]))),
        "totals": {
            "messages": sum(d["messages"] for d in per_day.values()),
            "minutes": sum(d["minutes"] for d in per_day.values()),
            "flagged": sum(d["flagged"] for d in per_day.values()),
        },
    }


def learning_for_child(*, child_id: int, days: int, now: datetime, time_zone: str) -> dict:
    """Questions the child asked the teacher, per subject and day."""
    first, last, start = _range(now, days, time_zone)
    rows = (
        Message.objects.filter(child_id=child_id, created_at__gte=start, role=MessageRole.CHILD, agent="edu")
        .annotate(day=TruncDate("created_at", tzinfo=ZoneInfo(time_zone)))
        .values("day", "subject")
        .annotate(n=Count("id"))
    )
    subjects: dict[str, int] = defaultdict(int)
    per_day: dict[date, dict[str, int]] = {d: {} for d in _days(first, last)}
    counted = [(row["day"], row["subject"] or "general", row["n"]) for row in rows]
    counted += [(a.day, subject, n) for a in _archived_days(child_id, first, last) for subject, n in a.subjects.items()]
    for day, subject, n in counted:
        subjects[subject] += n
        if day in per_day:
            per_day[day][subject] = per_day[day].get(subject, 0) + n
    return {
        "subjects": dict(sorted(subjects.items(), key=lambda item: (-item[1], item[0]))),
        "days": [{"date": d, "questions": per_day[d]} for d in per_day],
    }


def emotions_for_child(*, child_id: int, days: int, now: datetime, time_zone: str) -> dict:
    """How the child felt, per day: counts and mean intensity of each emotion the companion noticed."""
    first, last, start = _range(now, days, time_zone)
    rows = (
        Message.objects.filter(child_id=child_id, created_at__gte=start, role=MessageRole.CHILD)
        .exclude(emotion="")
        .annotate(day=TruncDate("created_at", tzinfo=ZoneInfo(time_zone)))
        .values("day", "emotion")
        .annotate(n=Count("id"), intensity=Avg("emotion_intensity"))
    )
    sums: dict[date, dict[str, list[float]]] = {d: {} for d in _days(first, last)}
    counted = [(row["day"], row["emotion"], row["n"], (row["intensity"] or 0) * row["n"]) for row in rows]
    counted += [
        (a.day, emotion, n, total)
        for a in _archived_days(child_id, first, last)
        for emotion, (n, total) in a.emotions.items()
    ]
    for day, emotion, n, total in counted:
        if day in sums:
            seen = sums[day].setdefault(emotion, [0, 0.0])
            seen[0] += n
            seen[1] += total
    per_day = {
        d: {e: {"count": int(n), "intensity": round(total / n, 2) if n else 0} for e, (n, total) in seen.items()}
        for d, seen in sums.items()
    }
    return {"days": [{"date": d, "emotions": per_day[d]} for d in per_day]}


def emotion_totals(report: dict) -> dict[str, int]:
    """How often each feeling was noticed over ``emotions_for_child``'s days, most often first."""
    totals: dict[str, int] = defaultdict(int)
    for day in report["days"]:
        for emotion, seen in day["emotions"].items():
            totals[emotion] += seen["count"]
    return dict(sorted(totals.items(), key=lambda item: (-item[1], item[0])))


def hard_moments(report: dict) -> list[tuple[date, int]]:
    """Per day of ``emotions_for_child``'s report, how often a negative feeling (the emotion agent's
    own definition) was noticed."""
    return [
        (day["date"], sum(seen["count"] for e, seen in day["emotions"].items() if e in NEGATIVE_EMOTIONS))
        for day in report["days"]
    ]


def _archived_days(child_id: int, first: date, last: date) -> list[InsightDay]:
    return list(InsightDay.objects.filter(child_id=child_id, day__gte=first, day__lte=last))


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
