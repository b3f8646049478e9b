"""What withdrawing a consent does to data already kept: it goes, at once.

Withdrawing ``memory`` deletes what the companion remembered; withdrawing ``emotion_companion``
erases the emotion labels on the child's messages. ``accounts.services.consent.consent_withdraw``
calls this in its transaction (no signal: re-saving an old withdrawn record must not erase what a
later consent allowed). Later messages are handled by the gate and the pipeline, which read the
consent on every message.
"""

from __future__ import annotations

import logging

from accounts.models import ConsentScope
from conversations.models import InsightDay, MemoryFact, Message

logger = logging.getLogger(__name__)


def consent_withdrawn_apply(*, child_id: int, scope: str) -> None:
    if scope == ConsentScope.MEMORY:
        deleted, _detail = MemoryFact.objects.filter(child_id=child_id).delete()
        logger.info("memories deleted on consent withdrawal child_id=%s count=%s", child_id, deleted)
    elif scope == ConsentScope.EMOTION_COMPANION:
        erased = (
            Message.objects.filter(child_id=child_id).exclude(emotion="").update(emotion="", emotion_intensity=None)
        )
        for day in InsightDay.objects.filter(child_id=child_id).exclude(emotions={}):
            day.emotions = {}
            day.save(update_fields=["emotions"])
        logger.info("emotion labels erased on consent withdrawal child_id=%s count=%s", child_id, erased)
