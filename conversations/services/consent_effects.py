"""What withdrawing a consent does to data already kept: it goes, at once.

Withdrawing ``memory`` deletes what the companion remembered; withdrawing ``emotion_companion``
erases the emotion labels on the child's messages. Later messages are handled by the gate and
the pipeline, which read the consent on every message.
"""

from __future__ import annotations

import logging

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import ConsentRecord, ConsentScope
from conversations.models import MemoryFact, Message

logger = logging.getLogger(__name__)


def consent_withdrawn_apply(*, child_id: int, scope: str) -> None:
    if scope == ConsentScope.MEMORY:
        deleted, _detail = MemoryFact.objects.filter(child_id=child_id).delete()
        logger.info("memories deleted on consent withdrawal child_id=%s count=%s", child_id, deleted)
    elif scope == ConsentScope.EMOTION_COMPANION:
        erased = (
            Message.objects.filter(child_id=child_id).exclude(emotion="").update(emotion="", emotion_intensity=None)
        )
        logger.info("emotion labels erased on consent withdrawal child_id=%s count=%s", child_id, erased)


@receiver(post_save, sender=ConsentRecord)
def _consent_saved(sender, instance: ConsentRecord, created: bool, **kwargs) -> None:
    if instance.withdrawn_at is not None:
        consent_withdrawn_apply(child_id=instance.child_id, scope=instance.scope)
