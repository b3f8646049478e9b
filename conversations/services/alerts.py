"""Telling guardians: safety events become realtime pushes and e-mails, after the commit.

Whether and how guardians are alerted is one rule, ``alert_channels``, used here, by the e-mail
(``notifications.py``) and by the redelivery sweep. ``SafetyEvent.parent_notified_at`` records when
the alert was *delivered*: when the e-mail went out if the alert needs one, otherwise when the push
reached the channel layer. Until then the event is undelivered, and ``safety_alerts_redeliver``
(a periodic job) tries again for a day, so a broker or Redis outage delays an alert instead of
losing it, and never fails the child's request.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

from accounts.models import Guardianship, User
from accounts.realtime import SafetyAlertEvent, guardians_publish
from accounts.snapshots import ChildSnapshot
from conversations.models import Message, SafetyEvent
from conversations.safety.types import Action, Severity

logger = logging.getLogger(__name__)

# Undelivered alerts are retried for this long after the event, starting this long after it (the
# normal path has delivered by then), at most this many per run.
REDELIVERY_WINDOW = timedelta(hours=24)
REDELIVERY_GRACE = timedelta(minutes=2)
REDELIVERY_BATCH = 100


class AlertPreferences(Protocol):
    """The guardians' alert settings: the cached snapshot's controls or the ParentalControls row."""

    @property
    def alert_min_severity(self) -> str: ...
    @property
    def alert_email(self) -> bool: ...
    @property
    def alert_realtime(self) -> bool: ...


@dataclass(frozen=True)
class AlertChannels:
    push: bool
    mail: bool

    def __bool__(self) -> bool:
        return self.push or self.mail


def alert_channels(*, severity: str, action: str, preferences: AlertPreferences) -> AlertChannels:
    """How guardians hear about an event: from their threshold up, by push and/or e-mail as they chose;
    an escalation always, both ways, whatever the preferences."""
    if action == Action.ESCALATE:
        return AlertChannels(push=True, mail=True)
    if Severity.from_label(severity) < Severity.from_label(preferences.alert_min_severity):
        return AlertChannels(push=False, mail=False)
    return AlertChannels(push=preferences.alert_realtime, mail=preferences.alert_email)


def _payload(event: SafetyEvent) -> SafetyAlertEvent:
    return {
        "type": "safety.alert",
        "event": event.pk,
        "child": event.child_id,
        "severity": event.severity,
        "action": event.action,
        "categories": event.categories,
    }


def _push(event: SafetyEvent, guardian_ids: tuple[int, ...]) -> bool:
    """Send the alert to every guardian's group; True when the channel layer took all of them."""
    return guardians_publish(child_id=event.child_id, event=_payload(event), guardian_ids=list(guardian_ids))


def _mark_delivered(event_id: int) -> None:
    SafetyEvent.objects.filter(pk=event_id, parent_notified_at__isnull=True).update(parent_notified_at=timezone.now())


def _queue_email(event_id: int) -> bool:
    """Hand the e-mail to the worker; the e-mail marks the event delivered once it is sent. With the
    broker down this fails: the event stays undelivered and the sweep sends it later."""
    from conversations.tasks import send_safety_alert_email

    try:
        send_safety_alert_email.delay(event_id=event_id)
    except Exception:
        logger.warning("alert e-mail not queued, redelivered later event_id=%s", event_id, exc_info=True)
        return False
    return True


def _deliver(event: SafetyEvent, channels: AlertChannels, guardian_ids: tuple[int, ...]) -> None:
    pushed = channels.push and _push(event, guardian_ids)
    if channels.mail:
        _queue_email(event.pk)
    elif pushed:
        _mark_delivered(event.pk)
    logger.info("guardians alerted event_id=%s push=%s mail=%s", event.pk, pushed, channels.mail)


def safety_event_record(
    *,
    snapshot: ChildSnapshot,
    message: Message,
    direction: str,
    categories: list[str],
    severity: str,
    action: str,
    evidence: dict[str, Any],
) -> SafetyEvent:
    """Store a safety event and alert the guardians after the commit, if it calls for it. Whether it
    does is decided here, once, and kept (``alert_due``): the redelivery sweep reads only those.
    Never fails the caller for the alert's sake."""
    channels = alert_channels(severity=severity, action=action, preferences=snapshot.controls)
    event = SafetyEvent.objects.create(
        child_id=snapshot.child_id,
        message=message,
        direction=direction,
        categories=categories,
        severity=severity,
        action=action,
        evidence=evidence,
        alert_due=bool(channels),
    )
    if channels:
        guardian_ids = snapshot.guardian_ids
        transaction.on_commit(lambda: _deliver(event, channels, guardian_ids), robust=True)
    return event


def safety_alerts_redeliver(*, now: datetime | None = None) -> int:
    """Deliver the alerts of the last day that were due and have not been delivered (periodic job).

    Idempotent: a delivered event is marked and never picked again; the e-mail itself skips an
    event another worker has delivered meanwhile, and guardians it already reached. Each run reads
    at most REDELIVERY_BATCH events, oldest first, from the partial index ``safety_undelivered``;
    events that were never due (below the guardians' threshold) are not in it. Returns how many
    events were delivered.
    """
    from conversations.services.notifications import safety_alert_email_send

    now = now or timezone.now()
    candidates = (
        SafetyEvent.objects.filter(
            alert_due=True,
            parent_notified_at__isnull=True,
            created_at__gte=now - REDELIVERY_WINDOW,
            created_at__lte=now - REDELIVERY_GRACE,
        )
        .select_related("child__controls")
        .order_by("created_at")[:REDELIVERY_BATCH]
    )
    delivered = 0
    for event in candidates:
        channels = alert_channels(severity=event.severity, action=event.action, preferences=event.child.controls)
        if channels.mail:
            try:
                safety_alert_email_send(event_id=event.pk)
            except OSError:
                logger.warning("alert e-mail failed again event_id=%s", event.pk, exc_info=True)
                continue
        elif channels.push:
            guardian_ids = tuple(
                Guardianship.objects.filter(child_id=event.child_id).values_list("guardian_id", flat=True)
            )
            if not _push(event, guardian_ids):
                continue
            _mark_delivered(event.pk)
        else:
            # The guardians have raised their threshold since: nothing to deliver any more.
            SafetyEvent.objects.filter(pk=event.pk, parent_notified_at__isnull=True).update(alert_due=False)
            continue
        delivered += 1
    if delivered:
        logger.info("undelivered safety alerts delivered count=%s", delivered)
    return delivered


def safety_alerts_acknowledge(*, actor: User, events: list[SafetyEvent]) -> list[SafetyEvent]:
    """A guardian marks alerts seen, for the whole family (the caller scoped the events to the
    guardian's children: ``alerts_get_for_guardian``), in one statement whatever their number. Seen
    twice is seen: the first guardian and time are kept."""
    ids = [event.pk for event in events]
    updated = SafetyEvent.objects.filter(pk__in=ids, acknowledged_at__isnull=True).update(
        acknowledged_at=timezone.now(), acknowledged_by=actor
    )
    if updated:
        logger.info("safety alerts seen count=%s event_ids=%s by user_id=%s", updated, ids, actor.pk)
    return list(SafetyEvent.objects.filter(pk__in=ids).order_by("-created_at", "-id"))
