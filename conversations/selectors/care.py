"""Reads behind the parents' care views and the staff review queue."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import ChildProfile
from conversations.models import MemoryFact, SafetyEvent
from happy_partner.errors import not_found


def memories_for_child(*, child: ChildProfile) -> QuerySet[MemoryFact]:
    return MemoryFact.objects.filter(child=child)


def memory_get_for_child(*, child: ChildProfile, memory_id: int) -> MemoryFact:
    memory = memories_for_child(child=child).filter(pk=memory_id).first()
    if memory is None:
        raise not_found(_("No such memory."))
    return memory


def safety_events_for_child(*, child: ChildProfile) -> QuerySet[SafetyEvent]:
    return SafetyEvent.objects.filter(child=child)


def safety_events_for_review(*, reviewed: bool | None) -> QuerySet[SafetyEvent]:
    """Staff's queue: all events, or only the (un)reviewed ones."""
    events = SafetyEvent.objects.all()
    if reviewed is not None:
        events = events.filter(reviewed_at__isnull=not reviewed)
    return events


def safety_event_get(*, event_id: int) -> SafetyEvent:
    event = SafetyEvent.objects.filter(pk=event_id).first()
    if event is None:
        raise not_found(_("No such safety event."))
    return event
