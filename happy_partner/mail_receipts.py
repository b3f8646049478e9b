"""Which guardians a retried e-mail already reached, so a retry mails only the rest.

A Celery task that mails every guardian and fails half-way is retried; without a receipt the
guardians already reached would get the mail again. Receipts live in the cache: without it a retry
may repeat a mail, which is better than none (logged, never raised).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.cache import cache

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MailReceipts:
    kind: str  # e.g. "safety-alert": the key prefix and the log's word for it
    seconds: int  # how long a receipt is kept: longer than the retries of what it guards

    def _key(self, subject_id: int, guardian_id: int) -> str:
        return f"{self.kind}-mailed:{subject_id}:{guardian_id}"

    def already_mailed(self, *, subject_id: int, guardian_id: int) -> bool:
        try:
            return cache.get(self._key(subject_id, guardian_id)) is not None
        except Exception:
            logger.warning("cache unavailable reading %s receipt id=%s", self.kind, subject_id, exc_info=True)
            return False

    def remember(self, *, subject_id: int, guardian_id: int) -> None:
        try:
            cache.set(self._key(subject_id, guardian_id), 1, self.seconds)
        except Exception:
            logger.warning("cache unavailable recording %s receipt id=%s", self.kind, subject_id, exc_info=True)
