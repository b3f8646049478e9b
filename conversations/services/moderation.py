"""Staff and parent actions around safety: checking a text on demand, reviewing events."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.principals import Actor, actor_ref
from accounts.snapshots import child_snapshot
from conversations.models import SafetyEvent
from conversations.safety import check_text_safe
from conversations.safety.types import Verdict
from conversations.services.lexicon import current_lexicon
from happy_partner.errors import ApplicationError, Failure

logger = logging.getLogger(__name__)


def safety_check(*, actor: Actor, text: str, child_id: int | None = None) -> Verdict:
    """The input check alone, nothing stored: with a child, that child's sensitivity and blocked words.
    ``actor`` may check for that child (the caller scoped it); logged with the verdict, never the text."""
    logger.info("safety check child_id=%s by %s", child_id, actor_ref(actor))
    if child_id is None:
        return check_text_safe(text, lexicon=current_lexicon())
    controls = child_snapshot(child_id=child_id).controls
    return check_text_safe(
        text, lexicon=current_lexicon(), sensitivity=controls.safety_sensitivity, blocked_words=controls.blocked_words
    )


@transaction.atomic
def safety_event_review(*, actor: User, event: SafetyEvent, note: str = "") -> SafetyEvent:
    event = SafetyEvent.objects.select_for_update().get(pk=event.pk)
    if event.reviewed_at is not None:
        raise ApplicationError(
            code="already_reviewed", message=_("This event was already reviewed."), kind=Failure.CONFLICT
        )
    event.reviewed_by = actor
    event.reviewed_at = timezone.now()
    event.review_note = note.strip()
    event.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    logger.info("safety event reviewed event_id=%s by user_id=%s", event.pk, actor.pk)
    return event
