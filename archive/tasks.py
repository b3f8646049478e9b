"""The data lifecycle's background jobs: the scheduled ones (installed by ``setup_periodic_tasks``)
and the export build a parent starts."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from archive.services.archiving import conversations_archive_run
from archive.services.exports import export_build
from archive.services.retention import expired_purge, inactive_accounts_process


@shared_task
def archive_conversations() -> int:
    return conversations_archive_run(older_than_days=settings.ARCHIVE_AFTER_DAYS).messages


@shared_task
def purge_expired() -> dict[str, int]:
    return expired_purge()


@shared_task
def inactive_accounts() -> dict[str, int]:
    return inactive_accounts_process()


@shared_task
def build_export(job_id: int) -> None:
    export_build(job_id=job_id)
