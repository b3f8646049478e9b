"""Background jobs of the accounts app. Tasks only translate: they call a service and return."""

from __future__ import annotations

from celery import shared_task

from accounts.services.housekeeping import credentials_purge_expired
from accounts.services.notifications import device_paired_email_send, guardian_invitation_send


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_guardian_invitation(*, invitation_id: int, token: str) -> None:
    guardian_invitation_send(invitation_id=invitation_id, token=token)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_device_paired_email(*, device_id: int) -> int:
    return device_paired_email_send(device_id=device_id)


@shared_task
def purge_expired_credentials() -> dict[str, int]:
    return credentials_purge_expired()
