"""What the parent dashboard reads: a card per child, and the alerts of a guardian's children.

A fixed number of queries whatever the number of children (asserted by the tests): the cards read the
children with their controls, then today's usage, today's feelings, the open alerts and the last
activity of all of them at once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import ChildProfile, User
from accounts.selectors import children_for_guardian
from conversations.models import ChatSession, Message, MessageRole, SafetyEvent, UsageDay
from happy_partner.errors import not_found

NEUTRAL = "neutral"


@dataclass(frozen=True)
class ChildCard:
    child: ChildProfile
    minutes_today: int
    daily_minutes: int
    mood: str  # the feeling noticed most often today, calm if only calm, "" when none was
    open_alerts: int
    last_activity: datetime | None

    @property
    def share_of_limit(self) -> int:
        """Today's minutes as a percentage of the daily limit, capped at 100 (for the meter)."""
        return min(100, round(100 * self.minutes_today / self.daily_minutes)) if self.daily_minutes else 100


def open_alerts_for_guardian(*, user: User) -> QuerySet[SafetyEvent]:
    """The alerts the guardian was (or is being) told about and nobody in the family has marked seen."""
    return SafetyEvent.objects.filter(child__guardianships__guardian=user, alert_due=True, acknowledged_at__isnull=True)


def alerts_for_guardian(*, user: User) -> QuerySet[SafetyEvent]:
    """Every alert of the guardian's children, newest first (the alerts page)."""
    return (
        SafetyEvent.objects.filter(child__guardianships__guardian=user, alert_due=True)
        .select_related("child__controls")
        .order_by("-created_at", "-id")
    )


def alerts_get_for_guardian(*, user: User, event_ids: list[int]) -> list[SafetyEvent]:
    """These alerts, all of the guardian's children's, or ``not_found`` (none is any use alone: a
    parent marking several seen means all of them)."""
    wanted = set(event_ids)
    events = list(alerts_for_guardian(user=user).filter(pk__in=wanted))
    if len(events) != len(wanted):
        raise not_found(_("No such alert."))
    return events


def _mood(seen: Counter[str]) -> str:
    """The feeling noticed most often today; calm only when nothing else was noticed."""
    felt = Counter({emotion: n for emotion, n in seen.items() if emotion != NEUTRAL})
    if felt:
        return felt.most_common(1)[0][0]
    return NEUTRAL if seen else ""


def child_cards_for_guardian(*, user: User, now: datetime) -> list[ChildCard]:
    children = list(children_for_guardian(user=user).select_related("controls"))
    if not children:
        return []
    ids = [child.pk for child in children]
    zones = {child.pk: child.controls.zone for child in children}
    today = {child_id: now.astimezone(zone).date() for child_id, zone in zones.items()}
    usage_filter = Q()
    for child_id, day in today.items():
        usage_filter |= Q(child_id=child_id, day=day)
    seconds = dict(UsageDay.objects.filter(usage_filter).values_list("child_id", "seconds"))
    # Today's feelings: each child's messages of today in their own time zone, counted in SQL.
    today_filter = Q()
    for child_id, day in today.items():
        midnight = datetime.combine(day, time.min, tzinfo=zones[child_id])
        today_filter |= Q(child_id=child_id, created_at__gte=midnight, created_at__lt=midnight + timedelta(days=1))
    feelings: dict[int, Counter[str]] = defaultdict(Counter)
    rows = (
        Message.objects.filter(today_filter, role=MessageRole.CHILD)
        .exclude(emotion="")
        .values("child_id", "emotion")
        .annotate(n=Count("id"))
        .values_list("child_id", "emotion", "n")
    )
    for child_id, emotion, n in rows:
        feelings[child_id][emotion] += n
    alerts = dict(
        SafetyEvent.objects.filter(child_id__in=ids, alert_due=True, acknowledged_at__isnull=True)
        .values("child_id")
        .annotate(n=Count("id"))
        .values_list("child_id", "n")
    )
    last = dict(
        ChatSession.objects.filter(child_id__in=ids)
        .values("child_id")
        .annotate(at=Max("last_activity_at"))
        .values_list("child_id", "at")
    )
    return [
        ChildCard(
            child=child,
            minutes_today=round(seconds.get(child.pk, 0) / 60),
            daily_minutes=child.controls.daily_minutes,
            mood=_mood(feelings[child.pk]),
            open_alerts=alerts.get(child.pk, 0),
            last_activity=last.get(child.pk),
        )
        for child in children
    ]
