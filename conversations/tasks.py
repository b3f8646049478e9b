"""Background jobs of the conversations app."""

from __future__ import annotations

from celery import shared_task

from conversations.services.alerts import safety_alerts_redeliver
from conversations.services.notifications import safety_alert_email_send


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_safety_alert_email(*, event_id: int) -> int:
    return safety_alert_email_send(event_id=event_id)


@shared_task
def redeliver_safety_alerts() -> int:
    return safety_alerts_redeliver()
