from __future__ import annotations

import logging

from accounts.models import User
from conversations.models import MemoryFact

logger = logging.getLogger(__name__)


def memory_delete(*, actor: User, memory: MemoryFact) -> None:
    """A parent removes one thing the companion remembered; it is gone, not hidden."""
    memory_id, child_id = memory.pk, memory.child_id
    memory.delete()
    logger.info("memory deleted memory_id=%s child_id=%s by user_id=%s", memory_id, child_id, actor.pk)
