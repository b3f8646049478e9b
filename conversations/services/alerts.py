"""Telling guardians: safety events become realtime pushes and e-mails, after the commit."""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone

from accounts.snapshots import ChildSnapshot
from conversations.models import SafetyEvent
from conversations.safety.types import Action, Severity

logger = logging.getLogger(__name__)


def guardian_group(user_id: int) -> str:
    """The channel-layer group a guardian's open dashboards and apps listen on."""
    return f"guardian.{user_id}"


def _should_alert(event: SafetyEvent, snapshot: ChildSnapshot) -> bool:
    if event.action == Action.ESCALATE:
        return True  # always, whatever the preferences
    return Severity.from_label(event.severity) >= Severity.from_label(snapshot.controls.alert_min_severity)


def safety_event_notify(*, event: SafetyEvent, snapshot: ChildSnapshot) -> None:
    """Schedule the alerts for after the commit; the event row records when guardians were told."""
    if not _should_alert(event, snapshot):
        return
    controls = snapshot.controls
    escalate = event.action == Action.ESCALATE
    push = controls.alert_realtime or escalate
    mail = controls.alert_email or escalate
    SafetyEvent.objects.filter(pk=event.pk).update(parent_notified_at=timezone.now())
    payload = {
        "type": "safety.alert",
        "event": event.pk,
        "child": snapshot.child_id,
        "severity": event.severity,
        "action": event.action,
        "categories": event.categories,
    }

    def send() -> None:
        if push:
            layer = get_channel_layer()
            for guardian_id in snapshot.guardian_ids:
                try:
                    async_to_sync(layer.group_send)(guardian_group(guardian_id), payload)
                except Exception:
                    logger.exception("realtime alert failed event_id=%s", event.pk)
        if mail:
            from conversations.tasks import send_safety_alert_email

            send_safety_alert_email.delay(event_id=event.pk)

    transaction.on_commit(send)
    logger.info("guardians alerted event_id=%s push=%s mail=%s", event.pk, push, mail)
